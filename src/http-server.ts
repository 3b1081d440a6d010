import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from './core/ports.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Resolves true when the database answers. */
  ready: () => Promise<boolean>;
  /** How long /readyz waits for `ready` before answering 503; a probe that hangs is worse than a no. */
  readyTimeoutMs?: number;
  routes?: Record<string, Handler>;
  /** GET /metrics: the text exposition; with `token`, only for `Authorization: Bearer <token>`. */
  metrics?: { exposition: () => Promise<{ contentType: string; body: string }>; token?: string };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** Resolves as `promise` does, or false after `ms`; the timer does not keep the process alive. */
export function withTimeout(promise: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The port is taken by another process: the start stops with one line naming it. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is in use; stop what uses it, or set HTTP_PORT to a free port`);
    this.name = 'PortInUseError';
  }
}

/** Whether the request carries `Bearer <token>`, compared in constant time (hashes: the length leaks nothing). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  if (!given) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: NonNullable<HttpOptions['metrics']>) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' });
    return res.end();
  }
  if (metrics.token && !bearerMatches(req.headers.authorization, metrics.token)) {
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="metrics"' });
    return res.end(JSON.stringify({ error: 'a bearer token is required' }));
  }
  const { contentType, body } = await metrics.exposition();
  res.writeHead(200, { 'content-type': contentType });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** /healthz: the process is up. /readyz: the database answers. /metrics for Prometheus. Plus webhook routes. */
export async function startHttpServer(opts: HttpOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    void (async () => {
      try {
        if (path === '/healthz') return json(res, 200, { status: 'ok' });
        if (path === '/readyz') {
          const ok = await withTimeout(opts.ready(), opts.readyTimeoutMs ?? 1_500).catch(() => false);
          return json(res, ok ? 200 : 503, { status: ok ? 'ready' : 'database unreachable' });
        }
        if (path === '/metrics' && opts.metrics) return await serveMetrics(req, res, opts.metrics);
        const route = opts.routes?.[path];
        if (route && req.method === 'POST') return await route(req, res);
        json(res, 404, { error: 'not found' });
      } catch (err) {
        opts.logger.error({ err: (err as Error).message, path }, 'http handler failed');
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
        else res.end();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(opts.port) : err),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  return server;
}
