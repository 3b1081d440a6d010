import type { ActionHandler, ActorContext, CommandHandler, Effect, UseCase } from '../../core/flow.ts';
import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import type { AlertsService } from './alerts.service.ts';
import type { CheckinsService } from './checkins.service.ts';
import type { CohortsService } from './cohorts.service.ts';
import type { CommitmentService } from './commitment.service.ts';
import type { MeetingsService } from './meetings.service.ts';
import type { OfficersService } from './officers.service.ts';
import type { PairsService } from './pairs.service.ts';
import type { SpacesService } from './spaces.service.ts';
import type { AnonymousService } from './anonymous.service.ts';
import type { CounsellingService } from './counselling.service.ts';
import type { AnnouncementsService } from './announcements.service.ts';
import type { SegmentKind } from '../../core/programme.ts';

export interface ProgrammeServices {
  checkins: CheckinsService;
  alerts: AlertsService;
  pairs: PairsService;
  commitment: CommitmentService;
  meetings: MeetingsService;
  cohorts: CohortsService;
  officers: OfficersService;
  spaces: SpacesService;
  anonymous: AnonymousService;
  counselling: CounsellingService;
  announcements: AnnouncementsService;
}

const refuse: Effect[] = [{ type: 'say', text: [t('common:not_allowed')] }];
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const texts = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
/** An announcement being written, carried from one question to the next in the flows' args. */
const draft = (a: Record<string, unknown>) => ({ kind: str(a.kind) as SegmentKind, ...(a.value ? { value: str(a.value) } : {}), texts: texts(a.texts), ...(a.lang ? { lang: str(a.lang) } : {}) });

/** A use case for a registered participant; `officer` ones check the stored role, never the payload. */
function as(role: 'officer' | 'member', run: (args: Record<string, unknown>, me: Participant, ctx: ActorContext) => Promise<Effect[]>): UseCase {
  return async (args, ctx) => {
    const me = ctx.participant;
    if (!me || (role === 'officer' ? me.role !== 'officer' : me.role === 'officer')) return refuse;
    return run(args, me, ctx);
  };
}

