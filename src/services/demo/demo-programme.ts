import { DateTime } from 'luxon';
import type { Participant } from '../../core/model.ts';
import type { CohortRepository, PairRepository, ParticipantRepository } from '../../core/ports.ts';
import type { ProgrammeServices } from '../programme/operations.ts';
import type { VirtualClock } from '../virtual-time.ts';
import { DEMO_ACTORS, DEMO_MENTORS } from './demo-people.ts';

const DAY = 86_400_000;
const ZONE = 'Europe/Helsinki';

/** How one demo pair lived: days are relative to today (negative: in the past). */
interface PairStory {
  actor: string;
  mentor: string;
  proposed: number;
  /** Both said yes this day (else the proposal is open; `actorSaidYes` gives half an answer). */
  active?: number;
  actorSaidYes?: boolean;
  commitment?: number;
  /** Days they met (proposed two days before, accepted, "we met" the morning after). */
  met?: number[];
  /** An accepted meeting this many days ahead. */
  upcoming?: number;
  /** Check-in answers: round, who, rating, a private note to the staff. */
  answers?: { round: number; by: 'actor' | 'mentor'; rating: number; note?: string }[];
  completed?: number;
}

/** Every state a pair can be in, and the different ways a pair stalls. */
const STORIES: readonly PairStory[] = [
  // Healthy: a plan, regular meetings, good check-ins.
  {
    actor: 'amira',
    mentor: 'liisa',
    proposed: -41,
    active: -40,
    commitment: -39,
    met: [-35, -21, -7],
    answers: [
      { round: 1, by: 'actor', rating: 4 },
      { round: 1, by: 'mentor', rating: 5 },
      { round: 2, by: 'actor', rating: 5 },
      { round: 2, by: 'mentor', rating: 4 },
    ],
  },
  {
    actor: 'olena',
    mentor: 'aino',
    proposed: -21,
    active: -20,
    commitment: -19,
    met: [-10],
    upcoming: 2,
    answers: [
      { round: 1, by: 'actor', rating: 5 },
      { round: 1, by: 'mentor', rating: 4 },
    ],
  },
  { actor: 'maria', mentor: 'sanna', proposed: -11, active: -10, commitment: -9, met: [-5] },
  // Stalling: no meeting for a month.
  {
    actor: 'leila',
    mentor: 'kaisa',
    proposed: -36,
    active: -35,
    commitment: -34,
    met: [-30],
    answers: [
      { round: 1, by: 'actor', rating: 3 },
      { round: 2, by: 'actor', rating: 3 },
    ],
  },
  // Stalling: no plan written 18 days after matching.
  {
    actor: 'svetlana',
    mentor: 'minna',
    proposed: -19,
    active: -18,
    met: [-10],
    answers: [{ round: 1, by: 'mentor', rating: 4 }],
  },
  // Stalling: rated low twice.
  {
    actor: 'nour',
    mentor: 'johanna',
    proposed: -34,
    active: -33,
    commitment: -32,
    met: [-25, -8],
    answers: [
      { round: 1, by: 'actor', rating: 2 },
      { round: 2, by: 'actor', rating: 2 },
    ],
  },
  // Stalling: the actor missed two check-ins in a row.
  {
    actor: 'iryna',
    mentor: 'hanna',
    proposed: -39,
    active: -38,
    commitment: -37,
    met: [-15],
    answers: [
      { round: 1, by: 'mentor', rating: 3 },
      { round: 2, by: 'mentor', rating: 3 },
    ],
  },
  // Stalling: a private note to the staff.
  {
    actor: 'sara',
    mentor: 'laura',
    proposed: -17,
    active: -16,
    commitment: -15,
    met: [-6],
    answers: [
      { round: 1, by: 'actor', rating: 3, note: 'We get on well, but I would like advice on job applications.' },
    ],
  },
  // Completed.
  {
    actor: 'daria',
    mentor: 'riikka',
    proposed: -49,
    active: -48,
    commitment: -47,
    met: [-40, -30, -20],
    completed: -5,
  },
  // Proposed: nobody answered yet; the actor said yes, the mentor not yet.
  { actor: 'hana', mentor: 'elina', proposed: -2 },
  { actor: 'tatiana', mentor: 'tiina', proposed: -1, actorSaidYes: true },
];
/** The cohort's five pairs (by actor) and its first group meeting, this many days ahead. */
const COHORT = ['amira', 'olena', 'maria', 'leila', 'svetlana'];
const GROUP_MEETING_IN_DAYS = 7;

export interface DemoDeps {
  participants: ParticipantRepository;
  pairs: PairRepository;
  cohorts: CohortRepository;
  services: ProgrammeServices;
  /** Starts DEMO_DAYS back; the demo moves it to now. */
  clock: VirtualClock;
  officer: Participant;
  /** Delivers what fell due (while the past is seeded, the console shows nothing). */
  drain: () => Promise<unknown>;
}

interface Step {
  at: number;
  run: (now: Date) => Promise<unknown>;
}

/**
 * A programme of some weeks, made the way people would have made it: registrations, proposals and
 * answers, plans, meetings, check-ins and a cohort, each through the programme's own services at the
 * time it happened. Alerts are left to the stall evaluation that runs when the console starts.
 */
