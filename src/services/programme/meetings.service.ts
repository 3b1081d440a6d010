import type { MeetingAccepted, MeetingFollowUp, UpcomingMeetings } from '../../core/meetings.operations.ts';
import type { MeetingChange, MeetingHeldOutcome, MeetingStart, MeetingProposal } from '../../core/operations.ts';
import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import type {
  MeetingRepository,
  OutboxRepository,
  PairRepository,
  ParticipantRepository,
  TimelineRepository,
} from '../../core/ports.ts';
import type { Meeting, Pair } from '../../core/programme.ts';
import { quickTimes } from '../../core/dates.ts';
import { followUpTime, type QuietHours, reminderTimes } from '../schedule.ts';
import { nameOf, when } from './labels.ts';
import type { Notifier } from './notifier.ts';

const DAY = 86_400_000;

export interface MeetingsDeps {
  participants: ParticipantRepository;
  pairs: PairRepository;
  meetings: MeetingRepository;
  timeline: TimelineRepository;
  outbox: OutboxRepository;
  notifier: Notifier;
  reminderOffsetsMinutes: readonly number[];
  quietHours: QuietHours;
}

/** Pair meetings: propose, accept or suggest another time, cancel, move; reminders; "did you meet?". */
export class MeetingsService {
  constructor(private readonly d: MeetingsDeps) {}

  private async activePairOf(me: Participant): Promise<Pair[]> {
    return (await this.d.pairs.openFor(me.id)).filter((p) => p.state === 'active');
  }

  /** /meet: a new proposal, for her one active pair (or she picks the pair). */
  async begin(me: Participant, now: Date, pairId?: string, replaces?: string): Promise<MeetingStart> {
    const pairs = await this.activePairOf(me);
    const chosen = pairId ? pairs.find((p) => p.id === pairId) : pairs.length === 1 ? pairs[0] : undefined;
    if (!pairs.length) return { outcome: 'no_pair' };
    if (!chosen) {
      const partners = await Promise.all(
        pairs.map((p) => this.d.participants.findById(p.actorId === me.id ? p.mentorId : p.actorId)),
      );
      return { outcome: 'pick_pair', pairs: pairs.map((pair, i) => ({ pair, partner: partners[i] ?? null })) };
    }
    return {
      outcome: 'ask_time',
      pairId: chosen.id,
      timeZone: me.timeZone,
      quick: quickTimes(now, me.timeZone),
      ...(replaces ? { replaces } : {}),
    };
  }

  async propose(
    args: { pairId: string; at: string; place?: string; replaces?: string },
    me: Participant,
    now: Date,
  ): Promise<MeetingProposal> {
    const pair = (await this.activePairOf(me)).find((p) => p.id === args.pairId);
    const at = new Date(args.at);
    if (!pair) return { outcome: 'no_pair' };
    if (!(at > now)) return { outcome: 'in_past' };
    if (args.replaces) await this.cancelMeeting(args.replaces, me, now, false);
    const meeting = await this.d.meetings.create({
      kind: 'pair',
      pairId: pair.id,
      at,
      timeZone: me.timeZone,
      ...(args.place ? { place: args.place } : {}),
      state: 'proposed',
      proposedBy: me.id,
      version: 1,
      rsvps: {},
      attended: [],
      createdAt: now,
    });
    await this.d.timeline.append({
      pairId: pair.id,
      type: 'meeting_proposed',
      at: now,
      by: me.id,
      data: { meetingId: meeting.id, at },
    });
    const partnerId = pair.actorId === me.id ? pair.mentorId : pair.actorId;
    const partner = await this.d.participants.findById(partnerId);
    await this.d.notifier.send(
      {
        key: `meeting:${meeting.id}:v1:proposal`,
        recipientId: partnerId,
        due: now,
        text: [
          t('meetings:proposal', {
            name: nameOf(me),
            when: when(at, partner?.timeZone ?? me.timeZone),
            place: meeting.place ?? '–',
          }),
        ],
        buttons: {
          kind: 'meeting.reply',
          ref: { meetingId: meeting.id },
          choices: [
            { value: 'accept', label: t('meetings:accept') },
            { value: 'other', label: t('meetings:other_time') },
          ],
          once: true,
          expiresAt: at,
        },
        guard: { meetingId: meeting.id, version: 1, until: at },
      },
      now,
    );
    return { outcome: 'proposed', meeting, partnerName: nameOf(partner) };
  }

