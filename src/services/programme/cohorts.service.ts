import type { Effect, Text } from '../../core/flow.ts';
import { handoff } from '../../core/operation.ts';
import { attendanceFor, beginGroupMeeting, createCohort, recordAttendance } from '../../core/operations.ts';
import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import type {
  CohortRepository,
  MeetingRepository,
  PairRepository,
  ParticipantRepository,
  TimelineRepository,
} from '../../core/ports.ts';
import { type Cohort, RSVP } from '../../core/programme.ts';
import { nameOf, when } from './labels.ts';
import type { MeetingsService } from './meetings.service.ts';
import type { Notifier } from './notifier.ts';

const say = (...text: Text[]): Effect => ({ type: 'say', text });
export const COHORT_MIN = 5;
export const COHORT_MAX = 8;
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

  /** /cohort: name it, then choose its pairs among active pairs not yet in a cohort. */
  async begin(): Promise<Effect[]> {
    const free = (await this.d.pairs.list(['active'])).filter((p) => !p.cohortId);
    if (free.length < COHORT_MIN) return [say(t('cohorts:too_few_pairs', { count: free.length, min: COHORT_MIN }))];
    const options = await Promise.all(
      free.slice(0, 40).map(async (p) => ({ value: p.id, label: { literal: await this.label(p.id) } })),
    );
    return [
      {
        type: 'begin',
        flow: 'pick-many',
        args: {
          question: t('cohorts:pick_pairs', { min: COHORT_MIN, max: COHORT_MAX }),
          options,
          ...handoff(createCohort, 'pairIds', {}),
          min: COHORT_MIN,
          max: COHORT_MAX,
        },
      },
    ];
  }

  async create(pairIds: string[], officer: Participant, now: Date): Promise<Effect[]> {
    if (pairIds.length < COHORT_MIN || pairIds.length > COHORT_MAX)
      return [say(t('cohorts:size', { min: COHORT_MIN, max: COHORT_MAX })), ...(await this.begin())];
    const pairs = await Promise.all(pairIds.map((id) => this.d.pairs.get(id)));
    if (pairs.some((p) => p?.state !== 'active' || p.cohortId))
      return [say(t('cohorts:pairs_changed')), ...(await this.begin())];
    const existing = await this.d.cohorts.list();
    const cohort = await this.d.cohorts.create({
      name: `${existing.length + 1}`,
      pairIds,
      createdBy: officer.id,
      createdAt: now,
    });
    for (const p of pairs) await this.d.pairs.save({ ...p!, cohortId: cohort.id });
    return [
      say(t('cohorts:created', { name: cohort.name, count: pairIds.length })),
      ...(await this.beginGroupMeeting(cohort.id, officer)),
    ];
  }

  async members(cohort: Cohort): Promise<Participant[]> {
    const pairs = await Promise.all(cohort.pairIds.map((id) => this.d.pairs.get(id)));
    const ids = pairs.flatMap((p) => (p ? [p.actorId, p.mentorId] : []));
    return (await Promise.all(ids.map((id) => this.d.participants.findById(id)))).filter((p): p is Participant =>
      Boolean(p),
    );
  }

  /** /groupmeeting: for a cohort with fewer than three planned, ask when and where the next one is. */
  async beginGroupMeeting(cohortId: string | undefined, officer: Participant): Promise<Effect[]> {
    const cohorts = await this.d.cohorts.list();
    if (!cohortId) {
      if (!cohorts.length) return [say(t('cohorts:none'))];
      return [
        {
          type: 'begin',
          flow: 'pick',
          args: {
            question: t('cohorts:which'),
            options: cohorts.map((c) => ({ value: c.id, label: t('cohorts:name', { name: c.name }) })),
            ...handoff(beginGroupMeeting, 'cohortId', {}),
          },
        },
      ];
    }
    const planned = await this.planned(cohortId);
    if (planned.length >= GROUP_MEETINGS) return [say(t('cohorts:all_planned'))];
    return [{ type: 'begin', flow: 'meeting', args: { cohortId, timeZone: officer.timeZone, quick: [] } }];
  }

  private async planned(cohortId: string) {
    const all = await this.d.meetings.upcoming({ cohortId });
    return all.filter((m) => m.kind === 'group');
  }

  async planGroupMeeting(
    args: { cohortId: string; at: string; place?: string },
    officer: Participant,
    now: Date,
  ): Promise<Effect[]> {
    const cohort = await this.d.cohorts.get(args.cohortId);
    if (!cohort) return [say(t('common:button_expired'))];
    const at = new Date(args.at);
    const number = (await this.planned(cohort.id)).length + 1;
    if (number > GROUP_MEETINGS) return [say(t('cohorts:all_planned'))];
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
    return [say(t('cohorts:planned', { number, when: when(at, officer.timeZone), count: members.length }))];
  }

  async rsvp(meetingId: string, answer: string, me: Participant): Promise<Effect[]> {
    const meeting = await this.d.meetings.get(meetingId);
    const parsed = RSVP.safeParse(answer);
    if (!meeting || !parsed.success || meeting.state !== 'accepted') return [say(t('common:button_expired'))];
    await this.d.meetings.save({ ...meeting, rsvps: { ...meeting.rsvps, [me.id]: parsed.data } });
    return [say(t(`cohorts:rsvp_thanks.${parsed.data}`))];
  }

  /** /attendance: officers tick who came to a group meeting; it is logged on each pair's timeline. */
  async beginAttendance(): Promise<Effect[]> {
    const cohorts = await this.d.cohorts.list();
    const meetings = (await Promise.all(cohorts.map((c) => this.planned(c.id)))).flat();
    if (!meetings.length) return [say(t('cohorts:no_meetings'))];
    return [
      {
        type: 'begin',
        flow: 'pick',
        args: {
          question: t('cohorts:which_meeting'),
          options: meetings.map((m) => ({
            value: m.id,
            label: t('cohorts:meeting_label', { number: m.number ?? 0, when: when(m.at, m.timeZone) }),
          })),
          ...handoff(attendanceFor, 'meetingId', {}),
        },
      },
    ];
  }

  async attendanceFor(meetingId: string): Promise<Effect[]> {
    const meeting = await this.d.meetings.get(meetingId);
    const cohort = meeting?.cohortId ? await this.d.cohorts.get(meeting.cohortId) : null;
    if (!meeting || !cohort) return [say(t('common:button_expired'))];
    const members = await this.members(cohort);
    return [
      {
        type: 'begin',
        flow: 'pick-many',
        args: {
          question: t('cohorts:who_came'),
          options: members.map((m) => ({ value: m.id, label: { literal: nameOf(m) } })),
          ...handoff(recordAttendance, 'present', { meetingId }),
          min: 0,
        },
      },
    ];
  }

  async attendance(meetingId: string, present: string[], officer: Participant, now: Date): Promise<Effect[]> {
    const meeting = await this.d.meetings.get(meetingId);
    const cohort = meeting?.cohortId ? await this.d.cohorts.get(meeting.cohortId) : null;
    if (!meeting || !cohort) return [say(t('common:button_expired'))];
    await this.d.meetings.save({ ...meeting, state: 'held', attended: present });
    for (const pairId of cohort.pairIds) {
      await this.d.timeline.append({
        pairId,
        type: 'meeting_held',
        at: now,
        by: officer.id,
        data: { meetingId, group: true, number: meeting.number, attended: present },
      });
    }
    return [say(t('cohorts:attendance_saved', { count: present.length }))];
  }
}