export async function seedDemo(d: DemoDeps): Promise<{ actors: number; mentors: number; pairs: number }> {
  const today = DateTime.fromMillis(Date.now(), { zone: ZONE }).startOf('day');
  const time = (day: number, hour: number) => today.plus({ days: day }).set({ hour }).toMillis();
  const people = new Map<string, Participant>();
  const who = (name: string) => people.get(name)!;
  const pairOf = async (actor: string) => (await d.pairs.openFor(who(actor).id))[0]!;
  const steps: Step[] = [];
  const at = (day: number, hour: number, run: Step['run']) =>
    steps.push({ at: time(day, hour) + steps.length * 1000, run });

  // Everyone registers in the first days, as the registration flow saves her.
  [...DEMO_MENTORS, ...DEMO_ACTORS].forEach((p, i) => {
    at(-52 + (i % 3), 9, async (now) => {
      const role = 'field' in p.profile ? 'mentor' : 'actor';
      const identity = `console:${p.name}`;
      const saved = await d.participants.save(
        {
          role,
          identities: [identity],
          addresses: { console: identity },
          locale: p.locale,
          timeZone: ZONE,
          status: 'waiting',
          consent: { given: true, textVersion: 'demo', at: now },
          [role]: p.profile,
        },
        now,
      );
      people.set(p.name, saved);
    });
  });

  for (const s of STORIES) {
    at(s.proposed, 11, (now) => d.services.pairs.propose(who(s.actor).id, who(s.mentor).id, d.officer, now));
    if (s.actorSaidYes)
      at(s.proposed, 15, async (now) =>
        d.services.pairs.reply((await pairOf(s.actor)).id, 'actor', true, who(s.actor), now),
      );
    if (s.active !== undefined) {
      at(s.active, 12, async (now) =>
        d.services.pairs.reply((await pairOf(s.actor)).id, 'actor', true, who(s.actor), now),
      );
      at(s.active, 13, async (now) =>
        d.services.pairs.reply((await pairOf(s.actor)).id, 'mentor', true, who(s.mentor), now),
      );
    }
    if (s.commitment !== undefined) {
      at(s.commitment, 12, async (now) => {
        const aims = who(s.actor).actor!.goals;
        const pairId = (await pairOf(s.actor)).id;
        await d.services.commitment.draft(
          { pairId, aims, frequency: 'biweekly', start: now.toISOString(), months: 7 },
          who(s.mentor),
          now,
        );
      });
      at(s.commitment, 18, async (now) => d.services.commitment.confirm((await pairOf(s.actor)).id, who(s.actor), now));
    }
    for (const day of s.met ?? []) {
      let meetingId = '';
      at(day - 2, 10, async (now) => {
        const proposal = await d.services.meetings.propose(
          { pairId: (await pairOf(s.actor)).id, at: new Date(time(day, 17)).toISOString(), place: 'Library café' },
          who(s.mentor),
          now,
        );
        if (proposal.outcome === 'proposed') meetingId = proposal.meeting.id;
      });
      at(day - 2, 14, (now) => d.services.meetings.accept(meetingId, who(s.actor), now));
      at(day + 1, 9, (now) => d.services.meetings.held(meetingId, ['working_culture'], who(s.actor), now));
    }
    if (s.upcoming !== undefined) {
      let meetingId = '';
      at(-1, 10, async (now) => {
        const proposal = await d.services.meetings.propose(
          {
            pairId: (await pairOf(s.actor)).id,
            at: new Date(time(s.upcoming!, 17)).toISOString(),
            place: 'Oodi, Helsinki',
          },
          who(s.actor),
          now,
        );
        if (proposal.outcome === 'proposed') meetingId = proposal.meeting.id;
      });
      at(-1, 12, (now) => d.services.meetings.accept(meetingId, who(s.mentor), now));
    }
    for (const a of s.answers ?? []) {
      // A round opens every 14 days after the start; she answers the next day.
      at(s.active! + 14 * a.round + 1, 16, async (now) => {
        const me = who(a.by === 'actor' ? s.actor : s.mentor);
        const checkinId = `checkin:${(await pairOf(s.actor)).id}:${a.round}:${me.id}`;
        await d.services.checkins.answer(
          {
            checkinId,
            met: 'yes',
            rating: a.rating,
            topics: ['working_culture'],
            ...(a.note ? { privateNote: a.note } : {}),
          },
          me,
          now,
        );
      });
    }
    if (s.completed !== undefined)
      at(s.completed, 15, async (now) => d.services.overview.complete((await pairOf(s.actor)).id, d.officer, now));
  }

  at(-3, 10, async (now) =>
    d.services.cohorts.create(await Promise.all(COHORT.map(async (a) => (await pairOf(a)).id)), d.officer, now),
  );
  at(-1, 11, async (now) => {
    const [cohort] = await d.cohorts.list();
    const when = new Date(time(GROUP_MEETING_IN_DAYS, 17)).toISOString();
    await d.services.cohorts.planGroupMeeting(
      { cohortId: cohort!.id, at: when, place: 'Oodi, Helsinki' },
      d.officer,
      now,
    );
  });
  // An open counselling request about her pairing, from the actor whose pair has not met for a month.
  at(-1, 14, (now) =>
    d.services.counselling.request(
      { topic: 'pairing', urgency: 'this_week', message: 'We have not met for a month. What can I do?' },
      who('leila'),
      now,
    ),
  );
  // Check-in rounds open (and lapse) as the hourly job would find them.
  for (let day = -50; day < 0; day++) at(day, 8, (now) => d.services.checkins.tick(now));

  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) {
    d.clock.advanceTo(step.at);
    await step.run(d.clock.now());
  }
  d.clock.advanceTo(Date.now());
  await d.services.checkins.tick(d.clock.now());
  // What was due in the past is delivered now, unseen: these people had it back then.
  await d.drain();
  return { actors: DEMO_ACTORS.length, mentors: DEMO_MENTORS.length, pairs: STORIES.length };
}

/** The demo's past starts this many days back. */
export const DEMO_DAYS = 53;
export const DEMO_START_SHIFT = -DEMO_DAYS * DAY;
