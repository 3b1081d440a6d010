import { forEachLimit } from '../../core/concurrency.ts';
import { ChannelError, RateLimitedError } from '../../core/errors.ts';
import { type FileAttachment, type OutboundMessage, platformOf } from '../../core/messages.ts';
import type { Locale, Participant } from '../../core/model.ts';
import {
  type ChannelPort,
  type CheckInRepository,
  type Clock,
  type CounterSeries,
  type Logger,
  type MeetingRepository,
  type Metrics,
  NO_METRICS,
  type OutboxRepository,
  type ParticipantRepository,
  type RatePolicy,
  type TextRenderer,
} from '../../core/ports.ts';
import { seriesBy } from '../../core/metrics.ts';
import type { CheckIn, Meeting, StoredOutboxMessage } from '../../core/programme.ts';
import { actionButtonData } from '../../core/action-buttons.ts';
import { RateLimiter, UNLIMITED } from './rate-limiter.ts';
import { platformRateLimited } from './reply-sender.ts';

export interface DispatcherOptions {
  outbox: OutboxRepository;
  participants: ParticipantRepository;
  meetings: MeetingRepository;
  checkins: CheckInRepository;
  channels: ReadonlyMap<string, ChannelPort>;
  /** Each platform's one limiter, shared with the replies to people (the composition root makes them). */
  limiters?: ReadonlyMap<string, RateLimiter>;
  /** For a platform without a limiter given: the policy of one this dispatcher makes. */
  policies?: Record<string, RatePolicy>;
  renderer: TextRenderer;
  clock: Clock;
  logger: Logger;
  /** Names this instance in its claims. */
  instanceId: string;
  leaseMs?: number;
  batchSize?: number;
  concurrency?: number;
  maxAttempts?: number;
  /** Told when a person blocked the bot, so her pairs' health can show it. */
  onUnreachable?: (participantId: string, now: Date) => Promise<void>;
  /** The language of messages to officers' chats and channels (`conv:` recipients). */
  channelLocale?: Locale;
  /** A 429 asking to wait longer than this is retried on a later sweep instead of inline. */
  maxInlineWaitMs?: number;
  /** Makes a message's file when it is sent (a certificate in her language of then); undefined: no longer possible. */
  attachments?: (
    attachment: NonNullable<StoredOutboxMessage['attachment']>,
    recipient: Participant,
  ) => Promise<FileAttachment | undefined>;
  /** Counts sweeps, their outcomes, messages sent by category and 429s. */
  metrics?: Metrics;
}

export interface SweepReport {
  sent: number;
  failed: number;
  retried: number;
  dropped: number;
  /** Due but claimed by another instance (or left for the next sweep). */
  skipped: number;
}

/**
 * Sends due outbox messages. Each attempt is claimed by an insert (`<id>:<attempt>`), so with many
 * instances on one database exactly one sends it; a claim whose lease passed (its holder died) is
 * followed by a claim of the next attempt by whoever comes next.
 */
export class OutboxDispatcher {
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly o: Required<
    Omit<DispatcherOptions, 'policies' | 'limiters' | 'onUnreachable' | 'attachments' | 'metrics'>
  > &
    Pick<DispatcherOptions, 'policies' | 'onUnreachable' | 'attachments'>;
  private running: Promise<SweepReport> | undefined;
  private readonly metrics: ReturnType<typeof outboxMetrics>;

  constructor(opts: DispatcherOptions) {
    for (const [platform, limiter] of opts.limiters ?? []) this.limiters.set(platform, limiter);
    this.metrics = outboxMetrics(opts.metrics ?? NO_METRICS);
    this.o = {
      leaseMs: 60_000,
      batchSize: 200,
      concurrency: 32,
      maxAttempts: 8,
      maxInlineWaitMs: 30_000,
      channelLocale: 'en',
      ...opts,
    };
  }

