import { ChannelError, RateLimitedError } from '../../core/errors.ts';
import { type Delivery, platformOf } from '../../core/messages.ts';
import type { ChannelPort, CounterSeries, Logger, Metrics, ReplyOrder, ReplyPort } from '../../core/ports.ts';
import { NO_METRICS } from '../../core/ports.ts';
import { SendingRate } from '../sending-rate.ts';
import { RateLimiter, UNLIMITED } from './rate-limiter.ts';

export interface ReplySenderOptions {
  channels: ReadonlyMap<string, ChannelPort>;
  /** The platform's one limiter, shared with the outbox dispatcher. */
  limiters: ReadonlyMap<string, RateLimiter>;
  logger: Logger;
  /** Sends under way at once per platform (they still take the limiter's slots one by one). */
  maxInFlight?: number;
  /** Tries of a reply that fails for a transient reason, the first included. */
  maxAttempts?: number;
  /** 429 answers one reply may get before it is given up. */
  maxRateLimited?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Forgotten once nothing was waiting for it this long. */
  idleMs?: number;
  /** Replies one conversation may have waiting; more are dropped, as only a flood gets there. */
  maxQueuedPerConversation?: number;
  now?: () => number;
  /** Counts replies sent, given up and answered with a 429, by platform. */
  metrics?: Metrics;
}

interface Job {
  delivery: Delivery;
  eventId: string | undefined;
  at: number;
  attempts: number;
  limited: number;
  /** How fast the event it answers was written (SendingRate): 1 for one thing at a time. */
  rank: number;
  /** When that event was written, by the platform's clock. */
  sentAt: number;
}

interface Conversation {
  id: string;
  jobs: Job[];
  busy: boolean;
  /** Not tried again before this time (its own window, a 429, a backoff). */
  notBefore: number;
  lastActive: number;
  /** The highest rank among its waiting replies: a conversation with a flood queued yields, head and all. */
  rank: number;
}

/** One platform: its channel, its limiter, its conversations with replies waiting. */
interface Lane {
  platform: string;
  channel: ChannelPort;
  limiter: RateLimiter;
  conversations: Map<string, Conversation>;
  ready: Set<Conversation>;
  inFlight: number;
  running: boolean;
  done: Promise<void>;
  wake: (() => void) | undefined;
  rate: SendingRate;
  counts: { sent: CounterSeries; failed: CounterSeries; rateLimited: CounterSeries };
}

/** The conversation with nothing written in a hurry waiting first; then the one whose next reply was asked first. */
const before = (a: Conversation, b: Conversation) => {
  const x = a.jobs[0]!;
  const y = b.jobs[0]!;
  return a.rank < b.rank || (a.rank === b.rank && (x.sentAt < y.sentAt || (x.sentAt === y.sentAt && x.at < y.at)));
};
const maxRank = (jobs: readonly Job[]) => jobs.reduce((m, j) => Math.max(m, j.rank), 0);

/** `waiting` is read at each scrape: it walks the conversations then, never on a send. */
function replyMetrics(metrics: Metrics, waiting: (set: (labels: { platform: string }, value: number) => void) => void) {
  metrics.gauge({
    name: 'womento_replies_waiting',
    help: 'Replies accepted and not yet sent or given up, by platform',
    labels: ['platform'],
    collect: waiting,
  });
  return {
    sent: metrics.counter({
      name: 'womento_replies_sent_total',
      help: 'Replies to people delivered to the platform, by platform',
      labels: ['platform'],
    }),
    failed: metrics.counter({
      name: 'womento_replies_failed_total',
      help: 'Replies given up (refused by the platform, retries used up, or dropped in a flood), by platform',
      labels: ['platform'],
    }),
    rateLimited: platformRateLimited(metrics),
  };
}

/** 429 answers of a platform, by who got them: the replies or the outbox. */
export const platformRateLimited = (metrics: Metrics) =>
  metrics.counter({
    name: 'womento_platform_rate_limited_total',
    help: 'Sends answered with 429 (too many requests) by the platform, by platform and source (reply, outbox)',
    labels: ['platform', 'source'],
  });

const PERMANENT = new Set(['channel_blocked', 'channel_bad_request', 'channel_not_found', 'channel_unauthorized']);

