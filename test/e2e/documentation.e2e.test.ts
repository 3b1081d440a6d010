import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { Participant } from '../../src/core/model.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { ManualClock } from '../support/clock.ts';
import { L } from '../support/i18n.ts';
import { actorData, mentorData, seed } from '../support/seed.ts';
import { startTelegramApp } from '../support/telegram-app.ts';
import { pdfText } from '../support/pdf-text.ts';

const DAY = 86_400_000;
const PRIVATE = 'SECRET-NOTE I need help with my CV';
const COUNSEL = 'COUNSEL-MSG about my visa worries';

/** A pair's documentation: the partners' copy and the officer's, private notes only on request and audited. */
describe("a pair's documentation over Telegram", () => {
  const fake = new FakeTelegram();
  const start = new Date('2027-02-01T09:00:00Z'); // a Monday, 11:00 in Helsinki
  const clock = new ManualClock(start);
  const officer: FakeUser = { id: 9101, first_name: 'Olga', language_code: 'en' };
  const actorUser: FakeUser = { id: 9102, first_name: 'Amira', language_code: 'en' };
  const mentorUser: FakeUser = { id: 9103, first_name: 'Liisa', language_code: 'fi' };
  let app: App;
  let pairId: string;
  let officerP: Participant;
  let actor: Participant;
  let mentor: Participant;

  beforeAll(async () => {
    app = await startTelegramApp(fake, 'e2e_documentation', {
      clock,
      env: { OFFICER_TELEGRAM_IDS: String(officer.id) },
    });
    const s = app.services;
    officerP = (await app.repositories.participants.findByIdentity(`telegram:${officer.id}`))!;
    actor = await seed(
      app.repositories.participants,
      actorData(`telegram:${actorUser.id}`, { firstName: 'Amira', city: 'Espoo' }, 'en'),
    );
    mentor = await seed(
      app.repositories.participants,
      mentorData(`telegram:${mentorUser.id}`, { firstName: 'Liisa', city: 'Espoo' }, 'fi'),
    );
    await s.pairs.propose(actor.id, mentor.id, officerP, start);
    pairId = (await app.repositories.pairs.openFor(actor.id))[0]!.id;
    expect(await s.pairs.reply(pairId, 'actor', true, actor, start)).toMatchObject({
      outcome: 'accepted',
      pair: { id: pairId, state: 'proposed', actorAccepted: true, mentorAccepted: false },
    });
    expect(await s.pairs.reply(pairId, 'mentor', true, mentor, start)).toMatchObject({
      outcome: 'activated',
      pair: { id: pairId, state: 'active', mentorAccepted: true },
    });
    await s.commitment.draft(
      {
        pairId,
        aims: ['goal:vocabulary', 'Practise *job* interviews'],
        frequency: 'biweekly',
        start: start.toISOString(),
        months: 7,
      },
      actor,
      start,
    );
    expect(await s.commitment.confirm(pairId, mentor, start)).toMatchObject({
      outcome: 'confirmed',
      commitment: { draftedBy: actor.id, confirmedBy: mentor.id, frequency: 'biweekly' },
    });
    // Confirmed once: the button pressed again finds nothing to confirm.
    expect(await s.commitment.confirm(pairId, mentor, start)).toEqual({ outcome: 'not_found' });
    const proposal = await s.meetings.propose(
      { pairId, at: new Date(+start + 3 * DAY).toISOString(), place: 'Library' },
      actor,
      start,
    );
    const meetingId = (proposal as { meeting: { id: string } }).meeting.id;
    expect(await s.meetings.accept(meetingId, mentor, start)).toMatchObject({
      outcome: 'accepted',
      meeting: { id: meetingId, state: 'accepted' },
    });
    await s.meetings.held(meetingId, ['working_culture'], actor, new Date(+start + 3 * DAY + 3_600_000));
    const later = await s.meetings.propose({ pairId, at: new Date(+start + 20 * DAY).toISOString() }, mentor, start);
    expect(later.outcome).toBe('proposed');

    clock.set(new Date(+start + 14 * DAY));
    await s.checkins.tick(clock.now());
    const checkins = await app.repositories.checkins.forPair(pairId);
    const mine = checkins.find((c) => c.participantId === actor.id)!;
    await s.checkins.answer(
      { checkinId: mine.id, met: 'yes', rating: 4, topics: [], note: 'Good talk', privateNote: PRIVATE },
      actor,
      clock.now(),
    );
    await s.counselling.request({ topic: 'wellbeing', urgency: 'this_week', message: COUNSEL }, actor, clock.now());
  });
  afterAll(async () => {
    await app?.stop();
    await fake.stop();
  });

  const audit = () => app.connection.db!.collection('audit').find().toArray();
  const documentOf = async (user: FakeUser, command: string) => {
    const since = fake.mark;
    fake.sendText(user, command);
    const file = await fake.waitFor(user.id, (m) => Boolean(m.document?.file_name.endsWith('.md')), { since });
    // The same record as a PDF follows the Markdown file.
    const pdf = await fake.waitFor(user.id, (m) => Boolean(m.document?.file_name.endsWith('.pdf')), { since });
    return {
      name: file.document!.file_name,
      text: file.document!.bytes.toString('utf8'),
      caption: file.text,
      pdf: pdf.document!,
    };
  };

  it('a partner with one pair gets her record without an argument: no private notes, no counselling', async () => {
    const { name, text, pdf } = await documentOf(actorUser, '/document');
    expect(name).toBe(`pair-${pairId}.md`);
    expect(pdf.file_name).toBe(`pair-${pairId}.pdf`);
    const printed = await pdfText(pdf.bytes);
    expect(printed).toContain('Mentoring pair: Amira and Liisa');
    expect(printed).toContain('Practise *job* interviews');
    expect(printed).not.toContain('SECRET-NOTE');
    expect(text).toContain('# Mentoring pair: Amira and Liisa');
    expect(text).toContain(L('en', 'documents:copy.partner'));
    expect(text).toContain(
      `- ${L('en', 'documents:aims')} ${L('en', 'registration:goals.options.vocabulary')}; Practise \\*job\\* interviews`,
    );
    expect(text).toContain(L('en', 'documents:meeting_counts', { planned: 1, held: 1, cancelled: 0 }));
    expect(text).toMatch(/held – Library – topics: Working culture/);
    expect(text).toContain('Amira (actor): rating 4/5, met – Good talk');
    expect(text).not.toContain('SECRET-NOTE');
    expect(text).not.toContain('COUNSEL-MSG');
    expect(text).not.toContain(L('en', 'documents:h.counselling'));
    // The private note raised no alert the partner could read either.
    expect(text).not.toContain(L('en', 'documents:signal.help_requested'));
    expect(await audit()).toEqual([]);
  });

  it('the mentor reads the same record in Finnish; a partner cannot ask for private notes', async () => {
    const { text } = await documentOf(mentorUser, '/document');
    expect(text).toContain('# Mentoripari: Amira ja Liisa');
    expect(text).not.toContain('SECRET-NOTE');
    await fake.reply(
      mentorUser,
      () => fake.sendText(mentorUser, `/document ${pairId} private`),
      L('fi', 'common:not_allowed'),
    );
    expect(await audit()).toEqual([]);
  });

  it("an officer's copy lists counselling requests but no private text unless she asks", async () => {
    await fake.reply(officer, () => fake.sendText(officer, '/document'), L('en', 'documents:usage'));
    await fake.reply(officer, () => fake.sendText(officer, '/document nosuchpair'), L('en', 'documents:not_found'));
    const { text } = await documentOf(officer, `/document ${pairId}`);
    expect(text).toContain(L('en', 'documents:copy.officer'));
    expect(text).toContain(`## ${L('en', 'documents:h.counselling')}`);
    expect(text).toContain(L('en', 'counselling:topic.wellbeing'));
    expect(text).not.toContain('SECRET-NOTE');
    expect(text).not.toContain('COUNSEL-MSG');
    expect(await audit()).toEqual([]);
  });

  it('with "private" she sees the private notes, and the read is in the audit log: who, whose data, when', async () => {
    clock.advance(DAY);
    const { name, text, caption } = await documentOf(officer, `/document ${pairId} private`);
    expect(name).toBe(`pair-${pairId}-private.md`);
    expect(caption).toBe(L('en', 'documents:caption_private'));
    expect(text).toContain(`${L('en', 'documents:private_note')} SECRET-NOTE`);
    expect(text).toContain('COUNSEL-MSG');
    const entries = await audit();
    expect(
      entries.map((e) => ({ officerId: e.officerId, subjectId: e.subjectId, what: e.what, ref: e.ref, at: e.at })),
    ).toEqual(
      [actor.id, mentor.id].map((subjectId) => ({
        officerId: officerP.id,
        subjectId,
        what: 'pair_documentation_private_notes',
        ref: pairId,
        at: clock.now(),
      })),
    );
  });
});
