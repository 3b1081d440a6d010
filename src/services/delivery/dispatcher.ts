import { forEachLimit } from '../../core/concurrency.ts';
import { ChannelError, RateLimitedError } from '../../core/errors.ts';
import { type OutboundMessage, platformOf } from '../../core/messages.ts';
import type { Participant } from '../../core/model.ts';
import type { ChannelPort, Clock, Logger, MeetingRepository, OutboxRepository, ParticipantRepository, TextRenderer } from '../../core/ports.ts';
import type { StoredOutboxMessage } from '../../core/programme.ts';
import { actionButtonData } from './action-buttons.ts';
import { RateLimiter, type RatePolicy, UNLIMITED } from './rate-limiter.ts';

export interface DispatcherOptions {
  outbox: OutboxRepository;
  participants: ParticipantRepository;
  meetings: MeetingRepository;
  channels: ReadonlyMap<string, ChannelPort>;
  policies: Record<string, RatePolicy>;
  renderer: TextRenderer;
  clock: Clock;
  logger: Logger;
  /** Names this instance in its claims. */
  instanceId: string;
  leaseMs?: number;
  batchSize?: number;
  concurrency?: number;
  maxAttempts?: number;
  /** A 429 asking to wait longer than this is retried on a later sweep instead of inline. */
  maxInlineWaitMs?: number;
}

export interface SweepReport {
  sent: number;
  failed: number;
  retried: number;
  dropped: number;
  skipped: number;
}

/**
 * Sends due outbox messages. Each attempt is claimed by an insert (`<id>:<attempt>`), so with many
 * instances on one database exactly one sends it; a claim whose lease passed (its holder died) is
 * followed by a claim of the next attempt by whoever comes next.
 */
export class OutboxDispatcher {
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly o: Required<Omit<DispatcherOptions, 'policies'>> & Pick<DispatcherOptions, 'policies'>;
  private running: Promise<SweepReport> | undefined;

  constructor(opts: DispatcherOptions) {
    this.o = { leaseMs: 60_000, batchSize: 200, concurrency: 32, maxAttempts: 8, maxInlineWaitMs: 30_000, ...opts };
  }