export function programmeUseCases(s: ProgrammeServices): Map<string, UseCase> {
  return new Map<string, UseCase>([
    ['officers.redeem', (args, ctx) => s.officers.redeem(str(args.code), ctx)],
    ['alerts.note', (args, ctx) => (ctx.participant?.role === 'officer' ? s.alerts.note(str(args.alertId), str(args.note), ctx.participant, ctx.now) : Promise.resolve(refuse))],
    ['matching.rank', as('officer', (a, _me, ctx) => s.pairs.rank(str(a.actorId), ctx.now))],
    ['pairs.propose', as('officer', (a, me, ctx) => s.pairs.propose(str(a.actorId), str(a.mentorId), me, ctx.now))],
    ['pairs.decline', as('member', (a, me, ctx) => s.pairs.decline(str(a.pairId), me, str(a.reason) || undefined, ctx.now))],
    [
      'commitment.draft',
      as('member', (a, me, ctx) =>
        s.commitment.draft(
          { pairId: str(a.pairId), aims: strings(a.aims), ...(a.note ? { note: str(a.note) } : {}), frequency: str(a.frequency) as 'weekly', start: str(a.start), months: Number(a.months) },
          me,
          ctx.now,
        ),
      ),
    ],
    ['meetings.begin', as('member', (a, me, ctx) => s.meetings.begin(me, ctx.now, str(a.pairId)))],
    ['meetings.propose', as('member', (a, me, ctx) => s.meetings.propose({ pairId: str(a.pairId), at: str(a.at), ...(a.place ? { place: str(a.place) } : {}), ...(a.replaces ? { replaces: str(a.replaces) } : {}) }, me, ctx.now))],
    ['meetings.change', as('member', (a, me, ctx) => s.meetings.change(str(a.what), me, ctx.now))],
    ['meetings.held', as('member', (a, me, ctx) => s.meetings.held(str(a.meetingId), strings(a.topics), me, ctx.now))],
    ['cohorts.create', as('officer', (a, me, ctx) => s.cohorts.create(strings(a.pairIds), me, ctx.now))],
    ['cohorts.groupMeeting', as('officer', (a, me) => s.cohorts.beginGroupMeeting(str(a.cohortId), me))],
    ['cohorts.planGroupMeeting', as('officer', (a, me, ctx) => s.cohorts.planGroupMeeting({ cohortId: str(a.cohortId), at: str(a.at), ...(a.place ? { place: str(a.place) } : {}) }, me, ctx.now))],
    ['cohorts.attendanceFor', as('officer', (a) => s.cohorts.attendanceFor(str(a.meetingId)))],
    ['cohorts.attendance', as('officer', (a, me, ctx) => s.cohorts.attendance(str(a.meetingId), strings(a.present), me, ctx.now))],
    ['timeline.show', async (a, ctx) => showTimeline(s, str(a.pairId), ctx)],
    ['spaces.open', as('officer', (a, me, ctx) => s.spaces.open(str(a.cohortId), me, ctx.now))],
    ['spaces.withdrawWho', as('officer', (a) => s.spaces.beginWithdraw(str(a.cohortId)))],
    [
      'spaces.withdraw',
      as('officer', async (a, me, ctx) => {
        const effects = await s.spaces.withdraw(str(a.cohortId), str(a.participantId), ctx.now);
        await s.pairs.endForWithdrawal(str(a.participantId), me, ctx.now);
        return effects;
      }),
    ],
    ['anonymous.submit', as('member', (a, me, ctx) => (me.role === 'actor' ? s.anonymous.submit(str(a.text), me, ctx.now) : Promise.resolve(refuse)))],
    ['counselling.topic', as('member', (a) => s.counselling.topic(str(a.topic)))],
    ['counselling.urgency', as('member', (a) => s.counselling.urgency(str(a.topic), str(a.urgency)))],
    ['counselling.request', as('member', (a, me, ctx) => s.counselling.request({ topic: str(a.topic), urgency: str(a.urgency), message: str(a.message) }, me, ctx.now))],
    ['announce.segment', as('officer', (a) => s.announcements.segment(str(a.kind)))],
    ['announce.target', as('officer', (a) => s.announcements.target(str(a.kind) as SegmentKind, str(a.value)))],
    ['announce.mode', as('officer', (a) => s.announcements.mode(draft(a), str(a.mode)))],
    ['announce.text', as('officer', (a) => s.announcements.text(draft(a), str(a.text)))],
    ['announce.confirm', as('officer', (a, me, ctx) => s.announcements.confirm(draft(a), str(a.answer), me, ctx.now))],
    ['announce.prefs', as('member', (a, me) => s.announcements.setPreference(me, str(a.value)))],
    [
      'checkins.answer',
      as('member', (a, me, ctx) =>
        s.checkins.answer(
          { checkinId: str(a.checkinId), met: str(a.met), rating: Number(a.rating), topics: strings(a.topics), ...(a.note ? { note: str(a.note) } : {}), ...(a.privateNote ? { privateNote: str(a.privateNote) } : {}) },
          me,
          ctx.now,
        ),
      ),
    ],
  ]);
}

async function showTimeline(s: ProgrammeServices, pairId: string, ctx: ActorContext): Promise<Effect[]> {
  const me = ctx.participant;
  const mine = me ? (await s.pairs.pairsOf(me.id)).some((p) => p.id === pairId) : false;
  if (!me || (me.role !== 'officer' && !mine)) return refuse;
  const lines = await s.pairs.timelineText(pairId, me.timeZone);
  return [{ type: 'say', text: [t('pairs:timeline.title'), ...(lines.length ? lines : [t('pairs:timeline.empty')])] }];
}

const command = (roles: CommandHandler['roles'], run: CommandHandler['run']): CommandHandler => ({ roles, run });