  /** The partner accepts a proposal: the proposer is told, and reminders and the follow-up are planned. */
  async accept(meetingId: string, me: Participant, now: Date): Promise<MeetingAccepted> {
    const meeting = await this.d.meetings.get(meetingId);
    const pair = meeting?.pairId ? await this.d.pairs.get(meeting.pairId) : null;
    if (
      !meeting ||
      !pair ||
      meeting.state !== 'proposed' ||
      meeting.proposedBy === me.id ||
      !isMember(pair, me.id) ||
      meeting.at <= now
    )
      return { outcome: 'not_found' };
    const accepted: Meeting = { ...meeting, state: 'accepted' };
    await this.d.meetings.save(accepted);
    await this.d.timeline.append({
      pairId: pair.id,
      type: 'meeting_accepted',
      at: now,
      by: me.id,
      data: { meetingId, at: meeting.at },
    });
    await this.schedule(accepted, [pair.actorId, pair.mentorId], now);
    const proposer = await this.d.participants.findById(meeting.proposedBy);
    await this.d.notifier.send(
      {
        key: `meeting:${meetingId}:v${meeting.version}:accepted`,
        recipientId: meeting.proposedBy,
        due: now,
        text: [
          t('meetings:accepted_by_partner', {
            name: nameOf(me),
            when: when(meeting.at, proposer?.timeZone ?? meeting.timeZone),
          }),
        ],
      },
      now,
    );
    return { outcome: 'accepted', meeting: accepted };
  }

  /** Reminders before the meeting and the follow-up after it, for each recipient in her own zone. */
  async schedule(meeting: Meeting, recipientIds: readonly string[], now: Date): Promise<void> {
    const prefix = `meeting:${meeting.id}:v${meeting.version}`;
    for (const id of recipientIds) {
      const person = await this.d.participants.findById(id);
      if (!person) continue;
      const guard = { meetingId: meeting.id, version: meeting.version, until: meeting.at };
      for (const r of reminderTimes(
        meeting.at,
        this.d.reminderOffsetsMinutes,
        person.timeZone,
        this.d.quietHours,
        now,
      )) {
        await this.d.notifier.send(
          {
            key: `${prefix}:${r.label}:${id}`,
            recipientId: id,
            due: r.due,
            text: [
              t(`meetings:reminder.${meeting.kind}`, {
                when: when(meeting.at, person.timeZone),
                place: meeting.place ?? '–',
              }),
            ],
            guard,
          },
          now,
        );
      }
      if (meeting.kind !== 'pair') continue;
      await this.d.notifier.send(
        {
          key: `${prefix}:followup:${id}`,
          recipientId: id,
          due: followUpTime(meeting.at, person.timeZone, this.d.quietHours),
          text: [t('meetings:followup.ask', { when: when(meeting.at, person.timeZone) })],
          buttons: {
            kind: 'meeting.followup',
            ref: { meetingId: meeting.id },
            choices: ['yes', 'no', 'moved'].map((v) => ({ value: v, label: t(`meetings:followup.${v}`) })),
            once: true,
            expiresAt: new Date(meeting.at.getTime() + 14 * DAY),
          },
          guard: { meetingId: meeting.id, version: meeting.version },
        },
        now,
      );
    }
  }

  /** Cancels a proposed or accepted meeting: its reminders are withdrawn and never sent. */
  async cancelMeeting(
    meetingId: string,
    me: Participant,
    now: Date,
    tellPartner = true,
  ): Promise<'cancelled' | 'not_found'> {
    const meeting = await this.d.meetings.get(meetingId);
    const pair = meeting?.pairId ? await this.d.pairs.get(meeting.pairId) : null;
    if (!meeting || !pair || !isMember(pair, me.id) || !['proposed', 'accepted'].includes(meeting.state))
      return 'not_found';
    await this.d.meetings.save({ ...meeting, state: 'cancelled', version: meeting.version + 1 });
    await this.d.outbox.cancelByKeyPrefix(`meeting:${meeting.id}:`);
    await this.d.timeline.append({
      pairId: pair.id,
      type: 'meeting_cancelled',
      at: now,
      by: me.id,
      data: { meetingId },
    });
    if (tellPartner) {
      const partnerId = pair.actorId === me.id ? pair.mentorId : pair.actorId;
      const partner = await this.d.participants.findById(partnerId);
      await this.d.notifier.send(
        {
          key: `meeting:${meeting.id}:cancelled:${partnerId}`,
          recipientId: partnerId,
          due: now,
          text: [
            t('meetings:cancelled_by_partner', {
              name: nameOf(me),
              when: when(meeting.at, partner?.timeZone ?? meeting.timeZone),
            }),
          ],
        },
        now,
      );
    }
    return 'cancelled';
  }