  /** One sweep; a sweep still running is joined rather than overlapped. */
  sweep(): Promise<SweepReport> {
    this.running ??= this.sweepOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Sweeps until nothing due is left (used by tests and at start-up after downtime). */
  async drain(maxSweeps = 100): Promise<SweepReport> {
    const total: SweepReport = { sent: 0, failed: 0, retried: 0, dropped: 0, skipped: 0 };
    for (let i = 0; i < maxSweeps; i++) {
      const r = await this.sweep();
      for (const k of Object.keys(total) as (keyof SweepReport)[]) total[k] += r[k];
      if (r.sent + r.failed + r.retried + r.dropped === 0) break;
    }
    return total;
  }

  private async sweepOnce(): Promise<SweepReport> {
    const report: SweepReport = { sent: 0, failed: 0, retried: 0, dropped: 0, skipped: 0 };
    const due = await this.o.outbox.due(this.o.clock.now(), this.o.batchSize);
    await forEachLimit(due, this.o.concurrency, async (m) => {
      try {
        report[await this.deliverOne(m)]++;
      } catch (err) {
        this.o.logger.error({ message: m.key, err: (err as Error).message }, 'delivery failed unexpectedly');
        report.skipped++;
      }
    });
    return report;
  }

  /** Finds the attempt this instance may send: the stored one, or the next one after an expired lease. */
  private async claim(m: StoredOutboxMessage, now: Date): Promise<number | null> {
    const leaseUntil = new Date(now.getTime() + this.o.leaseMs);
    for (let attempt = m.attempts; attempt < m.attempts + this.o.maxAttempts; attempt++) {
      if (await this.o.outbox.claim(m.id, attempt, this.o.instanceId, leaseUntil)) {
        await this.o.outbox.hold(m.id, leaseUntil);
        return attempt;
      }
      const lease = await this.o.outbox.leaseOf(m.id, attempt);
      if (lease && lease > now) return null;
    }
    return null;
  }

  private async deliverOne(m: StoredOutboxMessage): Promise<keyof SweepReport> {
    const now = this.o.clock.now();
    const attempt = await this.claim(m, now);
    if (attempt === null) return 'skipped';
    const recipient = await this.o.participants.findById(m.recipientId);
    const conversationId = recipient && addressOf(recipient);
    if (!recipient || !conversationId || recipient.status === 'unreachable' || recipient.status === 'left') {
      await this.o.outbox.markFailed(m.id, attempt + 1, recipient ? `recipient ${recipient.status}` : 'recipient unknown');
      return 'dropped';
    }
    if (!(await this.stillUseful(m, now))) {
      await this.o.outbox.markFailed(m.id, attempt + 1, 'no longer relevant');
      return 'dropped';
    }
    const platform = platformOf(conversationId);
    const channel = this.o.channels.get(platform);
    if (!channel) {
      await this.o.outbox.markFailed(m.id, attempt + 1, `no channel for ${platform}`);
      return 'failed';
    }
    const message = this.render(m, recipient);
    const limiter = this.limiter(platform);
    for (let waited = 0; ; ) {
      await limiter.acquire(conversationId);
      try {
        await channel.deliver({ conversationId, message });
        await this.o.outbox.markSent(m.id, this.o.clock.now());
        return 'sent';
      } catch (err) {
        if (err instanceof RateLimitedError) {
          limiter.pause(err.retryAfterMs);
          waited += err.retryAfterMs;
          if (waited <= this.o.maxInlineWaitMs) continue;
          await this.o.outbox.retryLater(m.id, attempt + 1, new Date(this.o.clock.now().getTime() + err.retryAfterMs), err.message);
          return 'retried';
        }
        return this.onFailure(m, attempt, recipient, err);
      }
    }
  }

  private async onFailure(m: StoredOutboxMessage, attempt: number, recipient: Participant, err: unknown): Promise<keyof SweepReport> {
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof ChannelError && err.code === 'channel_blocked') {
      await this.o.participants.setStatus(recipient.id, 'unreachable', this.o.clock.now());
      await this.o.outbox.markFailed(m.id, attempt + 1, reason);
      await this.o.outbox.cancelForRecipient(recipient.id);
      this.o.logger.warn({ participant: recipient.id }, 'participant blocked the bot; marked unreachable');
      return 'failed';
    }
    const permanent = err instanceof ChannelError && (err.code === 'channel_bad_request' || err.code === 'channel_not_found' || err.code === 'channel_unauthorized');
    if (permanent || attempt + 1 >= this.o.maxAttempts) {
      await this.o.outbox.markFailed(m.id, attempt + 1, reason);
      this.o.logger.warn({ message: m.key, attempts: attempt + 1, err: reason }, 'message failed');
      return 'failed';
    }
    const backoffMs = Math.min(5_000 * 2 ** attempt, 15 * 60_000);
    await this.o.outbox.retryLater(m.id, attempt + 1, new Date(this.o.clock.now().getTime() + backoffMs), reason);
    return 'retried';
  }

  /** A reminder of a meeting that was cancelled, moved or is already over is not sent. */
  private async stillUseful(m: StoredOutboxMessage, now: Date): Promise<boolean> {
    if (!m.guard) return true;
    if (m.guard.until && now > new Date(m.guard.until)) return false;
    const meeting = await this.o.meetings.get(m.guard.meetingId);
    if (meeting?.rsvps[m.recipientId] === 'not_coming') return false;
    return Boolean(meeting && meeting.version === m.guard.version && (meeting.state === 'accepted' || meeting.state === 'proposed'));
  }

  private render(m: StoredOutboxMessage, recipient: Participant): OutboundMessage {
    const text = m.text.map((x) => this.o.renderer.render(x, recipient.locale)).join('\n\n');
    if (!m.action) return { type: 'text', text };
    const columns = m.action.columns ?? 1;
    const buttons = m.action.choices.map((c) => ({ label: this.o.renderer.render(c.label, recipient.locale), data: actionButtonData(m.action!.id, c.value) }));
    const rows = [];
    for (let i = 0; i < buttons.length; i += columns) rows.push(buttons.slice(i, i + columns));
    return { type: 'choice', text, rows };
  }

  private limiter(platform: string): RateLimiter {
    let limiter = this.limiters.get(platform);
    if (!limiter) this.limiters.set(platform, (limiter = new RateLimiter(this.o.policies[platform] ?? UNLIMITED)));
    return limiter;
  }
}

/** Where to reach her: the platform she registered on first, else any she has. */
export function addressOf(p: Participant): string | undefined {
  const primary = p.identities[0]?.split(':')[0];
  return (primary && p.addresses[primary]) || Object.values(p.addresses)[0];
}