/**
 * Sends replies in the background so the engine's intake is not held by the send rate.
 *
 * Under overload, who is answered first: the conversation whose waiting replies answer only events
 * written one at a time, by the times the platform gave her messages (see SendingRate; ties: the one
 * whose next reply was asked first). Someone who asks one thing at a time stays at rank 1 and goes
 * ahead of a flood's whole backlog, even when her messages were fetched in one batch behind it. One
 * loop per platform picks the next reply only when the limiter has a slot, so the order decided is
 * the order sent.
 */
export class ReplySender implements ReplyPort {
  private readonly lanes = new Map<string, Lane>();
  private readonly o: Required<Omit<ReplySenderOptions, 'channels' | 'limiters' | 'logger' | 'metrics'>>;
  private readonly metrics: ReturnType<typeof replyMetrics>;
  private readonly log: Logger;
  /** Replies given up (logged each), for reports and tests. */
  lost = 0;

  constructor(private readonly deps: ReplySenderOptions) {
    this.log = deps.logger;
    this.metrics = replyMetrics(deps.metrics ?? NO_METRICS, (set) => {
      for (const lane of this.lanes.values()) {
        let waiting = 0;
        for (const conv of lane.conversations.values()) waiting += conv.jobs.length;
        set({ platform: lane.platform }, waiting);
      }
    });
    this.o = {
      maxInFlight: 16,
      maxAttempts: 6,
      maxRateLimited: 20,
      retryBaseMs: 500,
      retryMaxMs: 10_000,
      idleMs: 1_000,
      maxQueuedPerConversation: 100,
      now: () => performance.now(),
      ...deps,
    };
  }

  send(deliveries: readonly Delivery[], eventId?: string, order: ReplyOrder = {}): Promise<void> {
    const now = this.o.now();
    const origin = order.sentAt ?? Date.now();
    /** One rank per conversation for all of one event's replies: a reply in two parts is no flood. */
    const ranks = new Map<string, number>();
    for (const delivery of deliveries) {
      const lane = this.lane(platformOf(delivery.conversationId));
      if (!lane) {
        this.lost++;
        this.metrics.failed.with({ platform: platformOf(delivery.conversationId) }).inc();
        this.log.error({ event: eventId, platform: platformOf(delivery.conversationId) }, 'no channel for reply');
        continue;
      }
      const conv = this.conversation(lane, delivery.conversationId, now);
      if (conv.jobs.length >= this.o.maxQueuedPerConversation) {
        this.lost++;
        lane.counts.failed.inc();
        const fields = { event: eventId, platform: lane.platform, queued: conv.jobs.length };
        this.log.warn(fields, 'reply dropped: too many waiting for one conversation');
        continue;
      }
      const rank = ranks.get(conv.id) ?? Math.max(lane.rate.rank(conv.id, origin), order.hurry ?? 1);
      ranks.set(conv.id, rank);
      conv.jobs.push({ delivery, eventId, at: now, attempts: 0, limited: 0, rank, sentAt: origin });
      conv.rank = Math.max(conv.rank, rank);
      conv.lastActive = now;
      if (!conv.busy) lane.ready.add(conv);
      this.kick(lane);
    }
    return Promise.resolve();
  }

  async idle(): Promise<void> {
    const running = () => [...this.lanes.values()].filter((l) => l.running);
    // A send that finishes may be followed by a retry, so the lanes are asked again until all rest.
    for (let lanes = running(); lanes.length; lanes = running()) await Promise.all(lanes.map((l) => l.done));
  }

  private lane(platform: string): Lane | undefined {
    let lane = this.lanes.get(platform);
    if (lane) return lane;
    const channel = this.deps.channels.get(platform);
    if (!channel) return undefined;
    const limiter = this.deps.limiters.get(platform) ?? new RateLimiter(UNLIMITED);
    lane = {
      platform,
      channel,
      limiter,
      conversations: new Map(),
      ready: new Set(),
      inFlight: 0,
      running: false,
      done: Promise.resolve(),
      wake: undefined,
      rate: new SendingRate(),
      counts: {
        sent: this.metrics.sent.with({ platform }),
        failed: this.metrics.failed.with({ platform }),
        rateLimited: this.metrics.rateLimited.with({ platform, source: 'reply' }),
      },
    };
    this.lanes.set(platform, lane);
    return lane;
  }

  private conversation(lane: Lane, id: string, now: number): Conversation {
    let conv = lane.conversations.get(id);
    if (!conv) {
      if (lane.conversations.size >= 10_000) this.forgetIdle(lane, now);
      conv = { id, jobs: [], busy: false, notBefore: 0, lastActive: now, rank: 0 };
      lane.conversations.set(id, conv);
    }
    return conv;
  }

