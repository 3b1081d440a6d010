import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Telegram's updates are a few kilobytes; a megabyte leaves room for any of them. */
export const MAX_WEBHOOK_BODY = 1024 * 1024;

/** Compares the secret-token header in constant time. */
export function secretMatches(expected: string, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * After a 413: a socket closed with unread data is reset, and a reset can reach the client before the answer
 * does. So a little more of the upload is read and thrown away (at most `more` bytes or `ms`), then it is closed.
 */
export function discardThenClose(req: IncomingMessage, more = 2 * MAX_WEBHOOK_BODY, ms = 2_000): void {
  let discarded = 0;
  const close = () => {
    clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = setTimeout(close, ms);
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > more) close();
  });
  req.once('end', () => clearTimeout(timer));
  req.resume();
}

/** A declared Content-Length above the limit: refused before a byte is read. */
export function declaredTooLarge(req: IncomingMessage, max = MAX_WEBHOOK_BODY): boolean {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > max;
}

/**
 * Reads the body, counting bytes as they stream in; null as soon as it passes `max`, so a body
 * sent without Content-Length (or with a false one) is never held whole. The request is paused,
 * not destroyed, so the 413 still reaches the client before the connection closes.
 */
export function readLimited(req: IncomingMessage, max = MAX_WEBHOOK_BODY): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(null);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