export function programmeCommands(s: ProgrammeServices): Map<string, CommandHandler> {
  const officer = ['officer'] as const;
  const member = ['actor', 'mentor'] as const;
  return new Map<string, CommandHandler>([
    ['waiting', command(officer, (_a, ctx) => s.pairs.listWaiting(ctx.now))],
    ['invite', command(officer, (_a, ctx) => s.officers.invite(ctx.participant!, ctx.now))],
    ['cohort', command(officer, () => s.cohorts.begin())],
    ['groupmeeting', command(officer, (_a, ctx) => s.cohorts.beginGroupMeeting(undefined, ctx.participant!))],
    ['attendance', command(officer, () => s.cohorts.beginAttendance())],
    ['officerhelp', command(officer, async () => [{ type: 'say', text: [t('officer:help')] }])],
    ['peergroup', command(officer, () => s.spaces.begin())],
    ['bind', command(officer, (args, ctx) => s.spaces.bind(args, ctx.participant!, ctx))],
    ['withdraw', command(officer, () => s.spaces.beginWithdraw())],
    ['requests', command(officer, () => s.counselling.list())],
    ['announce', command(officer, () => s.announcements.begin())],
    ['ask', command(['actor'], (_a, ctx) => s.anonymous.begin(ctx.participant!))],
    ['counselling', command(member, () => s.counselling.begin())],
    ['announcements', command(member, () => s.announcements.preferences())],
    ['meet', command(member, (_a, ctx) => s.meetings.begin(ctx.participant!, ctx.now))],
    ['meetings', command(member, (_a, ctx) => s.meetings.list(ctx.participant!))],
    [
      'timeline',
      command([...member, 'officer'], async (args, ctx) => {
        const me = ctx.participant!;
        if (me.role === 'officer') return args ? showTimeline(s, args, ctx) : [{ type: 'say', text: [t('officer:timeline_usage')] }];
        const pair = (await s.pairs.pairsOf(me.id))[0];
        return pair ? showTimeline(s, pair.id, ctx) : [{ type: 'say', text: [t('meetings:no_pair')] }];
      }),
    ],
  ]);
}

export function programmeActions(s: ProgrammeServices): Map<string, ActionHandler> {
  return new Map<string, ActionHandler>([
    ['pair.reply', (a, v, ctx) => s.pairs.reply(a.ref.pairId!, a.ref.side === 'mentor' ? 'mentor' : 'actor', v === 'accept', ctx.participant, ctx.now)],
    ['commitment.start', (a, _v, ctx) => s.commitment.start(a.ref.pairId!, ctx.participant)],
    ['commitment.confirm', (a, v, ctx) => (v === 'confirm' ? s.commitment.confirm(a.ref.pairId!, ctx.participant, ctx.now) : s.commitment.start(a.ref.pairId!, ctx.participant))],
    ['meeting.reply', async (a, v, ctx) => {
      if (v === 'accept') return s.meetings.accept(a.ref.meetingId!, ctx.participant, ctx.now);
      return s.meetings.change(`move:${a.ref.meetingId}`, ctx.participant, ctx.now);
    }],
    ['meeting.followup', (a, v, ctx) => s.meetings.followUp(a.ref.meetingId!, v, ctx.participant, ctx.now)],
    ['group.rsvp', (a, v, ctx) => s.cohorts.rsvp(a.ref.meetingId!, v, ctx.participant)],
    ['checkin.met', (a, v, ctx) => s.checkins.start(a.ref.checkinId!, v, ctx.participant)],
    ['anonymous', (a, v, ctx) => (ctx.participant.role === 'officer' ? s.anonymous.decide(a.ref.questionId!, v, ctx.participant, ctx.now) : Promise.resolve(refuse))],
    ['counselling', (a, v, ctx) => (ctx.participant.role === 'officer' ? s.counselling.act(a.ref.requestId!, v, ctx.participant, ctx.now) : Promise.resolve(refuse))],
    ['alert', (a, v, ctx) => (ctx.participant.role === 'officer' ? s.alerts.act(a.ref.alertId!, v, ctx.participant, ctx.now) : Promise.resolve(refuse))],
  ]);
}
