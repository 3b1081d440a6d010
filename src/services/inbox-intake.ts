import { StorageUnavailableError } from '../core/errors.ts';
import { type InboundEvent, platformOf } from '../core/messages.ts';
import {
  type Clock,
  type CounterSeries,
  type EventInbox,
  type InboundIntake,
  type Logger,
  type Metrics,
  NO_METRICS,
} from '../core/ports.ts';
import { perKey } from '../core/metrics.ts';
import { SendingRate } from './sending-rate.ts';

export interface InboxIntakeDeps {
  inbox: EventInbox;
  /** The engine: resolves once the event's outcome is stored; StorageUnavailableError means "try again". */
  handle: (event: InboundEvent) => Promise<void>;
  /** Begins the engine's reads for an event while it is stored; dropped if it is not handled here. */
  readAhead?: { begin(event: InboundEvent): void; drop(eventId: string): void };
  clock: Clock;
  logger: Logger;
  instanceId: string;
  /** How long an attempt may take before another instance takes the event over. */
  leaseMs?: number;
  /** Storing must answer within the platform's budget (Slack: 3 s), or the platform is not acknowledged. */
  acceptTimeoutMs?: number;
  /** How many stored events are handled at once. */
  concurrency?: number;
  /** Counts events stored, redelivered or not stored, and those taken over after a lost lease. */
  metrics?: Metrics;
  /**
   * How long an event may be handled before it is stored (see handleAtOnce); 0: every event is stored first.
   * Below the platform's budget (Slack: 3 s) with room for the insert that follows a slow handling.
   */
  directMs?: number;
  /** How many events are handled before they are stored at once, beside the `concurrency` stored ones. */
  directConcurrency?: number;
}

const LEASE_MS = 30_000;
const ACCEPT_TIMEOUT_MS = 2_500;
const RECOVER_BATCH = 100;
const CONCURRENCY = 8;
const DIRECT_MS = 1_000;
const DIRECT_CONCURRENCY = 16;

interface Queued {
  event: InboundEvent;
  leaseUntil: Date;
  queuedAt: number;
  /** Her message's own time (the platform's, else when it was stored). */
  sentAt: number;
  /** How fast she was writing then (see SendingRate): 1 for one message at a time. */
  rank: number;
  /** Her queue's highest rank when it was picked, passed on to order its replies. */
  hurry?: number;
  done: () => void;
}

/**
 * Events stored before the platform is acknowledged, then handled from there: at once by the
 * instance that stored them, and after a crash by whoever claims the next attempt once the lease
 * ran out. Two attempts of one event can overlap only if one outlives its lease; the engine's own
 * dedupe (processed events, the conversation's recent event ids) then makes the second a no-op.
 */
export class InboxIntake implements InboundIntake {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Stored events waiting for their turn, per sender, oldest first; `rank`: the highest of theirs. */
  private readonly waiting = new Map<string, Queued[] & { rank: number }>();
  /** Senders with an event being handled: one at a time each, so her events keep their order. */
  private readonly busy = new Set<string>();
  private readonly rate = new SendingRate();
  private running = 0;
  /** Events being handled before they are stored (see handleAtOnce). */
  private handlingAtOnce = 0;
  private readonly leaseMs: number;
  private readonly log: Logger;
  private readonly counts: ReturnType<typeof intakeMetrics>;

  constructor(private readonly deps: InboxIntakeDeps) {
    this.leaseMs = deps.leaseMs ?? LEASE_MS;
    this.log = deps.logger.child({ component: 'inbox' });
    this.counts = intakeMetrics(deps.metrics ?? NO_METRICS, () => this.inFlight.size);
  }

  async receive(event: InboundEvent): Promise<boolean> {
    const now = this.deps.clock.now();
    const counts = this.counts.accepted(platformOf(event.conversationId));
    // The platform's retry of an event being handled here (Slack retries after 3 s without an answer).
    if (this.inFlight.has(event.id)) {
      counts.redelivery.inc();
      return false;
    }
    const hers = this.busy.has(event.identity) || this.waiting.has(event.identity);
    const directMs = this.deps.directMs ?? DIRECT_MS;
    // Handled at once while nothing of hers is waiting, on hands of their own: the stored events' are not
    // taken, so those that wait for their turn are not held up by newcomers.
    if (!hers && directMs > 0 && this.handlingAtOnce < (this.deps.directConcurrency ?? DIRECT_CONCURRENCY))
      return this.handleAtOnce(event, now, directMs, counts);
    // Not under load: events that wait for their turn would hold what was read, and may find it changed.
    const free = !hers && this.running < (this.deps.concurrency ?? CONCURRENCY);
    return this.store(event, now, counts, free ? this.deps.readAhead : undefined);
  }

