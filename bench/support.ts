import { readdirSync, readFileSync } from 'node:fs';
import type { Logger } from '../src/core/ports.ts';
import type { FakeTelegram, FakeUser, SentMessage } from '../test/fakes/telegram-bot-api.ts';
import { L } from '../test/support/i18n.ts';

/** Drops every record: the tests' recording logger keeps them all, which a long bench cannot afford. */
export const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };

export const percentile = (xs: readonly number[], p: number): number => {
  if (!xs.length) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A registration as a person in English goes through it: what she sends and the question it brings. */
interface Step {
  text?: string;
  press?: string;
  expect: string;
}
export const REGISTRATION: readonly Step[] = [
  { text: '/start', expect: L('en', 'registration:consent.ask') },
  { press: L('en', 'registration:consent.accept'), expect: L('en', 'registration:name.ask') },
  { text: 'Amira', expect: L('en', 'registration:city.ask') },
  { text: 'Tampere', expect: L('en', 'registration:profession.ask') },
  { text: 'Civil engineer', expect: L('en', 'registration:education.ask') },
];
/** What she sends once her script is done. */
export const HELP: Step = { text: '/help', expect: L('en', 'help:guest') };
/**
 * Stops her registration for now. In the middle of a question /help is answered by the help and the question
 * again (two messages), so a script that only answers /help then would send twice what it is offered.
 */
export const PAUSE: Step = { text: '/cancel', expect: L('en', 'common:cancel.paused') };

/**
 * Plays people against the fake Telegram: sends each one's next step, matches the bot's next message to
 * her oldest unanswered update, and keeps the time from the update being handed out to that message.
 */
export class ChatDriver {
  readonly latencies: number[] = [];
  /** Messages that answered no pending step (a second message of one answer, an error message). */
  extras = 0;
  private readonly lastKeyboard = new Map<number, SentMessage>();
  private readonly pending = new Map<number, { updateId: number; expect: string; done: (m: SentMessage) => void }[]>();
  private readonly steps = new Map<number, number>();

  /**
   * `expected`: what every answer contains (a baseline's fixed reply); default: each step's question.
   * `script`: her steps, then /help.
   */
  constructor(
    readonly fake: FakeTelegram,
    private readonly expected?: string,
    private readonly script: readonly Step[] = REGISTRATION,
  ) {
    fake.onMessage = (m) => this.onMessage(m);
  }

  /** Sends her next step; resolves with the bot's answer to it. */
  next(user: FakeUser): Promise<SentMessage> {
    const n = this.steps.get(user.id) ?? 0;
    this.steps.set(user.id, n + 1);
    const step = this.script[n] ?? HELP;
    let updateId: number;
    const keyboard = step.press ? this.lastKeyboard.get(user.id) : undefined;
    const button = keyboard?.reply_markup?.inline_keyboard.flat().find((b) => b.text.includes(step.press!));
    if (step.press && button) updateId = this.fake.pressData(user, button.callback_data, keyboard!.message_id);
    else if (step.press) updateId = this.fake.pressData(user, 'bench');
    else updateId = this.fake.sendText(user, step.text!);
    return new Promise((done) => {
      const queue = this.pending.get(user.id) ?? [];
      queue.push({ updateId, expect: step.expect, done });
      this.pending.set(user.id, queue);
    });
  }

  /** Updates offered and not answered yet. */
  get unanswered(): number {
    let n = 0;
    for (const q of this.pending.values()) n += q.length;
    return n;
  }

  /** A message answers her oldest pending step whose question it carries; other messages are extras. */
  private onMessage(m: SentMessage): void {
    if (m.reply_markup?.inline_keyboard.length) this.lastKeyboard.set(m.chat_id, m);
    const queue = this.pending.get(m.chat_id) ?? [];
    const i = queue.findIndex((w) => m.text.includes(this.expected ?? w.expect));
    if (i < 0) {
      this.extras++;
      return;
    }
    const [answered] = queue.splice(i, 1);
    this.latencies.push(performance.now() - (this.fake.handedOut.get(answered!.updateId) ?? Number.NaN));
    answered!.done(m);
  }
}

/** VmRSS and VmHWM (peak) of one process, in MB; undefined once it has gone. */
export function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** The process and all its descendants, from /proc. */
export function treeOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The name in parentheses may hold spaces; the parent pid is the second field after it.
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  return tree;
}

/** Summed VmRSS of a process tree in MB (pages shared between them are counted in each), and its size. */
export function treeMemory(root: number): { rss: number; processes: number } {
  const pids = treeOf(root);
  return { rss: pids.reduce((sum, pid) => sum + (memoryOf(pid)?.rss ?? 0), 0), processes: pids.length };
}
