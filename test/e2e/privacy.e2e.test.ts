import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Participant } from '../../src/core/model.ts';
import type { Pair } from '../../src/core/programme.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { ManualClock } from '../support/clock.ts';
import { testDbUri } from '../support/database.ts';
import { L } from '../support/i18n.ts';
import { recordingLogger } from '../support/logger.ts';
import { activePair, actorData, mentorData, SEEDED_CONSENT_VERSION, seed } from '../support/seed.ts';

const GROUP = -1007001;
const DAY = 86_400_000;
// Words only she wrote: none may be left anywhere in the database after /delete.
const PHONE = '+358 40 765 4321';
const HER_TEXTS = [
  `Please call me at ${PHONE}`,
  'Worried about my residence situation',
  'Kahvila Aallon kulmapöytä',
  'How do you negotiate a salary here?',
  'I would like help with my CV for Nokia',
];
const PARTNER_NOTE = 'Mentor notes: she seemed tired today';

describe('GDPR rights in chat: /mydata, /delete, a new privacy notice, retention', () => {
  const telegram = new FakeTelegram();
  const start = new Date('2027-03-01T09:00:00Z');
  const clock = new ManualClock(start);
  const uri = testDbUri('e2e_privacy');
  let apiRoot = '';
  let app: App;
  const officer: FakeUser = { id: 7001, first_name: 'Outi', language_code: 'en' };
  const zainab: FakeUser = { id: 7101, first_name: 'Zainab', language_code: 'en' };
  const liisa: FakeUser = { id: 7201, first_name: 'Liisa', language_code: 'fi' };
  let her: Participant;
  let mentor: Participant;
  let pair: Pair;

  const config = (version: string) =>
    loadConfig({
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: apiRoot,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      OFFICER_TELEGRAM_IDS: String(officer.id),
      CONSENT_VERSION: version,
      RETENTION_MONTHS: '24',
    });
  const reply = (user: FakeUser, act: () => void, text: string) => telegram.reply(user, act, text);

  beforeAll(async () => {
    apiRoot = await telegram.start();
    // The seeded people agreed to the notice of this version.
    app = await createApp({
      config: config(SEEDED_CONSENT_VERSION),
      logger: recordingLogger(),
      mongoUri: uri,
      clock,
      scheduler: false,
    });
    await app.start();
    const r = app.repositories;
    her = await seed(
      r.participants,
      actorData(`telegram:${zainab.id}`, { firstName: 'Zainab', profession: 'Telecom network engineer' }),
    );
    mentor = await seed(r.participants, mentorData(`telegram:${liisa.id}`, { firstName: 'Liisa' }));
    pair = await activePair(r.pairs, her.id, mentor.id, start);
    await r.participants.setStatus(her.id, 'paired', start);
    const cohort = await r.cohorts.create({
      name: 'K1',
      pairIds: [pair.id],
      createdBy: 'seed',
      createdAt: start,
      spaces: { telegram: `telegram:${GROUP}` },
    });
    pair = {
      ...pair,
      cohortId: cohort.id,
      commitment: {
        aims: [HER_TEXTS[4]!],
        frequency: 'biweekly',
        start,
        plannedEnd: new Date(+start + 200 * DAY),
        draftedBy: her.id,
        confirmedBy: mentor.id,
        confirmedAt: start,
      },
    };
    await r.pairs.save(pair);
    telegram.createGroup(GROUP, 'Womento K1');
    telegram.addMember(GROUP, zainab);
    telegram.addMember(GROUP, liisa);
    const sentAt = new Date(+start - 2 * DAY);
    await r.checkins.create({
      id: `checkin:${pair.id}:1:${her.id}`,
      pairId: pair.id,
      round: 1,
      participantId: her.id,
      state: 'answered',
      sentAt,
      answeredAt: sentAt,
      met: 'yes',
      rating: 4,
      topics: ['cv'],
      note: HER_TEXTS[0]!,
      privateNote: HER_TEXTS[1]!,
    });
    await r.checkins.create({
      id: `checkin:${pair.id}:1:${mentor.id}`,
      pairId: pair.id,
      round: 1,
      participantId: mentor.id,
      state: 'answered',
      sentAt,
      answeredAt: sentAt,
      met: 'yes',
      rating: 3,
      topics: [],
      note: PARTNER_NOTE,
    });
    await r.meetings.create({
      kind: 'pair',
      pairId: pair.id,
      at: new Date(+start + 3 * DAY),
      timeZone: 'Europe/Helsinki',
      place: HER_TEXTS[2]!,
      state: 'accepted',
      proposedBy: her.id,
      version: 1,
      rsvps: {},
      attended: [],
      createdAt: start,
    });
    await r.questions.create({
      cohortId: cohort.id,
      askerId: her.id,
      text: HER_TEXTS[3]!,
      state: 'posted',
      createdAt: start,
    });
    await r.questions.create({
      cohortId: cohort.id,
      askerId: mentor.id,
      text: 'A question someone else asked',
      state: 'posted',
      createdAt: start,
    });
    await r.counselling.create({
      participantId: her.id,
      topic: 'job_search',
      urgency: 'this_week',
      message: `Could someone phone me? ${PHONE}`,
      state: 'open',
      createdAt: start,
    });
    await r.outbox.enqueue(
      {
        key: `test:later:${her.id}`,
        recipientId: her.id,
        due: new Date(+start + DAY),
        text: [{ key: 'privacy:delete.kept' }],
        category: 'essential',
      },
      start,
    );
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await telegram.stop();
  });

  it("an officer reading a pair's timeline is recorded in the audit log, and /audit lists it", async () => {
    await reply(officer, () => telegram.sendText(officer, `/timeline ${pair.id}`), L('en', 'pairs:timeline.title'));
    const listed = await reply(officer, () => telegram.sendText(officer, '/audit'), L('en', 'privacy:audit.title'));
    expect(listed.text).toContain(`timeline · pair:${pair.id}`);
    expect(listed.text).toContain('Outi');
    // Nobody else may read the log.
    await reply(zainab, () => telegram.sendText(zainab, '/audit'), L('en', 'common:not_allowed'));
  });

  it("/mydata sends a JSON file of what is stored about her, without other people's words", async () => {
    const since = telegram.mark;
    telegram.sendText(zainab, '/mydata');
    const file = await telegram.waitFor(zainab.id, (m) => Boolean(m.document), { since });
    const explained = await telegram.waitFor(zainab.id, (m) => m.text.includes(L('en', 'privacy:export.intro')), {
      since,
    });
    expect(explained.text).toContain(L('en', 'privacy:export.explain', { months: 24 }));
    expect(file.text).toBe(L('en', 'privacy:export.caption'));
    expect(file.document!.file_name).toMatch(/^womento-my-data-2027-03-01\.json$/);
    const raw = file.document!.bytes.toString('utf8');
    const data = JSON.parse(raw);

    const stored = (await app.repositories.participants.findById(her.id))!;
    expect(data.profile).toMatchObject({
      id: her.id,
      role: 'actor',
      identities: [`telegram:${zainab.id}`],
      actor: JSON.parse(JSON.stringify(stored.actor)),
    });
    expect(data.consent.current).toEqual({
      given: true,
      textVersion: SEEDED_CONSENT_VERSION,
      at: stored.consent.at.toISOString(),
    });
    expect(data.pairs).toHaveLength(1);
    expect(data.pairs[0]).toMatchObject({
      id: pair.id,
      yourRole: 'actor',
      state: 'active',
      commitment: { aims: [HER_TEXTS[4]] },
    });
    expect(data.meetings).toEqual([
      expect.objectContaining({ kind: 'pair', place: HER_TEXTS[2], proposedBy: 'you', state: 'accepted' }),
    ]);
    expect(data.checkins).toEqual([
      expect.objectContaining({ round: 1, rating: 4, note: HER_TEXTS[0], privateNote: HER_TEXTS[1] }),
    ]);
    expect(data.counsellingRequests).toEqual([
      expect.objectContaining({ topic: 'job_search', message: `Could someone phone me? ${PHONE}` }),
    ]);
    expect(data.yourAnonymousQuestions).toEqual([expect.objectContaining({ text: HER_TEXTS[3] })]);
    expect(data.messagesQueuedToYou).toEqual([expect.objectContaining({ text: L('en', 'privacy:delete.kept') })]);
    expect(data.readsByProgrammeStaff).toEqual([expect.objectContaining({ what: 'timeline' })]);
    expect(Object.keys(data.explanation)).toEqual(['purposes', 'recipients', 'retention', 'rights']);
    // The partner's notes and who asked other questions are not hers.
    expect(raw).not.toContain(PARTNER_NOTE);
    expect(raw).not.toContain('A question someone else asked');
    expect(raw).not.toContain(mentor.id);
  });

  const dumpAll = async () => {
    const db = app.connection.db!;
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    const lines: string[] = [];
    for (const name of names)
      for (const doc of await db.collection(name).find({}).toArray()) lines.push(`${name} ${JSON.stringify(doc)}`);
    return { names, lines };
  };

  it('/delete asks twice, then erases her everywhere: no collection holds her name, identity, phone or words', async () => {
    const r = app.repositories;
    // Her name where others read it: a message the partner got, an officer's note on an alert, a question in progress.
    await r.outbox.enqueue(
      {
        key: `test:intro:${pair.id}`,
        recipientId: mentor.id,
        due: start,
        text: [{ key: 'peer:withdrawn', params: { name: 'Zainab' } }],
        category: 'essential',
      },
      start,
    );
    await app.dispatcher.drain();
    await r.alerts.open({
      pairId: pair.id,
      signalKey: 'private_note',
      signal: { kind: 'private_note' },
      state: 'open',
      openedAt: start,
      lastNotifiedAt: start,
      actions: [{ what: 'nudged', by: 'x', at: start, note: 'Phoned Zainab, she is fine' }],
    });
    await reply(officer, () => telegram.sendText(officer, '/withdraw'), L('en', 'peer:withdraw_which_cohort'));
    await reply(
      officer,
      () => telegram.press(officer, L('en', 'cohorts:name', { name: 'K1' })),
      L('en', 'peer:withdraw_who'),
    );
    const before = (await dumpAll()).lines.filter(
      (l) => l.includes('Zainab') || l.includes(`telegram:${zainab.id}`) || l.includes(PHONE),
    );
    // A handled event's words leave the inbox (`inbox_open` holds one only while it is being handled).
    const holding = before.map((l) => l.split(' ')[0]!.replace(/_\d+$/, '_<hour>')).filter((c) => c !== 'inbox_open');
    expect(new Set(holding)).toEqual(
      new Set([
        'participants',
        'identities',
        'conversations',
        'outbox_<hour>',
        'alerts',
        'checkins',
        'counselling_requests',
      ]),
    );

    await reply(zainab, () => telegram.sendText(zainab, '/delete'), L('en', 'privacy:delete.explain'));
    // A wrong word erases nothing.
    await reply(
      zainab,
      () => telegram.press(zainab, L('en', 'privacy:delete.yes')),
      L('en', 'privacy:delete.type_word', { word: 'DELETE' }),
    );
    await reply(zainab, () => telegram.sendText(zainab, 'maybe'), L('en', 'privacy:delete.word_wrong'));
    expect((await app.repositories.participants.findById(her.id))!.actor!.firstName).toBe('Zainab');

    await reply(zainab, () => telegram.sendText(zainab, '/delete'), L('en', 'privacy:delete.explain'));
    await reply(
      zainab,
      () => telegram.press(zainab, L('en', 'privacy:delete.yes')),
      L('en', 'privacy:delete.type_word', { word: 'DELETE' }),
    );
    const done = await reply(zainab, () => telegram.sendText(zainab, 'delete'), L('en', 'privacy:delete.done'));
    expect(done.text).toContain(L('en', 'privacy:delete.telegram_history'));

    // Her pair ended, the partner is told without her name, and she left the cohort's group.
    expect((await app.repositories.pairs.get(pair.id))!.state).toBe('ended');
    await app.dispatcher.drain();
    await telegram.waitFor(liisa.id, (m) => m.text === L('fi', 'pairs:partner_left'));
    expect(telegram.membersOf(GROUP)).not.toContain(zainab.id);
    expect(telegram.membersOf(GROUP)).toContain(liisa.id);

    // Her conversation was emptied at once; what holds its place (her platform id in each `_id`, so that a copy
    // another instance may hold is refused) is deleted two minutes later.
    const emptied = (await dumpAll()).lines.filter((l) => l.includes(`telegram:${zainab.id}`));
    expect(emptied.length).toBeGreaterThan(0);
    for (const line of emptied) {
      expect(line.startsWith('conversations ')).toBe(true);
      expect(JSON.parse(line.slice('conversations '.length))).toMatchObject({ erased: true, flow: null });
    }
    clock.advance(2 * 60_000);
    await app.repositories.conversations.deleteDue();

    const db = app.connection.db!;
    const { names, lines: dump } = await dumpAll();
    expect(names).toEqual(
      expect.arrayContaining([
        'participants',
        'identities',
        'conversations',
        'inbox',
        'checkins',
        'meetings',
        'counselling_requests',
        'pairs',
        'alerts',
      ]),
    );
    const all = dump.join('\n');
    for (const mark of [
      'Zainab',
      `telegram:${zainab.id}`,
      PHONE,
      '765 4321',
      'Telecom network engineer',
      ...HER_TEXTS,
    ]) {
      expect(
        dump.filter((line) => line.includes(mark)),
        mark,
      ).toEqual([]);
    }
    // What is not hers stays: the partner, her words, and the counts.
    expect(all).toContain('Liisa');
    expect(all).toContain(PARTNER_NOTE);
    expect(await db.collection('counselling_requests').countDocuments({ topic: 'job_search' })).toBe(1);
    const left = (await app.repositories.participants.findById(her.id))!;
    expect(left).toMatchObject({
      role: 'actor',
      status: 'left',
      identities: [`erased:${her.id}`],
      addresses: {},
      actor: { city: 'Tampere', firstName: '' },
    });

    // Writing again, she is a stranger: registration begins anew.
    await reply(zainab, () => telegram.sendText(zainab, '/start'), L('en', 'registration:consent.ask'));
  });

  it('retention: 24 months after a pair ended its free texts go, and members in no newer pair are anonymised', async () => {
    const r = app.repositories;
    const ended = new Date(+start - 23 * 30 * DAY);
    const hanna = await seed(r.participants, actorData('telegram:7301', { firstName: 'Hanna' }));
    const ritva = await seed(r.participants, mentorData('telegram:7401', { firstName: 'Ritva' }));
    const mira = await seed(r.participants, actorData('telegram:7302', { firstName: 'Mira' }));
    const old = await r.pairs.create({
      actorId: hanna.id,
      mentorId: ritva.id,
      state: 'ended',
      proposedBy: 'seed',
      actorAccepted: true,
      mentorAccepted: true,
      endedReason: 'moved',
      history: [
        { state: 'active', by: 'seed', at: new Date(+ended - 100 * DAY) },
        { state: 'ended', by: hanna.id, at: ended, note: 'Moving to Oulu for my husband job' },
      ],
      createdAt: new Date(+ended - 100 * DAY),
    });
    await r.participants.setStatus(hanna.id, 'left', ended);
    await r.participants.setStatus(ritva.id, 'paired', ended);
    const newer = await activePair(r.pairs, mira.id, ritva.id, start);
    await r.checkins.create({
      id: `checkin:${old.id}:1:${hanna.id}`,
      pairId: old.id,
      round: 1,
      participantId: hanna.id,
      state: 'answered',
      sentAt: ended,
      answeredAt: ended,
      met: 'yes',
      rating: 5,
      topics: [],
      note: 'Old note about the sauna evening',
    });
    await r.checkins.create({
      id: `checkin:${newer.id}:1:${mira.id}`,
      pairId: newer.id,
      round: 1,
      participantId: mira.id,
      state: 'answered',
      sentAt: start,
      answeredAt: start,
      met: 'yes',
      rating: 5,
      topics: [],
      note: 'Fresh note from this spring',
    });

    // Messages that name them: Hanna's goes with her, Ritva's stays.
    for (const [who, name] of [
      [ritva, 'Hanna'],
      [mira, 'Ritva'],
    ] as const) {
      await r.outbox.enqueue(
        {
          key: `test:old:${who.id}`,
          recipientId: who.id,
          due: ended,
          text: [{ key: 'peer:withdrawn', params: { name } }],
          category: 'essential',
        },
        ended,
      );
    }
    // 23 months: nothing yet.
    expect(await app.services.erasure.retention(clock.now())).toBe(0);
    expect((await r.checkins.get(`checkin:${old.id}:1:${hanna.id}`))!.note).toBe('Old note about the sauna evening');

    clock.advance(2 * 30 * DAY);
    expect(await app.services.erasure.retention(clock.now())).toBe(1);
    expect((await r.checkins.get(`checkin:${old.id}:1:${hanna.id}`))!.note).toBeUndefined();
    expect((await r.pairs.get(old.id))!.history.map((h) => h.note)).toEqual([undefined, undefined]);
    expect((await r.checkins.get(`checkin:${newer.id}:1:${mira.id}`))!.note).toBe('Fresh note from this spring');
    // Hanna is in no newer pair: anonymous. Ritva mentors Mira now: kept.
    expect((await r.participants.findById(hanna.id))!).toMatchObject({
      identities: [`erased:${hanna.id}`],
      actor: { firstName: '' },
    });
    expect(await r.participants.findByIdentity('telegram:7301')).toBeNull();
    expect((await r.participants.findById(ritva.id))!.mentor!.firstName).toBe('Ritva');
    const timeline = JSON.stringify(await app.connection.db!.collection('timeline').find({}).toArray());
    expect(timeline).not.toContain('Moving to Oulu');
    const named = (await r.outbox.findByKeyPrefix('test:old:')).map((m) => JSON.stringify(m.text));
    expect(named.join()).not.toContain('Hanna');
    expect(named.join()).toContain('Ritva');
    const all = (await dumpAll()).lines.join('\n');
    for (const gone of ['Hanna', 'telegram:7301', 'Old note about the sauna evening', 'Moving to Oulu'])
      expect(all, gone).not.toContain(gone);
    // Done once: the next day changes nothing more.
    clock.advance(DAY);
    expect(await app.services.erasure.retention(clock.now())).toBe(0);
  });

  it('a new privacy notice is answered before anything else; refusing stops processing and offers /delete', async () => {
    await app.stop();
    clock.set(start);
    app = await createApp({ config: config('v2'), logger: recordingLogger(), mongoUri: uri, clock, scheduler: false });
    await app.start();
    const renewal = L('fi', 'privacy:consent.renewed', { notice: L('fi', 'registration:consent.notice_mentor') });
    const asked = await reply(liisa, () => telegram.sendText(liisa, '/meetings'), renewal);
    expect(asked.text).toBe(renewal);
    expect(asked.reply_markup!.inline_keyboard.flat().map((b) => b.text)).toEqual([
      L('fi', 'privacy:consent.accept'),
      L('fi', 'privacy:consent.decline'),
    ]);
    await reply(
      liisa,
      () => telegram.press(liisa, L('fi', 'privacy:consent.decline')),
      L('fi', 'privacy:consent.refused'),
    );
    expect((await app.repositories.participants.findById(mentor.id))!.consent).toMatchObject({
      given: false,
      textVersion: 'v2',
    });
    // Nothing is sent to her while she has not agreed, not even what was queued after she refused.
    await app.repositories.outbox.enqueue(
      {
        key: `test:refused:${mentor.id}`,
        recipientId: mentor.id,
        due: start,
        text: [{ key: 'privacy:delete.kept' }],
        category: 'essential',
      },
      start,
    );
    await app.dispatcher.drain();
    expect((await app.repositories.outbox.findByKeyPrefix('test:refused:'))[0]).toMatchObject({
      state: 'failed',
      lastError: 'recipient refused consent',
    });
    // Refused: nothing is handled, and she is offered /delete.
    const since = telegram.mark;
    const again = await reply(liisa, () => telegram.sendText(liisa, '/meetings'), '/delete');
    expect(again.text).toContain(
      L('fi', 'privacy:consent.still_refused', { notice: L('fi', 'registration:consent.notice_mentor') }).slice(0, 60),
    );
    expect(
      telegram
        .messagesTo(liisa.id)
        .filter((m) => m.seq > since)
        .some((m) => m.text.includes(L('fi', 'meetings:none'))),
    ).toBe(false);
    // /mydata still works while she has not agreed.
    const mark = telegram.mark;
    telegram.sendText(liisa, '/mydata');
    await telegram.waitFor(liisa.id, (m) => Boolean(m.document), { since: mark });

    await reply(
      liisa,
      () => telegram.sendText(liisa, 'hei'),
      L('fi', 'privacy:consent.still_refused', { notice: L('fi', 'registration:consent.notice_mentor') }),
    );
    await reply(
      liisa,
      () => telegram.press(liisa, L('fi', 'privacy:consent.accept')),
      L('fi', 'privacy:consent.thanks'),
    );
    expect((await app.repositories.participants.findById(mentor.id))!.consent).toMatchObject({
      given: true,
      textVersion: 'v2',
    });
    const log = await app.connection.db!.collection('consent_log').find({ participantId: mentor.id }).toArray();
    expect(log.map((c) => [c.given, c.textVersion])).toEqual([
      [false, 'v2'],
      [true, 'v2'],
    ]);
    // Now her commands are handled again; officers were never asked.
    const after = telegram.mark;
    telegram.sendText(liisa, '/meetings');
    const handled = await telegram.waitFor(liisa.id, () => true, { since: after });
    expect(handled.text).not.toContain(L('fi', 'privacy:consent.still_refused', { notice: '' }).slice(0, 30));
    expect(handled.text).not.toContain(renewal.slice(0, 30));
    await reply(officer, () => telegram.sendText(officer, '/audit'), L('en', 'privacy:audit.title'));
  });
});
