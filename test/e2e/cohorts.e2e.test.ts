import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { ManualClock } from '../support/clock.ts';
import { L } from '../support/i18n.ts';
import { actorData, mentorData, seed } from '../support/seed.ts';
import { startTelegramApp } from '../support/telegram-app.ts';

describe('officers: invitations, a declined proposal, cohorts and group meetings', () => {
  const fake = new FakeTelegram();
  const clock = new ManualClock(new Date('2027-01-10T08:00:00Z'));
  let app: App;
  const officer: FakeUser = { id: 8001, first_name: 'Officer', language_code: 'en' };
  const newOfficer: FakeUser = { id: 8002, first_name: 'Sanna', language_code: 'fi' };
  const members: FakeUser[] = Array.from({ length: 12 }, (_, i) => ({
    id: 8100 + i,
    first_name: `P${i}`,
    language_code: 'en',
  }));

  beforeAll(async () => {
    app = await startTelegramApp(fake, 'e2e_cohorts', { clock, env: { OFFICER_TELEGRAM_IDS: String(officer.id) } });
    // Six active pairs (actors 8100.., mentors 8106..), seeded as matching would leave them.
    for (let i = 0; i < 6; i++) {
      const a = await seed(
        app.repositories.participants,
        actorData(`telegram:${8100 + i}`, { firstName: `Actor${i}` }),
      );
      const m = await seed(
        app.repositories.participants,
        mentorData(`telegram:${8106 + i}`, { firstName: `Mentor${i}` }, 'en'),
      );
      await app.repositories.pairs.create({
        actorId: a.id,
        mentorId: m.id,
        state: 'active',
        proposedBy: 'seed',
        actorAccepted: true,
        mentorAccepted: true,
        history: [],
        createdAt: clock.now(),
      });
    }
  });
  afterAll(async () => {
    await app?.stop();
    await fake.stop();
  });

  const reply = (user: FakeUser, act: () => void, text: string) => fake.reply(user, act, text);

  it('an officer invites another officer with a one-time link', async () => {
    const invite = await reply(officer, () => fake.sendText(officer, '/invite'), '/start officer-');
    const command = invite.text.match(/\/start (officer-\S+)/)![0];
    await reply(newOfficer, () => fake.sendText(newOfficer, command), L('fi', 'officer:invite.welcome'));
    expect((await app.repositories.participants.findByIdentity(`telegram:${newOfficer.id}`))?.role).toBe('officer');
    const stranger: FakeUser = { id: 8003, first_name: 'X', language_code: 'en' };
    await reply(stranger, () => fake.sendText(stranger, command), L('en', 'officer:invite.invalid'));
    expect(await app.repositories.participants.findByIdentity(`telegram:${stranger.id}`)).toBeNull();
  });

  it('forms a cohort of 5-8 pairs, refusing fewer', async () => {
    await reply(officer, () => fake.sendText(officer, '/cohort'), L('en', 'cohorts:pick_pairs', { min: 5, max: 8 }));
    for (const name of ['Actor0', 'Actor1', 'Actor2', 'Actor3'])
      await reply(officer, () => fake.press(officer, name), L('en', 'cohorts:pick_pairs', { min: 5, max: 8 }));
    await reply(
      officer,
      () => fake.press(officer, L('en', 'common:done')),
      L('en', 'common:choose_more', { count: 5 }),
    );
    await reply(officer, () => fake.press(officer, 'Actor4'), L('en', 'cohorts:pick_pairs', { min: 5, max: 8 }));
    await reply(
      officer,
      () => fake.press(officer, L('en', 'common:done')),
      L('en', 'cohorts:created', { name: '1', count: 5 }),
    );
    const [cohort] = await app.repositories.cohorts.list();
    expect(cohort!.pairIds).toHaveLength(5);
  });

  it('plans a group meeting: every member is invited, RSVPs are kept, "not coming" gets no reminder', async () => {
    await fake.waitFor(officer.id, (m) => m.text.includes(L('en', 'meetings:when_ask')));
    await reply(officer, () => fake.sendText(officer, '20.1. 17.00'), L('en', 'meetings:place_ask'));
    await reply(
      officer,
      () => fake.sendText(officer, 'Library hall'),
      L('en', 'cohorts:planned', { number: 1, when: 'x', count: 10 }).split('x')[0]!,
    );
    await app.dispatcher.drain();
    const invited = members.filter((u) => fake.messagesTo(u.id).some((m) => m.text.includes('Library hall')));
    expect(invited.map((u) => u.id).sort()).toEqual([8100, 8101, 8102, 8103, 8104, 8106, 8107, 8108, 8109, 8110]);
    await reply(
      members[0]!,
      () => fake.press(members[0]!, L('en', 'cohorts:rsvp.not_coming')),
      L('en', 'cohorts:rsvp_thanks.not_coming'),
    );
    await reply(
      members[1]!,
      () => fake.press(members[1]!, L('en', 'cohorts:rsvp.maybe')),
      L('en', 'cohorts:rsvp_thanks.maybe'),
    );
    await reply(
      members[1]!,
      () => fake.press(members[1]!, L('en', 'cohorts:rsvp.coming')),
      L('en', 'cohorts:rsvp_thanks.coming'),
    );
    const [meeting] = await app.repositories.meetings.upcoming({
      cohortId: (await app.repositories.cohorts.list())[0]!.id,
    });
    expect(Object.values(meeting!.rsvps).sort()).toEqual(['coming', 'not_coming']);

    const since = fake.mark;
    clock.set('2027-01-19T15:00:00Z'); // the 24 h reminder is due
    await app.dispatcher.drain();
    const reminded = members.filter((u) =>
      fake.messagesTo(u.id).some((m) => m.seq > since && m.text.includes('Library hall')),
    );
    expect(reminded).toHaveLength(9);
    expect(reminded.map((u) => u.id)).not.toContain(members[0]!.id);
  });

  it("records attendance on every pair's timeline", async () => {
    clock.set('2027-01-20T18:00:00Z');
    await reply(officer, () => fake.sendText(officer, '/attendance'), L('en', 'cohorts:which_meeting'));
    await reply(officer, () => fake.press(officer, /Meeting 1/), L('en', 'cohorts:who_came'));
    await reply(officer, () => fake.press(officer, 'Actor1'), L('en', 'cohorts:who_came'));
    await reply(officer, () => fake.press(officer, 'Mentor1'), L('en', 'cohorts:who_came'));
    await reply(
      officer,
      () => fake.press(officer, L('en', 'common:done')),
      L('en', 'cohorts:attendance_saved', { count: 2 }),
    );
    const [cohort] = await app.repositories.cohorts.list();
    const timeline = await app.repositories.timeline.forPair(cohort!.pairIds[0]!);
    expect(timeline.at(-1)).toMatchObject({ type: 'meeting_held', data: { group: true, number: 1 } });
  });

  it('a declined proposal tells the officer the reason and puts the actor back on the waiting list', async () => {
    const actor = await seed(
      app.repositories.participants,
      actorData('telegram:8200', { firstName: 'Dana', city: 'Turku' }),
    );
    const mentor = await seed(
      app.repositories.participants,
      mentorData('telegram:8201', { firstName: 'Riikka', city: 'Turku' }, 'en'),
    );
    const dana: FakeUser = { id: 8200, first_name: 'Dana', language_code: 'en' };
    const riikka: FakeUser = { id: 8201, first_name: 'Riikka', language_code: 'en' };
    await reply(officer, () => fake.sendText(officer, '/waiting'), L('en', 'officer:waiting.pick'));
    await reply(officer, () => fake.press(officer, 'Dana'), L('en', 'officer:rank.pick', { name: 'Dana' }));
    await reply(
      officer,
      () => fake.press(officer, 'Riikka'),
      L('en', 'officer:propose.done', { actor: 'Dana', mentor: 'Riikka' }),
    );
    await app.dispatcher.drain();
    await reply(
      riikka,
      () => fake.press(riikka, L('en', 'pairs:proposal.decline')),
      L('en', 'pairs:decline.reason_ask'),
    );
    await reply(riikka, () => fake.sendText(riikka, 'I am moving abroad'), L('en', 'pairs:decline.thanks'));
    await app.dispatcher.drain();
    await fake.waitFor(officer.id, (m) => m.text.includes('I am moving abroad'));
    await fake.waitFor(dana.id, (m) => m.text.includes(L('en', 'pairs:decline.to_actor')));
    expect((await app.services.pairs.waitingActors()).map((a) => a.id)).toContain(actor.id);
    expect(await app.repositories.pairs.placesTaken([mentor.id])).toEqual(new Map());
  });
});