  private forgetIdle(lane: Lane, now: number): void {
    for (const [id, c] of lane.conversations) {
      if (!c.jobs.length && !c.busy && now - c.lastActive > this.o.idleMs) lane.conversations.delete(id);
    }
  }

  private kick(lane: Lane): void {
    if (lane.running) {
      lane.wake?.();
      return;
    }
    lane.running = true;
    lane.done = this.run(lane).catch((err) => {
      lane.running = false;
      this.log.error({ err: (err as Error).message, platform: lane.platform }, 'reply loop failed');
    });
  }

  /** Resolves on the next enqueue or finished send, or after `ms`. */
  private signal(lane: Lane, ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, Math.max(1, ms));
      function done() {
        clearTimeout(timer);
        if (lane.wake === done) lane.wake = undefined;
        resolve();
      }
      lane.wake = done;
    });
  }

  private async run(lane: Lane): Promise<void> {
    for (;;) {
      if (lane.inFlight >= this.o.maxInFlight) {
        await this.signal(lane);
        continue;
      }
      const { best, retryIn } = this.pick(lane);
      if (!best) {
        if (!lane.ready.size && !lane.inFlight) {
          // Set in the same turn as the check, so an enqueue after it starts a new loop.
          lane.running = false;
          return;
        }
        await this.signal(lane, retryIn);
        continue;
      }
      const wait = lane.limiter.tryAcquire(best.id);
      if (wait > 0) {
        // The platform's window is full (or paused after a 429): nothing can go before then.
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      void this.sendHead(lane, best);
    }
  }

  /** The conversation to answer next; or when the earliest parked one may go. */
  private pick(lane: Lane): { best: Conversation | undefined; retryIn: number | undefined } {
    const now = this.o.now();
    let best: Conversation | undefined;
    let retryIn: number | undefined;
    for (const conv of lane.ready) {
      let wait = conv.notBefore - now;
      if (wait <= 0) wait = lane.limiter.ownWait(conv.id);
      if (wait > 0) {
        conv.notBefore = now + wait;
        retryIn = Math.min(retryIn ?? wait, wait);
        continue;
      }
      if (!best || before(conv, best)) best = conv;
    }
    return { best, retryIn };
  }

  private async sendHead(lane: Lane, conv: Conversation): Promise<void> {
    const job = conv.jobs[0]!;
    conv.busy = true;
    lane.ready.delete(conv);
    lane.inFlight++;
    try {
      try {
        await lane.channel.deliver(job.delivery);
      } finally {
        lane.limiter.finished(conv.id);
      }
      lane.counts.sent.inc();
      conv.jobs.shift();
      conv.rank = maxRank(conv.jobs);
    } catch (err) {
      this.onFailure(lane, conv, job, err);
    } finally {
      conv.busy = false;
      conv.lastActive = this.o.now();
      lane.inFlight--;
      if (conv.jobs.length) lane.ready.add(conv);
      lane.wake?.();
    }
  }

  /** A 429 waits its retry_after; a transient failure backs off; a permanent one is logged and dropped. */
  private onFailure(lane: Lane, conv: Conversation, job: Job, err: unknown): void {
    const now = this.o.now();
    const fields = { event: job.eventId, platform: lane.platform };
    if (err instanceof RateLimitedError) {
      lane.limiter.pause(err.retryAfterMs);
      lane.counts.rateLimited.inc();
      if (++job.limited <= this.o.maxRateLimited) {
        conv.notBefore = now + err.retryAfterMs;
        return;
      }
    } else if (err instanceof ChannelError && PERMANENT.has(err.code)) {
      conv.jobs.shift();
      conv.rank = maxRank(conv.jobs);
      this.lost++;
      lane.counts.failed.inc();
      this.log.warn({ ...fields, code: err.code }, 'reply not delivered: refused by the platform');
      return;
    } else if (++job.attempts < this.o.maxAttempts) {
      conv.notBefore = now + Math.min(this.o.retryBaseMs * 2 ** (job.attempts - 1), this.o.retryMaxMs);
      return;
    }
    conv.jobs.shift();
    conv.rank = maxRank(conv.jobs);
    this.lost++;
    lane.counts.failed.inc();
    const code = err instanceof Error ? ((err as { code?: string }).code ?? err.name) : 'unknown';
    this.log.error({ ...fields, code, attempts: job.attempts, rateLimited: job.limited }, 'reply lost after retries');
  }
}
