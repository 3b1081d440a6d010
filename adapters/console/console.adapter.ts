import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { t, type Text } from '../../src/core/flow.ts';
import type { Delivery, FileAttachment, InboundEvent } from '../../src/core/messages.ts';
import { CONSOLE_NAME, type Role } from '../../src/core/model.ts';
import type { ChannelPort, Logger } from '../../src/core/ports.ts';
import { typedNumber } from '../../src/core/text.ts';

/** Someone the console has played: registered (with a role) or not yet. */
export interface ConsolePerson {
  name: string;
  role?: Role;
}

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  logger: Logger;
  onEvent: (event: InboundEvent) => Promise<void>;
  /** Called when the person closes the chat (Ctrl-D). */
  onClose?: () => void;
  /** Who speaks first (default `local`). */
  first?: string;
  /** The first line of someone new to the console, as if she had typed it (`/start role`); none: wait. */
  opening?: (person: ConsolePerson | undefined) => string | undefined;
  /** The console's own lines (who speaks, the people, the clock) in the operator's language. */
  render?: (text: Text) => string;
  /** The people registered under console identities. */
  people?: () => Promise<ConsolePerson[]>;
  /** `/clock <args>`: moves the programme's time and says where it is now. */
  clock?: (args: string) => Promise<Text[]>;
  /** Where files the bot sends (reports, records) are saved; the chat shows the path. */
  filesDir?: string;
}

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:\s+([\s\S]*))?$/;
export const identityOf = (name: string) => `console:${name}`;
const nameOf = (conversationId: string) => conversationId.slice('console:'.length);

/**
 * A terminal chat for any number of people in one database: `/as <name>` says who speaks, every message
 * is headed with whom it is for, and typing a number presses a button of the person speaking.
 */
export class ConsoleAdapter implements ChannelPort {
  readonly platform = 'console';
  private rl: Interface | undefined;
  /** The buttons of each person's last message, by conversation id. */
  private readonly buttons = new Map<string, string[]>();
  private seq = 0;
  private speaker: string;
  /** Names that spoke in this run, registered or not. */
  private readonly seen = new Set<string>();

  private readonly opts: Required<Omit<ConsoleOptions, 'onClose' | 'clock' | 'filesDir'>> & ConsoleOptions;

  constructor(opts: ConsoleOptions) {
    this.opts = {
      first: 'local',
      opening: () => undefined,
      render: (text) => ('key' in text ? text.key : text.literal),
      people: async () => [],
      ...opts,
    };
    this.speaker = this.opts.first;
  }

  get speaking(): string {
    return this.speaker;
  }

  private muted = false;
  /** While muted (a demo's past being made) messages are taken, their buttons kept, and nothing is shown. */
  mute(on: boolean): void {
    this.muted = on;
  }

  async start(): Promise<void> {
    this.rl = createInterface({ input: this.opts.input, terminal: false });
    // Lines are handled in order, each after the reply to the one before (pasted or piped input too).
    let queue = this.switchTo(this.opts.first);
    this.rl.on('line', (line) => (queue = queue.then(() => this.onLine(line))));
    this.rl.on('close', () => void queue.then(() => this.opts.onClose?.()));
    await queue;
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }

  /** Maps a typed line to the neutral event the other platforms produce, from the person speaking. */
  toEvent(line: string): InboundEvent {
    const text = line.trim();
    const identity = identityOf(this.speaker);
    const id = `console:${process.pid}:${Date.now()}:${++this.seq}`;
    // Her console name is the name the platform shows (officers have no profile name of their own).
    const base = {
      id,
      identity,
      conversationId: identity,
      conversationKind: 'private' as const,
      senderName: this.speaker,
    };
    const command = COMMAND.exec(text);
    if (command)
      return { ...base, payload: { type: 'command', name: command[1]!.toLowerCase(), args: command[2] ?? '' } };
    // "٤" and "۴" press button 4 as "4" does.
    const number = typedNumber(text) ?? Number.NaN;
    const data = this.buttons.get(identity)?.[number - 1];
    if (data !== undefined) return { ...base, payload: { type: 'button', data } };
    return { ...base, payload: { type: 'text', text } };
  }

  private async onLine(line: string): Promise<void> {
    if (!line.trim()) return;
    try {
      if (!(await this.consoleCommand(line.trim()))) await this.opts.onEvent(this.toEvent(line));
    } catch (err) {
      this.opts.logger.error({ err: (err as Error).message }, 'console message not handled');
    }
  }

  /** The console's own commands; false for anything meant for the bot. */
  private async consoleCommand(line: string): Promise<boolean> {
    const command = COMMAND.exec(line);
    const name = command?.[1]?.toLowerCase();
    const args = (command?.[2] ?? '').trim();
    if (name === 'as') {
      const who = args.toLowerCase();
      if (!CONSOLE_NAME.test(who)) this.note([t('console:as.bad_name')]);
      else await this.switchTo(who);
      return true;
    }
    if (name === 'people') {
      const people = await this.everyone();
      this.note([
        t('console:people.title'),
        ...people.map((p) => t('console:people.line', { name: p.name, role: t(`console:role.${p.role ?? 'new'}`) })),
      ]);
      return true;
    }
    if (name === 'clock' && this.opts.clock) {
      this.note(await this.opts.clock(args));
      return true;
    }
    return false;
  }

  private async everyone(): Promise<ConsolePerson[]> {
    const registered = await this.opts.people();
    const names = new Set(registered.map((p) => p.name));
    return [...registered, ...[...this.seen].filter((n) => !names.has(n)).map((name) => ({ name }))].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }

  private async switchTo(name: string): Promise<void> {
    const person = (await this.opts.people()).find((p) => p.name === name);
    const again = this.seen.has(name);
    this.speaker = name;
    this.seen.add(name);
    const role = t(`console:role.${person?.role ?? 'new'}`);
    this.note([t(person || again ? 'console:as.speaking' : 'console:as.new', { name, role })]);
    const opening = again ? undefined : this.opts.opening(person);
    if (opening) await this.opts.onEvent(this.toEvent(opening));
  }

  /** A line of the console's own, not from the bot. */
  private note(text: Text[]): void {
    this.opts.output.write(`\n${text.map((x) => `· ${this.opts.render(x)}`).join('\n')}\n${this.prompt()}`);
  }

  private prompt(): string {
    return `${this.speaker}> `;
  }

  async deliver(delivery: Delivery): Promise<string> {
    const { message, conversationId } = delivery;
    const lines = ['', `→ ${nameOf(conversationId)}:`, ...message.text.split('\n').map((l) => `  ${l}`)];
    if (message.type === 'document') lines.push(`  📎 ${await this.save(message.file)}`);
    if (message.type === 'choice') {
      this.buttons.set(
        conversationId,
        message.rows.flat().map((b) => b.data),
      );
      for (const [i, b] of message.rows.flat().entries()) lines.push(`   [${i + 1}] ${b.label}`);
    } else {
      this.buttons.delete(conversationId);
    }
    if (!this.muted) this.opts.output.write(`${lines.join('\n')}\n${this.prompt()}`);
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