  /** /meetings: what is coming for her active pairs, soonest first. */
  async list(me: Participant): Promise<UpcomingMeetings> {
    const pairs = await this.activePairOf(me);
    const meetings = (await Promise.all(pairs.map((p) => this.d.meetings.upcoming({ pairId: p.id }))))
      .flat()
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    return meetings.length ? { outcome: 'upcoming', meetings } : { outcome: 'none' };
  }

  async change(what: string, me: Participant, now: Date): Promise<MeetingChange> {
    const [verb, meetingId] = what.split(':');
    if (!meetingId) return { outcome: 'not_found' };
    if (verb === 'cancel') return { outcome: await this.cancelMeeting(meetingId, me, now) };
    const meeting = await this.d.meetings.get(meetingId);
    if (!meeting?.pairId) return { outcome: 'not_found' };
    return this.begin(me, now, meeting.pairId, meetingId);
  }

  /** "Did you meet?" yes: the meeting is logged on the timeline with what they worked on. */
  async held(meetingId: string, topics: string[], me: Participant, now: Date): Promise<MeetingHeldOutcome> {
    const meeting = await this.d.meetings.get(meetingId);
    const pair = meeting?.pairId ? await this.d.pairs.get(meeting.pairId) : null;
    if (!meeting || !pair || !isMember(pair, me.id)) return { outcome: 'not_found' };
    if (meeting.state === 'held') return { outcome: 'already_recorded', meeting };
    const held: Meeting = { ...meeting, state: 'held' };
    await this.d.meetings.save(held);
    await this.d.timeline.append({
      pairId: pair.id,
      type: 'meeting_held',
      at: now,
      by: me.id,
      data: { meetingId, at: meeting.at, topics },
    });
    return { outcome: 'recorded', meeting: held };
  }

  /** "Did you meet?": yes, no (recorded as missed), or it moved (an accepted meeting is cancelled). */
  async followUp(meetingId: string, answer: string, me: Participant, now: Date): Promise<MeetingFollowUp> {
    if (answer === 'no') return this.missed(meetingId, me, now);
    const meeting = await this.d.meetings.get(meetingId);
    if (!meeting?.pairId) return { outcome: 'not_found' };
    if (answer !== 'moved') return { outcome: 'met', meeting, pairId: meeting.pairId };
    if (meeting.state !== 'accepted') return { outcome: 'moved', meeting, pairId: meeting.pairId };
    const moved: Meeting = { ...meeting, state: 'cancelled', version: meeting.version + 1 };
    await this.d.meetings.save(moved);
    return { outcome: 'moved', meeting: moved, pairId: meeting.pairId };
  }

  /** "We did not meet": an accepted meeting is recorded as missed, on the timeline too. */
  private async missed(meetingId: string, me: Participant, now: Date): Promise<MeetingFollowUp> {
    const meeting = await this.d.meetings.get(meetingId);
    const pair = meeting?.pairId ? await this.d.pairs.get(meeting.pairId) : null;
    if (!meeting || !pair || !isMember(pair, me.id)) return { outcome: 'not_found' };
    if (meeting.state !== 'accepted') return { outcome: 'missed', meeting, pairId: pair.id };
    const missed: Meeting = { ...meeting, state: 'missed' };
    await this.d.meetings.save(missed);
    await this.d.timeline.append({
      pairId: pair.id,
      type: 'meeting_missed',
      at: now,
      by: me.id,
      data: { meetingId, at: meeting.at },
    });
    return { outcome: 'missed', meeting: missed, pairId: pair.id };
  }
}

export const isMember = (pair: Pair, id: string) => pair.actorId === id || pair.mentorId === id;
