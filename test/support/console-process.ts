import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The console chat as a person uses it: `src/main.ts` run as `npm start` runs it, typed to through stdin,
 * read from stdout. Messages are found by whom they are for (`→ <name>:`), buttons by their label.
 */
export class ConsoleProcess {
  readonly child: ChildProcessWithoutNullStreams;
  screen = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private lastData = Date.now();

  constructor(env: Record<string, string>, args: string[] = []) {
    this.child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/main.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (d) => {
      this.screen += d;
      this.lastData = Date.now();
    });
    this.child.stderr.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  /** The messages for `name` shown so far, each its text and buttons. */
  messagesFor(name: string, from = 0): string[] {
    return this.screen
      .slice(from)
      .split(/\n(?=→ |· )/)
      .filter((b) => b.startsWith(`→ ${name}:`))
      .map((b) => b.replace(/\n[a-z0-9_-]+> $/, ''));
  }

  last(name: string): string {
    return this.messagesFor(name).at(-1) ?? '';
  }

  /** Waits until the screen after `from` shows `what`, then until the output has been quiet for a moment. */
  async waitFor(what: RegExp | string, from = 0, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const seen = () =>
      typeof what === 'string' ? this.screen.slice(from).includes(what) : what.test(this.screen.slice(from));
    while (!seen()) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(
          `waited for ${String(what)}; screen ends with:\n${this.screen.slice(-2500)}\nstderr:\n${this.stderr.slice(-1000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    await this.quiet();
  }

  async quiet(ms = 150): Promise<void> {
    while (Date.now() - this.lastData < ms) await new Promise((r) => setTimeout(r, 25));
  }

  /** Types a line and waits for the next message to `name` (the one speaking, by default). */
  async type(line: string, name?: string, expect?: RegExp | string): Promise<string> {
    const who = name ?? this.speaker();
    const before = this.messagesFor(who).length;
    const mark = this.screen.length;
    this.child.stdin.write(`${line}\n`);
    const deadline = Date.now() + 20_000;
    while (this.messagesFor(who).length <= before || (expect && !this.matches(expect, mark))) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(
          `typed ${JSON.stringify(line)} as ${who}, no answer${expect ? ` with ${String(expect)}` : ''}; screen ends with:\n${this.screen.slice(-2500)}\nstderr:\n${this.stderr.slice(-1000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    await this.quiet();
    return this.last(who);
  }

  private matches(what: RegExp | string, from: number): boolean {
    const text = this.screen.slice(from);
    return typeof what === 'string' ? text.includes(what) : what.test(text);
  }

  /** Types a console line (`/as`, `/people`, `/clock`) that the console itself answers. */
  async console(line: string, expect: RegExp | string): Promise<void> {
    const mark = this.screen.length;
    this.child.stdin.write(`${line}\n`);
    await this.waitFor(expect, mark, 120_000);
  }

  /** Presses the button of the last message to `name` whose label matches. */
  async press(label: RegExp, name?: string, expect?: RegExp | string): Promise<string> {
    const who = name ?? this.speaker();
    const message = this.last(who);
    const line = message.split('\n').find((l) => /^ {3}\[\d+\] /.test(l) && label.test(l));
    if (!line) throw new Error(`no button ${String(label)} in the last message to ${who}:\n${message}`);
    return this.type(/\[(\d+)\]/.exec(line)![1]!, who, expect);
  }

  speaker(): string {
    const prompts = this.screen.match(/\n([a-z0-9_-]+)> /g);
    return prompts?.at(-1)?.trim().slice(0, -1) ?? '';
  }

  async close(): Promise<number | null> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
