import type {
  AttendanceStep,
  CohortCreated,
  CohortPairsChoice,
  GroupMeetingPlanned,
  GroupMeetingStep,
} from '../../core/operations.ts';
import type { RsvpOutcome } from '../../core/pairs.operations.ts';
import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import type {
  CohortRepository,
  MeetingRepository,
  PairRepository,
  ParticipantRepository,
  TimelineRepository,
} from '../../core/ports.ts';
import { COHORT_MAX, COHORT_MIN, type Cohort, RSVP } from '../../core/programme.ts';
import { nameOf, when } from './labels.ts';
import type { MeetingsService } from './meetings.service.ts';
import type { Notifier } from './notifier.ts';

export const GROUP_MEETINGS = 3;

export interface CohortsDeps {
  participants: ParticipantRepository;
  pairs: PairRepository;
  cohorts: CohortRepository;
  meetings: MeetingRepository;
  timeline: TimelineRepository;
  notifier: Notifier;
  meetingsService: MeetingsService;
}

/** Cohorts of 5-8 active pairs and their three group meetings, with RSVPs and attendance. */
export class CohortsService {
  constructor(private readonly d: CohortsDeps) {}

  private async label(pairId: string): Promise<string> {
    const pair = await this.d.pairs.get(pairId);
    if (!pair) return '?';
    const [a, m] = await Promise.all([
      this.d.participants.findById(pair.actorId),
      this.d.participants.findById(pair.mentorId),
    ]);
    return `${nameOf(a)} & ${nameOf(m)} (${a?.actor?.city ?? ''})`;
  }

  /** /cohort: its pairs are chosen among active pairs not yet in a cohort. */
  async begin(): Promise<CohortPairsChoice> {
    const free = (await this.d.pairs.list(['active'])).filter((p) => !p.cohortId);
    if (free.length < COHORT_MIN) return { outcome: 'too_few', count: free.length };
    const pairs = await Promise.all(free.slice(0, 40).map(async (p) => ({ id: p.id, label: await this.label(p.id) })));
    return { outcome: 'pick_pairs', pairs };
  }

  async create(pairIds: string[], officer: Participant, now: Date): Promise<CohortCreated> {
    if (pairIds.length < COHORT_MIN || pairIds.length > COHORT_MAX)
      return { outcome: 'wrong_size', choice: await this.begin() };
    const pairs = await Promise.all(pairIds.map((id) => this.d.pairs.get(id)));
    if (pairs.some((p) => p?.state !== 'active' || p.cohortId))
      return { outcome: 'pairs_changed', choice: await this.begin() };
    const existing = await this.d.cohorts.list();
    const cohort = await this.d.cohorts.create({
      name: `${existing.length + 1}`,
      pairIds,
      createdBy: officer.id,
      createdAt: now,
    });
    for (const p of pairs) await this.d.pairs.save({ ...p!, cohortId: cohort.id });
    return { outcome: 'created', cohort, next: await this.beginGroupMeeting(cohort.id, officer) };
  }

  async members(cohort: Cohort): Promise<Participant[]> {
    const pairs = await Promise.all(cohort.pairIds.map((id) => this.d.pairs.get(id)));
    const ids = pairs.flatMap((p) => (p ? [p.actorId, p.mentorId] : []));
    return (await Promise.all(ids.map((id) => this.d.participants.findById(id)))).filter((p): p is Participant =>
      Boolean(p),
    );
  }

  /** /groupmeeting: for a cohort with fewer than three planned, ask when and where the next one is. */
  async beginGroupMeeting(cohortId: string | undefined, officer: Participant): Promise<GroupMeetingStep> {
    if (!cohortId) {
      const cohorts = await this.d.cohorts.list();
      return cohorts.length ? { outcome: 'pick_cohort', cohorts } : { outcome: 'no_cohorts' };
    }
    const planned = await this.planned(cohortId);
    if (planned.length >= GROUP_MEETINGS) return { outcome: 'all_planned' };
    return { outcome: 'ask_time', cohortId, timeZone: officer.timeZone };
  }

