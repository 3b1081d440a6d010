import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import type { PairCompleted, PairSummary, PairsOverview } from '../../core/operations.ts';
import type {
  AlertRepository,
  CohortRepository,
  MeetingRepository,
  PairRepository,
  ParticipantRepository,
  TimelineRepository,
} from '../../core/ports.ts';
import type { Pair, PairState } from '../../core/programme.ts';
import { DEFAULT_THRESHOLDS, evaluatePair, type Thresholds } from '../health.ts';
import { nameOf } from './labels.ts';
import type { Notifier } from './notifier.ts';

/** Lines per state in one answer; a chat message is no report. */
const SHOWN = 30;
const STATES = ['proposed', 'active', 'completed'] as const satisfies readonly PairState[];

export interface OverviewDeps {
  participants: ParticipantRepository;
  pairs: PairRepository;
  timeline: TimelineRepository;
  alerts: AlertRepository;
  cohorts: CohortRepository;
  meetings: MeetingRepository;
  notifier: Notifier;
  thresholds?: Thresholds;
}

/** What an officer sees of the pairs at a glance (`/pairs`), and the end of a pair that ran its course. */
export class OverviewService {
  constructor(private readonly d: OverviewDeps) {}

  async pairs(now: Date): Promise<PairsOverview> {
    const pairs = await this.d.pairs.list([...STATES]);
    if (!pairs.length) return { outcome: 'none' };
    const people = await this.d.participants.findByIds([...new Set(pairs.flatMap((p) => [p.actorId, p.mentorId]))]);
    const alerts = new Map<string, number>();
    for (const a of await this.d.alerts.listOpen()) alerts.set(a.pairId, (alerts.get(a.pairId) ?? 0) + 1);
    const states = [];
    for (const state of STATES) {
      const these = pairs.filter((p) => p.state === state);
      if (!these.length) continue;
      const shown = [];
      for (const pair of these.slice(0, SHOWN))
        shown.push(await this.summary(pair, people, alerts.get(pair.id) ?? 0, now));
      states.push({ state, count: these.length, shown });
    }
    const cohorts = [];
    for (const cohort of (await this.d.cohorts.list()).slice(0, SHOWN))
      cohorts.push({ cohort, next: (await this.d.meetings.upcoming({ cohortId: cohort.id }))[0] ?? null });
    return { outcome: 'overview', total: pairs.length, states, cohorts };
  }

  private async summary(
    pair: Pair,
    people: Map<string, Participant>,
    openAlerts: number,
    now: Date,
  ): Promise<PairSummary> {
    const base = {
      pair,
      actor: people.get(pair.actorId) ?? null,
      mentor: people.get(pair.mentorId) ?? null,
      since: new Date(pair.history.at(-1)?.at ?? pair.createdAt),
    };
    if (pair.state !== 'active') return base;
    const events = await this.d.timeline.forPair(pair.id);
    const unreachable = events.filter((e) => e.type === 'member_unreachable').map((e) => String(e.data?.participantId));
    const { health, signals } = evaluatePair(events, unreachable, now, this.d.thresholds ?? DEFAULT_THRESHOLDS);
    return { ...base, health: { health, signals, openAlerts } };
  }

  /** `/complete <pair id>`: an active pair finished its programme; both are thanked, the mentor's place is free. */
  async complete(pairId: string, officer: Participant, now: Date): Promise<PairCompleted> {
    const pair = await this.d.pairs.get(pairId);
    if (pair?.state !== 'active') return { outcome: 'not_active' };
    const completed: Pair = {
      ...pair,
      state: 'completed',
      history: [...pair.history, { state: 'completed', by: officer.id, at: now }],
    };
    await this.d.pairs.save(completed);
    await this.d.pairs.releaseMentorPlace(pair.id);
    // Her timeline ends here, so stall detection stops looking at the pair.
    await this.d.timeline.append({
      pairId: pair.id,
      type: 'ended',
      at: now,
      by: officer.id,
      data: { reason: 'completed' },
    });
    const people = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
    for (const [id, partner] of [
      [pair.actorId, pair.mentorId],
      [pair.mentorId, pair.actorId],
    ] as const) {
      const text = [t('overview:complete.to_member', { name: nameOf(people.get(partner)) })];
      await this.d.notifier.send({ key: `completed:${pair.id}:${id}`, recipientId: id, due: now, text }, now);
    }
    if (!(await this.d.pairs.openFor(pair.mentorId)).length)
      await this.d.participants.setStatus(pair.mentorId, 'waiting', now);
    const [actor, mentor] = [people.get(pair.actorId) ?? null, people.get(pair.mentorId) ?? null];
    return { outcome: 'completed', pair: completed, actor, mentor };
  }
}