  /**
   * Handled before it is stored: the platform is acknowledged once her outcome is saved (her conversation
   * records the event's id, so a redelivery is known as done), which spares the insert of the event itself.
   * A handling slower than `directMs` is stored meanwhile, so the platform is still answered in time; if the
   * database is away the platform is not acknowledged, and delivers the event again.
   */
  private async handleAtOnce(event: InboundEvent, now: Date, directMs: number, counts: Counts): Promise<boolean> {
    const started = performance.now();
    this.handlingAtOnce++;
    this.busy.add(event.identity);
    const handling = this.deps.handle({ ...event, accepted: { at: now.getTime(), first: true } });
    // Her hand is free as soon as her handling ends (before the platform is answered), not after the mark
    // of a stored one: her answer to the reply may already be on its way.
    const release = () => {
      this.handlingAtOnce--;
      this.busy.delete(event.identity);
      this.pump();
    };
    handling.then(release, release);
    let storing: Promise<boolean> | undefined;
    const settled = handling
      .then(
        async () => {
          if (await storing?.catch(() => false)) await this.deps.inbox.done(event.id, this.deps.clock.now());
        },
        (err: unknown) => {
          if (!(err instanceof StorageUnavailableError))
            this.log.error({ event: event.id, err: (err as Error).message }, 'event handling failed; not retried');
        },
      )
      .catch((err: unknown) => this.log.warn({ event: event.id, err: (err as Error).message }, 'mark not written'))
      .finally(() => this.inFlight.delete(event.id));
    this.inFlight.set(event.id, settled);
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((r) => {
      timer = setTimeout(() => r('slow'), directMs);
    });
    try {
      if ((await Promise.race([handling.then(() => 'handled' as const), slow])) === 'handled') {
        counts.direct.inc();
        return true;
      }
    } catch (err) {
      if (err instanceof StorageUnavailableError) {
        counts.unstored.inc();
        throw err;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
    // Still under way: stored now, and marked handled when it ends (or found done when taken again).
    const leaseUntil = new Date(this.deps.clock.now().getTime() + this.leaseMs);
    // The platform's budget counts from receipt: what the handling took is not left for storing.
    const left = (this.deps.acceptTimeoutMs ?? ACCEPT_TIMEOUT_MS) - (performance.now() - started);
    storing = withTimeout(this.deps.inbox.accept(event, now, this.deps.instanceId, leaseUntil), Math.max(left, 0));
    const stored = await storing.catch((err: unknown) => {
      counts.unstored.inc();
      throw err;
    });
    (stored ? counts.stored : counts.redelivery).inc();
    return stored;
  }

  /** Stored before the platform is acknowledged, then handled in its turn. */
  private async store(
    event: InboundEvent,
    now: Date,
    counts: Counts,
    ahead: InboxIntakeDeps['readAhead'],
  ): Promise<boolean> {
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    ahead?.begin(event);
    let stored: boolean;
    try {
      stored = await withTimeout(
        this.deps.inbox.accept(event, now, this.deps.instanceId, leaseUntil),
        this.deps.acceptTimeoutMs ?? ACCEPT_TIMEOUT_MS,
      );
    } catch (err) {
      ahead?.drop(event.id);
      counts.unstored.inc();
      throw err;
    }
    if (!stored) ahead?.drop(event.id);
    (stored ? counts.stored : counts.redelivery).inc();
    if (stored) this.run({ ...event, accepted: { at: now.getTime(), first: true } }, leaseUntil);
    else this.log.debug({ event: event.id }, 'redelivery of a stored event');
    return stored;
  }

  /**
   * Handles pending events whose lease ran out (their instance died or gave up); at start, with
   * `resume`, also those this instance id held before it restarted. Returns how many it took.
   */
  async recover(now: Date, opts: { resume?: boolean } = {}): Promise<number> {
    let taken = 0;
    for (const p of await this.deps.inbox.pending(RECOVER_BATCH)) {
      if (this.inFlight.has(p.event.id)) continue;
      const mine = opts.resume === true && p.claimedBy === this.deps.instanceId;
      if (!mine && p.leaseUntil > now) continue;
      const leaseUntil = new Date(now.getTime() + this.leaseMs);
      if (!(await this.deps.inbox.claim(p.event.id, p.attempt + 1, this.deps.instanceId, leaseUntil))) continue;
      this.log.info({ event: p.event.id, attempt: p.attempt + 1, acceptedAt: p.acceptedAt }, 'handling a stored event');
      this.run({ ...p.event, accepted: { at: p.acceptedAt.getTime(), first: false } }, leaseUntil);
      this.counts.recovered.inc();
      taken++;
    }
    return taken;
  }

  /** Events stored here and not handled yet. */
  get backlog(): number {
    return this.inFlight.size;
  }

  /** Waits for the events being handled; used at shutdown. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight.values());
    // A mark not written leaves the event to be found done when it is handled again after the restart.
    await this.deps.inbox.flush?.().catch((err) => this.log.warn({ err: (err as Error).message }, 'marks not written'));
  }

  /** Queues a stored event for its turn; it counts as in flight until it is handled. */
  private run(event: InboundEvent, leaseUntil: Date): void {
    const work = new Promise<void>((done) => {
      const queue = this.waiting.get(event.identity) ?? Object.assign([] as Queued[], { rank: 0 });
      const sentAt = event.sentAt ?? this.deps.clock.now().getTime();
      const rank = this.rate.rank(event.identity, sentAt);
      queue.push({ event, leaseUntil, queuedAt: performance.now(), sentAt, rank, done });
      queue.rank = Math.max(queue.rank, rank);
      this.waiting.set(event.identity, queue);
    }).finally(() => this.inFlight.delete(event.id));
    this.inFlight.set(event.id, work);
    this.pump();
  }

  /**
   * Under load, the next event is that of the sender with nothing written in a hurry waiting (the lowest
   * of her waiting events' highest rank; ties: the one sent first): someone who writes one thing at a time
   * is answered before a flood's whole backlog, even when her messages were fetched in one batch behind it.
   */
  private pump(): void {
    const limit = this.deps.concurrency ?? CONCURRENCY;
    while (this.running < limit) {
      const next = this.pick();
      if (!next) return;
      this.running++;
      this.busy.add(next.event.identity);
      void this.work({ ...next.event, hurry: next.hurry }, next.leaseUntil).finally(() => {
        this.running--;
        this.busy.delete(next.event.identity);
        next.done();
        this.pump();
      });
    }
  }

  private pick(): Queued | undefined {
    let best: Queued | undefined;
    let bestRank = 0;
    for (const [sender, queue] of this.waiting) {
      if (this.busy.has(sender)) continue;
      const head = queue[0]!;
      const rank = queue.rank;
      if (!best || rank < bestRank || (rank === bestRank && earlier(head, best))) {
        best = head;
        bestRank = rank;
      }
    }
    if (!best) return undefined;
    const queue = this.waiting.get(best.event.identity)!;
    best.hurry = bestRank;
    queue.shift();
    queue.rank = queue.reduce((m, q) => Math.max(m, q.rank), 0);
    if (!queue.length) this.waiting.delete(best.event.identity);
    return best;
  }

  /** While the database is away it retries with backoff, until the lease ends; then recovery takes over. */
  private async work(event: InboundEvent, leaseUntil: Date): Promise<void> {
    const log = this.log.child({ event: event.id });
    let handled = false;
    for (let delay = 500; ; delay = Math.min(delay * 2, 10_000)) {
      try {
        if (!handled) await this.deps.handle(event);
        handled = true;
        await this.deps.inbox.done(event.id, this.deps.clock.now());
        return;
      } catch (err) {
        if (!(err instanceof StorageUnavailableError)) {
          if (handled) return log.error({ err: (err as Error).message }, 'could not mark the event handled');
          // The engine answers its own errors; what reaches here is a bug, and retrying would repeat it.
          log.error({ err: (err as Error).message }, 'event handling failed; not retried');
          handled = true;
          continue;
        }
        if (this.deps.clock.now().getTime() + delay >= leaseUntil.getTime()) {
          return log.warn({}, 'database unreachable; the stored event is left for recovery');
        }
        log.warn({ retryInMs: delay }, 'database unreachable; retrying the stored event');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}

type Counts = ReturnType<ReturnType<typeof intakeMetrics>['accepted']>;

function intakeMetrics(metrics: Metrics, inFlight: () => number) {
  const accepted = metrics.counter({
    name: 'womento_inbox_events_total',
    help: 'Platform events offered to the inbox, by platform and result (stored, direct, redelivery, unstored)',
    labels: ['platform', 'result'],
  });
  metrics.gauge({
    name: 'womento_inbox_in_flight',
    help: 'Events stored and not yet handled by this instance (waiting for their turn or being handled)',
    collect: (set) => set({}, inFlight()),
  });
  const result = (platform: string, r: string): CounterSeries => accepted.with({ platform, result: r });
  return {
    accepted: perKey((p) => ({
      stored: result(p, 'stored'),
      direct: result(p, 'direct'),
      redelivery: result(p, 'redelivery'),
      unstored: result(p, 'unstored'),
    })),
    recovered: metrics
      .counter({
        name: 'womento_inbox_recovered_total',
        help: 'Stored events taken over after their lease ran out (their instance stopped or gave up)',
      })
      .with({}),
  };
}

const earlier = (a: Queued, b: Queued) => a.sentAt < b.sentAt || (a.sentAt === b.sentAt && a.queuedAt < b.queuedAt);

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageUnavailableError({ cause: new Error(`no answer in ${ms} ms`) })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