  private async planned(cohortId: string) {
    const all = await this.d.meetings.upcoming({ cohortId });
    return all.filter((m) => m.kind === 'group');
  }

  async planGroupMeeting(
    args: { cohortId: string; at: string; place?: string },
    officer: Participant,
    now: Date,
  ): Promise<GroupMeetingPlanned> {
    const cohort = await this.d.cohorts.get(args.cohortId);
    if (!cohort) return { outcome: 'not_found' };
    const at = new Date(args.at);
    const number = (await this.planned(cohort.id)).length + 1;
    if (number > GROUP_MEETINGS) return { outcome: 'all_planned' };
    const meeting = await this.d.meetings.create({
      kind: 'group',
      cohortId: cohort.id,
      number,
      at,
      timeZone: officer.timeZone,
      ...(args.place ? { place: args.place } : {}),
      state: 'accepted',
      proposedBy: officer.id,
      version: 1,
      rsvps: {},
      attended: [],
      createdAt: now,
    });
    const members = await this.members(cohort);
    for (const m of members) {
      await this.d.notifier.send(
        {
          key: `meeting:${meeting.id}:v1:invite:${m.id}`,
          recipientId: m.id,
          due: now,
          text: [t('cohorts:invite', { number, when: when(at, m.timeZone), place: meeting.place ?? '–' })],
          buttons: {
            kind: 'group.rsvp',
            ref: { meetingId: meeting.id },
            choices: RSVP.options.map((v) => ({ value: v, label: t(`cohorts:rsvp.${v}`) })),
            once: false,
            expiresAt: at,
            columns: 3,
          },
          guard: { meetingId: meeting.id, version: 1, until: at },
        },
        now,
      );
    }
    await this.d.meetingsService.schedule(
      meeting,
      members.map((m) => m.id),
      now,
    );
    return { outcome: 'planned', meeting, invited: members.length };
  }

  /** Her answer to a group meeting's invitation; she may change it until the meeting. */
  async rsvp(meetingId: string, answer: string, me: Participant): Promise<RsvpOutcome> {
    const meeting = await this.d.meetings.get(meetingId);
    const parsed = RSVP.safeParse(answer);
    if (!meeting || !parsed.success || meeting.state !== 'accepted') return { outcome: 'not_found' };
    const saved = { ...meeting, rsvps: { ...meeting.rsvps, [me.id]: parsed.data } };
    await this.d.meetings.save(saved);
    return { outcome: 'saved', meeting: saved, answer: parsed.data };
  }

  /** /attendance: officers tick who came to a group meeting; it is logged on each pair's timeline. */
  async beginAttendance(): Promise<AttendanceStep> {
    const cohorts = await this.d.cohorts.list();
    const meetings = (await Promise.all(cohorts.map((c) => this.planned(c.id)))).flat();
    return meetings.length ? { outcome: 'pick_meeting', meetings } : { outcome: 'no_meetings' };
  }

  async attendanceFor(meetingId: string): Promise<AttendanceStep> {
    const meeting = await this.d.meetings.get(meetingId);
    const cohort = meeting?.cohortId ? await this.d.cohorts.get(meeting.cohortId) : null;
    if (!meeting || !cohort) return { outcome: 'not_found' };
    return { outcome: 'pick_present', meeting, members: await this.members(cohort) };
  }

  async attendance(meetingId: string, present: string[], officer: Participant, now: Date): Promise<AttendanceStep> {
    const meeting = await this.d.meetings.get(meetingId);
    const cohort = meeting?.cohortId ? await this.d.cohorts.get(meeting.cohortId) : null;
    if (!meeting || !cohort) return { outcome: 'not_found' };
    const held = { ...meeting, state: 'held' as const, attended: present };
    await this.d.meetings.save(held);
    for (const pairId of cohort.pairIds) {
      await this.d.timeline.append({
        pairId,
        type: 'meeting_held',
        at: now,
        by: officer.id,
        data: { meetingId, group: true, number: meeting.number, attended: present },
      });
    }
    return { outcome: 'saved', meeting: held, present };
  }
}
