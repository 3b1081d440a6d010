import type { AuditPort, DocumentationSource, PairRecord, Side } from '../../core/documentation.ts';
import type { Participant } from '../../core/model.ts';
import type { DocumentOutcome } from '../../core/operations.ts';
import type { CheckInRepository, ParticipantRepository, PairRepository, TimelineRepository } from '../../core/ports.ts';
import type { Pair } from '../../core/programme.ts';
import type { PairEnding } from '../../core/report.ts';
import { nameOf } from './labels.ts';

export interface DocumentationDeps {
  pairs: PairRepository;
  participants: ParticipantRepository;
  checkins: CheckInRepository;
  timeline: TimelineRepository;
  source: DocumentationSource;
  audit: AuditPort;
}

/** An alert raised by a private note would tell the partner it exists: partners do not see those. */
const PRIVATE_SIGNALS = new Set(['help_requested']);

/** `/document`: a pair's record for its partners and for officers. */
export class DocumentationService {
  constructor(private readonly d: DocumentationDeps) {}

  async document(
    a: { pairId?: string | undefined; withPrivateNotes: boolean },
    me: Participant,
    now: Date,
  ): Promise<DocumentOutcome> {
    const officer = me.role === 'officer';
    if (a.withPrivateNotes && !officer) return { outcome: 'not_allowed' };
    let pair: Pair | null;
    if (officer) {
      if (!a.pairId) return { outcome: 'usage' };
      pair = await this.d.pairs.get(a.pairId);
      if (!pair) return { outcome: 'not_found' };
    } else {
      // Declined proposals were never a pair of hers to document.
      const mine = (await this.d.source.pairsOf(me.id)).filter((p) => p.history.some((h) => h.state === 'active'));
      if (!mine.length) return { outcome: 'no_pair' };
      if (!a.pairId && mine.length > 1) {
        const people = await this.d.participants.findByIds(
          mine.map((p) => (p.actorId === me.id ? p.mentorId : p.actorId)),
        );
        return {
          outcome: 'choose',
          pairs: mine.map((p) => ({
            id: p.id,
            label: nameOf(people.get(p.actorId === me.id ? p.mentorId : p.actorId)),
          })),
        };
      }
      pair = a.pairId ? (mine.find((p) => p.id === a.pairId) ?? null) : mine[0]!;
      if (!pair) return { outcome: 'not_allowed' };
    }
    if (a.withPrivateNotes) {
      // Recorded before anything is shown: a read that fails to arrive was still a read.
      for (const subjectId of [pair.actorId, pair.mentorId]) {
        await this.d.audit.record({
          actorId: me.id,
          subjectId,
          what: 'pair_documentation_private_notes',
          at: now,
          ref: pair.id,
        });
      }
    }
    return { outcome: 'record', record: await this.record(pair, me, a.withPrivateNotes, now) };
  }

  private async record(pair: Pair, me: Participant, withPrivateNotes: boolean, now: Date): Promise<PairRecord> {
    const officer = me.role === 'officer';
    const [people, meetings, checkins, timeline, alerts, group, counselling, survey] = await Promise.all([
      this.d.participants.findByIds([pair.actorId, pair.mentorId]),
      this.d.source.meetingsOf({ pairId: pair.id }),
      this.d.checkins.forPair(pair.id),
      this.d.timeline.forPair(pair.id),
      this.d.source.alertsOf(pair.id),
      pair.cohortId ? this.d.source.meetingsOf({ cohortId: pair.cohortId }) : Promise.resolve([]),
      officer ? this.d.source.counsellingBy([pair.actorId, pair.mentorId]) : Promise.resolve([]),
      this.d.source.surveysOf?.(pair.id),
    ]);
    const side = (id: string): Side => (id === pair.actorId ? 'actor' : 'mentor');
    const actor = people.get(pair.actorId);
    const mentor = people.get(pair.mentorId);
    const topicsOf = new Map(
      timeline
        .filter((e) => e.type === 'meeting_held' && typeof e.data?.meetingId === 'string')
        .map((e) => [e.data!.meetingId as string, (e.data!.topics as string[] | undefined) ?? []]),
    );
    const startedAt = pair.history.find((h) => h.state === 'active')?.at;
    const ending = endingOf(pair);
    const c = pair.commitment;
    return {
      pairId: pair.id,
      audience: officer ? 'officer' : 'partner',
      withPrivateNotes,
      madeAt: now,
      timeZone: me.timeZone,
      actor: { name: nameOf(actor), city: actor?.actor?.city ?? '' },
      mentor: { name: nameOf(mentor), city: mentor?.mentor?.city ?? '' },
      state: pair.state,
      ...(startedAt ? { startedAt } : {}),
      ...(ending ? { ending } : {}),
      ...(c
        ? {
            commitment: {
              aims: c.aims,
              ...(c.note ? { note: c.note } : {}),
              frequency: c.frequency,
              start: c.start,
              plannedEnd: c.plannedEnd,
            },
          }
        : {}),
      meetings: meetings.map((m) => ({
        at: m.at,
        state: m.state,
        ...(m.place ? { place: m.place } : {}),
        topics: topicsOf.get(m.id) ?? [],
      })),
      checkins: checkins
        .sort((x, y) => +(x.answeredAt ?? x.sentAt) - +(y.answeredAt ?? y.sentAt))
        .map((x) => ({
          at: x.answeredAt ?? x.sentAt,
          side: side(x.participantId),
          round: x.round,
          state: x.state,
          ...(x.met ? { met: x.met } : {}),
          ...(x.rating !== undefined ? { rating: x.rating } : {}),
          ...(x.note ? { note: x.note } : {}),
          ...(withPrivateNotes && x.privateNote ? { privateNote: x.privateNote } : {}),
        })),
      groupMeetings: group
        .filter((m) => m.state === 'held')
        .map((m) => ({
          ...(m.number ? { number: m.number } : {}),
          at: m.at,
          attended: m.attended.filter((id) => id === pair.actorId || id === pair.mentorId).map(side),
        })),
      alerts: alerts
        .filter((x) => officer || !PRIVATE_SIGNALS.has(String(x.signal.code)))
        .map((x) => ({
          signal: String(x.signal.code ?? x.signalKey),
          openedAt: x.openedAt,
          state: x.state,
          // What was done is the pair's; who did it and the officers' notes stay with the officers.
          actions: x.actions
            .filter((act) => act.what !== 'reminded')
            .map((act) => ({
              what: act.what,
              at: act.at,
              ...(officer && act.byName ? { by: act.byName } : {}),
              ...(officer && act.note ? { note: act.note } : {}),
            })),
        })),
      ...(officer
        ? {
            counselling: counselling.map((r) => ({
              side: side(r.participantId),
              topic: r.topic,
              urgency: r.urgency,
              state: r.state,
              at: r.createdAt,
              ...(withPrivateNotes && r.message ? { message: r.message } : {}),
            })),
          }
        : {}),
      ...(survey ? { survey } : {}),
    };
  }
}

function endingOf(pair: Pair): PairEnding | undefined {
  if (pair.state !== 'completed' && pair.state !== 'ended') return undefined;
  const at = pair.history.findLast((h) => h.state === pair.state)?.at ?? pair.createdAt;
  return { outcome: pair.state, at, ...(pair.endedReason ? { reason: pair.endedReason } : {}) };
}