  /** One sweep; a sweep still running is joined rather than overlapped. */
  sweep(): Promise<SweepReport> {
    this.running ??= this.sweepOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * Sweeps until nothing due is left. Two sweep loops run side by side, sharing the rate limiters,
   * so one loop's database work (find, claim) overlaps the other's sending.
   */
  async drain(maxSweeps = 100): Promise<SweepReport> {
    const total: SweepReport = { sent: 0, failed: 0, retried: 0, dropped: 0, skipped: 0 };
    let sweeps = 0;
    const loop = async () => {
      // Stops when nothing is due, or when several sweeps in a row found only others' claims.
      for (let idle = 0; sweeps < maxSweeps && idle < 3; sweeps++) {
        const r = await this.sweepOnce();
        for (const k of Object.keys(total) as (keyof SweepReport)[]) total[k] += r[k];
        if (r.sent + r.failed + r.retried + r.dropped + r.skipped === 0) break;
        idle = r.sent + r.failed + r.retried + r.dropped === 0 ? idle + 1 : 0;
      }
    };
    this.running ??= Promise.all([loop(), loop()])
      .then(() => total)
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(): Promise<SweepReport> {
    const report: SweepReport = { sent: 0, failed: 0, retried: 0, dropped: 0, skipped: 0 };
    const now = this.o.clock.now();
    const due = await this.o.outbox.due(now, this.o.batchSize);
    this.metrics.sweeps.inc();
    this.metrics.due.set(due.length);
    const claimed = await this.claim(due, now);
    const leaseEnd = now.getTime() + this.o.leaseMs;
    report.skipped += due.length - claimed.length;
    if (!claimed.length) return this.counted(report);
    // Everything a send needs is read in two queries for the whole batch.
    const recipients = await this.o.participants.findByIds([
      ...new Set(claimed.map(({ m }) => m.recipientId).filter((id) => !id.startsWith(CHANNEL))),
    ]);
    // A chat or channel of officers is addressed directly; it stands in as a participant without data.
    for (const { m } of claimed)
      if (m.recipientId.startsWith(CHANNEL))
        recipients.set(m.recipientId, channelRecipient(m.recipientId, this.o.channelLocale));
    const meetings = await this.o.meetings.getMany([
      ...new Set(claimed.flatMap(({ m }) => (m.guard && 'meetingId' in m.guard ? [m.guard.meetingId] : []))),
    ]);
    const checkins = await this.o.checkins.getMany([
      ...new Set(claimed.flatMap(({ m }) => (m.guard && 'checkinId' in m.guard ? [m.guard.checkinId] : []))),
    ]);
    const sent = new SentMarks(this.o.outbox, this.o.clock);
    await forEachLimit(claimed, this.o.concurrency, async ({ m, attempt }) => {
      try {
        report[
          await this.deliverOne(m, attempt, recipients.get(m.recipientId), { meetings, checkins }, now, sent, leaseEnd)
        ]++;
      } catch (err) {
        this.o.logger.error({ message: m.key, err: (err as Error).message }, 'delivery failed unexpectedly');
        report.skipped++;
      }
    });
    await sent.flush();
    return this.counted(report);
  }

  private counted(report: SweepReport): SweepReport {
    for (const k of OUTCOMES) if (report[k]) this.metrics.results[k].inc(report[k]);
    return report;
  }

  /**
   * Claims the batch with one insert of `<id>:<attempt>` documents. A message whose claim is taken
   * but whose lease has passed (its holder died) is claimed at the next attempt.
   */
  private async claim(due: StoredOutboxMessage[], now: Date): Promise<{ m: StoredOutboxMessage; attempt: number }[]> {
    const leaseUntil = new Date(now.getTime() + this.o.leaseMs);
    const attemptOf = new Map(due.map((m) => [m.id, m.attempts]));
    const won: { m: StoredOutboxMessage; attempt: number }[] = [];
    let pending = due;
    for (let round = 0; pending.length && round < this.o.maxAttempts; round++) {
      const tries = pending.map((m) => ({ id: m.id, attempt: attemptOf.get(m.id)! }));
      const winners = await this.o.outbox.claimMany(tries, this.o.instanceId, leaseUntil);
      for (const m of pending) if (winners.has(m.id)) won.push({ m, attempt: attemptOf.get(m.id)! });
      const lost = tries.filter((x) => !winners.has(x.id));
      if (!lost.length) break;
      const leases = await this.o.outbox.leases(lost);
      const expired = new Set(lost.filter((x) => (leases.get(`${x.id}:${x.attempt}`) ?? now) <= now).map((x) => x.id));
      pending = pending.filter((m) => expired.has(m.id));
      for (const m of pending) attemptOf.set(m.id, attemptOf.get(m.id)! + 1);
    }
    return this.stillDue(won, now);
  }

  /**
   * A claim taken after another holder gave its attempt back was decided on what `due` read before: that
   * holder may have set a later try (a backoff) meanwhile. Such a message is read again and sent only if it
   * is still due; otherwise the claim is given back at once.
   */
  private async stillDue(won: { m: StoredOutboxMessage; attempt: number }[], now: Date) {
    const kept: { m: StoredOutboxMessage; attempt: number }[] = [];
    for (const x of won) {
      if (x.attempt === x.m.attempts) {
        kept.push(x);
        continue;
      }
      const fresh = await this.o.outbox.get(x.m.id);
      const due = fresh?.state === 'pending' && fresh.nextAttemptAt <= now && fresh.attempts <= x.attempt;
      if (due) kept.push({ m: fresh, attempt: x.attempt });
      else await this.o.outbox.release(x.m.id, x.attempt);
    }
    return kept;
  }

  private async deliverOne(
    m: StoredOutboxMessage,
    attempt: number,
    recipient: Participant | undefined,
    refs: Refs,
    now: Date,
    sent: SentMarks,
    leaseEnd: number,
  ): Promise<keyof SweepReport> {
    const conversationId = recipient && addressOf(recipient);
    if (!recipient || !conversationId || recipient.status === 'unreachable' || recipient.status === 'left') {
      await this.o.outbox.markFailed(
        m.id,
        attempt + 1,
        recipient ? `recipient ${recipient.status}` : 'recipient unknown',
      );
      return 'dropped';
    }
    // She refused a new privacy notice: nothing is sent to her until she agrees.
    if (!recipient.consent.given) {
      await this.o.outbox.markFailed(m.id, attempt + 1, 'recipient refused consent');
      return 'dropped';
    }
    if (!stillUseful(m, refs, now)) {
      await this.o.outbox.markFailed(m.id, attempt + 1, 'no longer relevant');
      return 'dropped';
    }
    const platform = platformOf(conversationId);
    const channel = this.o.channels.get(platform);
    if (!channel) {
      await this.o.outbox.markFailed(m.id, attempt + 1, `no channel for ${platform}`);
      return 'failed';
    }
    let message = this.render(m, recipient);
    if (m.attachment) {
      const file = await this.o.attachments?.(m.attachment, recipient);
      if (!file) {
        await this.o.outbox.markFailed(m.id, attempt + 1, `no ${m.attachment.kind} to attach`);
        return 'dropped';
      }
      message = { type: 'document', text: message.text, file };
    }
    const limiter = this.limiter(platform);
    for (let waited = 0; ; ) {
      await limiter.acquire(conversationId);
      // A send that would start near the end of the lease is left to the next sweep, so no other
      // instance can take over a claim this one is still using.
      if (this.o.clock.now().getTime() > leaseEnd - 5_000) {
        limiter.finished(conversationId);
        return 'skipped';
      }
      try {
        try {
          await channel.deliver({ conversationId, message });
        } finally {
          limiter.finished(conversationId);
        }
        this.metrics.sentBy(m.category).inc();
        await sent.add(m.id);
        return 'sent';
      } catch (err) {
        if (err instanceof RateLimitedError) {
          limiter.pause(err.retryAfterMs);
          this.metrics.rateLimited(platform).inc();
          waited += err.retryAfterMs;
          if (waited <= this.o.maxInlineWaitMs) continue;
          await this.o.outbox.retryLater(
            m.id,
            attempt + 1,
            new Date(this.o.clock.now().getTime() + err.retryAfterMs),
            err.message,
          );
          return 'retried';
        }
        return this.onFailure(m, attempt, recipient, err);
      }
    }
  }

  private async onFailure(
    m: StoredOutboxMessage,
    attempt: number,
    recipient: Participant,
    err: unknown,
  ): Promise<keyof SweepReport> {
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof ChannelError && err.code === 'channel_blocked') {
      await this.o.participants.setStatus(recipient.id, 'unreachable', this.o.clock.now());
      await this.o.outbox.markFailed(m.id, attempt + 1, reason);
      await this.o.outbox.cancelForRecipient(recipient.id);
      await this.o.onUnreachable?.(recipient.id, this.o.clock.now());
      this.o.logger.warn({ participant: recipient.id }, 'participant blocked the bot; marked unreachable');
      return 'failed';
    }
    const permanent =
      err instanceof ChannelError &&
      (err.code === 'channel_bad_request' || err.code === 'channel_not_found' || err.code === 'channel_unauthorized');
    if (permanent || attempt + 1 >= this.o.maxAttempts) {
      await this.o.outbox.markFailed(m.id, attempt + 1, reason);
      this.o.logger.warn({ message: m.key, attempts: attempt + 1, err: reason }, 'message failed');
      return 'failed';
    }
    const backoffMs = Math.min(5_000 * 2 ** attempt, 15 * 60_000);
    await this.o.outbox.retryLater(m.id, attempt + 1, new Date(this.o.clock.now().getTime() + backoffMs), reason);
    return 'retried';
  }

  private render(m: StoredOutboxMessage, recipient: Participant): OutboundMessage {
    // A group of many languages reads each line in each of them; a line that is the same in all (a quoted
    // question) once.
    const locales = (m.locales?.length ? m.locales : [recipient.locale]) as Locale[];
    const text = m.text
      .map((x) => [...new Set(locales.map((l) => this.o.renderer.render(x, l)))].join('\n'))
      .join('\n\n');
    if (!m.action) return { type: 'text', text };
    const columns = m.action.columns ?? 1;
    const buttons = m.action.choices.map((c) => ({
      label: this.o.renderer.render(c.label, recipient.locale),
      data: actionButtonData(m.action!.id, c.value),
    }));
    const rows = [];
    for (let i = 0; i < buttons.length; i += columns) rows.push(buttons.slice(i, i + columns));
    return { type: 'choice', text, rows };
  }

  private limiter(platform: string): RateLimiter {
    const known = this.limiters.get(platform);
    if (known) return known;
    const limiter = new RateLimiter(this.o.policies?.[platform] ?? UNLIMITED);
    this.limiters.set(platform, limiter);
    return limiter;
  }
}

const CHANNEL = 'conv:';
const OUTCOMES = ['sent', 'failed', 'retried', 'dropped', 'skipped'] as const;

function outboxMetrics(metrics: Metrics) {
  const results = metrics.counter({
    name: 'womento_outbox_results_total',
    help: 'Outbox messages handled by sweeps, by outcome (sent, failed, retried, dropped, skipped)',
    labels: ['outcome'],
  });
  const rateLimited = platformRateLimited(metrics);
  return {
    sweeps: metrics.counter({ name: 'womento_outbox_sweeps_total', help: 'Outbox sweeps run' }).with({}),
    due: metrics
      .gauge({ name: 'womento_outbox_due', help: 'Messages due found by the latest sweep (at most one batch)' })
      .with({}),
    results: Object.fromEntries(OUTCOMES.map((o) => [o, results.with({ outcome: o })])) as Record<
      (typeof OUTCOMES)[number],
      CounterSeries
    >,
    sentBy: seriesBy(
      metrics.counter({
        name: 'womento_messages_sent_total',
        help: 'Outbox messages delivered, by category (essential, announcement)',
        labels: ['category'],
      }),
      'category',
    ),
    rateLimited: (platform: string) => rateLimited.with({ platform, source: 'outbox' }),
  };
}

function channelRecipient(recipientId: string, locale: Locale): Participant {
  const conversationId = recipientId.slice(CHANNEL.length);
  const platform = platformOf(conversationId);
  const at = new Date(0);
  return {
    id: recipientId,
    role: 'officer',
    identities: [`${platform}:channel`],
    addresses: { [platform]: conversationId },
    locale,
    timeZone: 'Europe/Helsinki',
    status: 'waiting',
    consent: { given: true, textVersion: 'channel', at },
    createdAt: at,
    updatedAt: at,
  };
}

/** Where to reach her: the platform she registered on first, else any she has. */
export function addressOf(p: Participant): string | undefined {
  const primary = p.identities[0]?.split(':')[0];
  return (primary && p.addresses[primary]) || Object.values(p.addresses)[0];
}

/** A reminder of a meeting that was cancelled, moved, declined or is already over is not sent. */
interface Refs {
  meetings: ReadonlyMap<string, Meeting>;
  checkins: ReadonlyMap<string, CheckIn>;
}

/** A check-in reminder is dropped once she has answered. */
function stillUseful(m: StoredOutboxMessage, refs: Refs, now: Date): boolean {
  if (!m.guard) return true;
  if ('checkinId' in m.guard) return refs.checkins.get(m.guard.checkinId)?.state === 'sent';
  if (m.guard.until && now > new Date(m.guard.until)) return false;
  const meeting = refs.meetings.get(m.guard.meetingId);
  if (!meeting || meeting.rsvps[m.recipientId] === 'not_coming') return false;
  return meeting.version === m.guard.version && (meeting.state === 'accepted' || meeting.state === 'proposed');
}

/**
 * "Sent" marks, written in batches (one update per 25 sends or 200 ms): a crash loses only marks
 * of messages this instance had claimed, which is the one case the guarantee allows to repeat.
 */
class SentMarks {
  private ids: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
  ) {}

  async add(id: string): Promise<void> {
    this.ids.push(id);
    if (this.ids.length >= 25) return this.flush();
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), 200);
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ids = this.ids;
    this.ids = [];
    this.writing = this.writing.then(() => this.outbox.markSentMany(ids, this.clock.now()));
    return this.writing;
  }
}
