import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Delivery, FileAttachment, InboundEvent } from '../../src/core/messages.ts';
import type { ChannelPort, Logger } from '../../src/core/ports.ts';
import { typedNumber } from '../../src/core/text.ts';

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  logger: Logger;
  onEvent: (event: InboundEvent) => Promise<void>;
  /** Called when the person closes the chat (Ctrl-D). */
  onClose?: () => void;
  /** The first message, as if she had typed it; `/start role` asks whether she is a mentor. */
  opening?: string;
  name?: string;
  /** Where files the bot sends (reports, records) are saved; the chat shows the path. */
  filesDir?: string;
}

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:\s+([\s\S]*))?$/;

/** A terminal chat: buttons are numbered, and typing a number presses one. */
export class ConsoleAdapter implements ChannelPort {
  readonly platform = 'console';
  private rl: Interface | undefined;
  private buttons: string[] = [];
  private seq = 0;
  private readonly identity: string;

  constructor(private readonly opts: ConsoleOptions) {
    this.identity = `console:${opts.name ?? 'local'}`;
  }

  async start(): Promise<void> {
    this.rl = createInterface({ input: this.opts.input, terminal: false });
    // Lines are handled in order, each after the reply to the one before (pasted or piped input too).
    let queue = this.opts.opening ? this.onLine(this.opts.opening) : Promise.resolve();
    this.rl.on('line', (line) => (queue = queue.then(() => this.onLine(line))));
    this.rl.on('close', () => void queue.then(() => this.opts.onClose?.()));
    await queue;
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }

  /** Maps a typed line to the neutral event the other platforms produce. */
  toEvent(line: string): InboundEvent {
    const text = line.trim();
    const base = { id: `console:${process.pid}:${Date.now()}:${++this.seq}`, identity: this.identity, conversationId: this.identity, conversationKind: 'private' as const };
    const command = COMMAND.exec(text);
    if (command) return { ...base, payload: { type: 'command', name: command[1]!.toLowerCase(), args: command[2] ?? '' } };
    // "٤" and "۴" press button 4 as "4" does.
    const number = typedNumber(text) ?? Number.NaN;
    const data = this.buttons[number - 1];
    if (data !== undefined) return { ...base, payload: { type: 'button', data } };
    return { ...base, payload: { type: 'text', text } };
  }

  private async onLine(line: string): Promise<void> {
    if (!line.trim()) return;
    try {
      await this.opts.onEvent(this.toEvent(line));
    } catch (err) {
      this.opts.logger.error({ err: (err as Error).message }, 'console message not handled');
    }
  }

  async deliver(delivery: Delivery): Promise<string> {
    const { message } = delivery;
    const lines = ['', ...message.text.split('\n').map((l) => `  ${l}`)];
    if (message.type === 'document') lines.push(`  📎 ${await this.save(message.file)}`);
    if (message.type === 'choice') {
      this.buttons = message.rows.flat().map((b) => b.data);
      message.rows.flat().forEach((b, i) => lines.push(`   [${i + 1}] ${b.label}`));
    } else {
      this.buttons = [];
    }
    this.opts.output.write(`${lines.join('\n')}\n> `);
    return String(++this.seq);
  }

  /** A terminal cannot show a file: it is saved, under a name that never overwrites an earlier one. */
  private async save(file: FileAttachment): Promise<string> {
    const dir = resolve(this.opts.filesDir ?? join(tmpdir(), 'womento-files'));
    await mkdir(dir, { recursive: true });
    const safe = basename(file.name).replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'file';
    const path = join(dir, `${Date.now()}-${++this.seq}-${safe}`);
    await writeFile(path, Buffer.from(file.base64, 'base64'));
    return path;
  }
}
