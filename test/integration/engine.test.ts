import type { Connection } from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MongoConversationRepository,
  MongoProcessedEventRepository,
} from '../../adapters/mongo/conversation.repository.ts';
import type { Models } from '../../adapters/mongo/models.ts';
import { MongoParticipantRepository } from '../../adapters/mongo/participant.repository.ts';
import { allFlows } from '../../flows/index.ts';
import type { Flow } from '../../src/core/flow.ts';
import type { InboundEvent, InboundPayload } from '../../src/core/messages.ts';
import { ConversationEngine } from '../../src/engine/engine.ts';
import { testModels } from '../support/database.ts';
import { NOW } from '../support/flow-driver.ts';
import { i18n, L } from '../support/i18n.ts';
import { recordingLogger } from '../support/logger.ts';
import { RecordingChannel } from '../support/recording-channel.ts';

describe('conversation engine on the real database', () => {
  let connection: Connection;
  let m: Models;
  let channel: RecordingChannel;
  let seq = 0;
  let person = 0;

  const engineWith = (flows: ReadonlyMap<string, Flow> = allFlows) => {
    channel = new RecordingChannel();
    return new ConversationEngine({
      participants: new MongoParticipantRepository(m),
      conversations: new MongoConversationRepository(m),
      processed: new MongoProcessedEventRepository(m),
      channels: new Map([['test', channel]]),
      flows,
      i18n,
      clock: { now: () => NOW },
      logger: recordingLogger(),
      settings: { mentorCodes: ['GOODCODE1'], consentVersion: 'v1', defaultTimeZone: 'Europe/Helsinki' },
      defaultLocale: 'en',
    });
  };
  let engine: ConversationEngine;
  let who: string;

  const send = async (payload: InboundPayload, languageHint = 'en') => {
    const event: InboundEvent = {
      id: `test:${++seq}`,
      identity: `test:${who}`,
      conversationId: `test:${who}`,
      conversationKind: 'private',
      languageHint,
      payload,
    };
    await engine.handle(event);
    return event;
  };
  const text = (s: string) =>
    send(
      s.startsWith('/')
        ? { type: 'command', name: s.slice(1).split(' ')[0]!, args: s.split(' ').slice(1).join(' ') }
        : { type: 'text', text: s },
    );
  const press = (label: string) => {
    const msg = [...channel.sent].reverse().find((d) => d.message.type === 'choice')!.message;
    const button = msg.type === 'choice' ? msg.rows.flat().find((b) => b.label.includes(label)) : undefined;
    if (!button) throw new Error(`no button ${label}`);
    return send({ type: 'button', data: button.data });
  };
  const state = async () => (await new MongoConversationRepository(m).load(`test:${who}`))?.flow;

  beforeAll(async () => {
    ({ connection, m } = await testModels('engine'));
  });
  afterAll(() => connection.close());
  beforeEach(() => {
    engine = engineWith();
    who = `p${++person}`;
  });

  it('/cancel keeps the answers; /start resumes at the same question', async () => {
    await text('/start');
    await press(L('en', 'registration:consent.accept'));
    await text('Maria');
    await text('/cancel');
    expect(channel.last?.message.text).toBe(L('en', 'common:cancel.paused'));
    await text('Helsinki');
    expect(channel.last?.message.text).toBe(L('en', 'common:cancel.paused_hint'));
    expect((await state())?.data.city).toBeUndefined();
    await text('/start');
    expect(channel.last?.message.text).toBe(L('en', 'registration:city.ask'));
    await text('helsinki');
    expect(await state()).toMatchObject({ step: 'profession', data: { firstName: 'Maria', city: 'Helsinki' } });
  });

  it('a button of an earlier question has expired and changes nothing', async () => {
    await text('/start');
    const consent = channel.last!.message;
    await press(L('en', 'registration:consent.accept'));
    const before = await state();
    if (consent.type !== 'choice') throw new Error('expected buttons');
    await send({ type: 'button', data: consent.rows[0]![0]!.data });
    expect(channel.sent.at(-2)?.message.text).toBe(L('en', 'common:button_expired'));
    expect((await state())?.step).toBe(before?.step);
  });

  it('after a typo the buttons of the same question, already on screen, still answer it', async () => {
    await text('/start');
    const consent = channel.last!.message;
    if (consent.type !== 'choice') throw new Error('expected buttons');
    await text('hmm?');
    expect(channel.sent.at(-2)?.message.text).toBe(L('en', 'common:use_buttons'));
    expect((await state())?.step).toBe('consent');
    await send({ type: 'button', data: consent.rows[0]![0]!.data });
    expect(channel.last?.message.text).toBe(L('en', 'registration:name.ask'));
    expect((await state())?.step).toBe('name');
  });

  it('/language switches in the middle and asks the same question in the new language', async () => {
    await text('/start');
    await press(L('en', 'registration:consent.accept'));
    await text('/language');
    await press('Українська');
    expect(channel.sent.at(-2)?.message.text).toBe(L('uk', 'common:language.changed'));
    expect(channel.last?.message.text).toBe(L('uk', 'registration:name.ask'));
    await text('Оксана');
    expect((await state())?.data.firstName).toBe('Оксана');
  });

  it('/back goes one question back', async () => {
    await text('/start');
    await press(L('en', 'registration:consent.accept'));
    await text('Maria');
    await text('/back');
    expect(channel.last?.message.text).toBe(L('en', 'registration:name.ask'));
    expect((await state())?.step).toBe('name');
  });

  it('a refusal of consent stores the refusal only', async () => {
    await text('/start');
    await press(L('en', 'registration:consent.decline'));
    const p = await new MongoParticipantRepository(m).findByIdentity(`test:${who}`);
    expect(p).toMatchObject({ status: 'declined', consent: { given: false, textVersion: 'v1' } });
    expect(p?.actor).toBeUndefined();
    expect(await state()).toBeUndefined();
  });

  it('a mentor link with a wrong code is refused; a right one starts mentor registration', async () => {
    await text('/start mentor-WRONG');
    expect(channel.last?.message.text).toBe(L('en', 'common:start.bad_mentor_code'));
    expect(await state()).toBeUndefined();
    await text('/start mentor-GOODCODE1');
    expect((await state())?.flow).toBe('mentor-registration');
    await press(L('en', 'registration:consent.accept'));
    await text('Liisa');
    await text('Software');
    await press(L('en', 'common:skip'));
    await text('Espoo');
    await press(L('en', 'common:spoken_language.fi'));
    await press(L('en', 'common:done'));
    await press('2');
    await press(L('en', 'registration:availability.options.weekends'));
    await press(L('en', 'common:done'));
    await press(L('en', 'registration:summary.confirm'));
    const p = await new MongoParticipantRepository(m).findByIdentity(`test:${who}`);
    expect(p).toMatchObject({
      role: 'mentor',
      status: 'waiting',
      mentor: {
        firstName: 'Liisa',
        field: 'Software',
        city: 'Espoo',
        capacity: 2,
        languages: ['fi'],
        availability: ['weekends'],
      },
    });
    expect(p?.mentor?.organisation).toBeUndefined();
  });

  it('/start role lets a person say she is a mentor and give the code', async () => {
    await text('/start role');
    await press(L('en', 'common:role.mentor'));
    await text('nope');
    expect(channel.sent.at(-2)?.message.text).toBe(L('en', 'common:role.code_invalid'));
    await text('goodcode1');
    expect(await state()).toMatchObject({ flow: 'mentor-registration', step: 'consent' });
  });

  it('a step that throws saves nothing and answers kindly', async () => {
    const broken: Flow = {
      ...allFlows.get('actor-registration')!,
      handle: () => {
        throw new Error('boom');
      },
    };
    engine = engineWith(new Map([...allFlows, ['actor-registration', broken]]));
    await text('/start');
    const before = await state();
    await press(L('en', 'registration:consent.accept'));
    expect(channel.last?.message.text).toBe(L('en', 'common:errors.generic'));
    expect(await state()).toEqual(before);
  });

  it('a conversation saved by another version of its flow is not resumed', async () => {
    await text('/start');
    const repo = new MongoConversationRepository(m);
    const saved = (await repo.load(`test:${who}`))!;
    await repo.save({ ...saved, flow: { ...saved.flow!, version: 99, step: 'gone' } });
    await text('/start');
    expect(channel.last?.message.text).not.toBe(L('en', 'common:errors.generic'));
    expect(await state()).toMatchObject({ flow: 'actor-registration', version: 1 });
  });

  it('the same event twice is applied once', async () => {
    await text('/start');
    await press(L('en', 'registration:consent.accept'));
    const event: InboundEvent = {
      id: 'test:dup-1',
      identity: `test:${who}`,
      conversationId: `test:${who}`,
      conversationKind: 'private',
      payload: { type: 'text', text: 'Maria' },
    };
    await engine.handle(event);
    const sent = channel.sent.length;
    await engine.handle({ ...event, payload: { type: 'text', text: 'Other' } });
    expect(channel.sent.length).toBe(sent);
    expect((await state())?.data.firstName).toBe('Maria');
  });

  it('an event just stored by the intake writes no claim; handled again after a crash, it keeps its time', async () => {
    await text('/start');
    await press(L('en', 'registration:consent.accept'));
    const stored = new Date(NOW.getTime() - 60_000);
    const event: InboundEvent = {
      id: 'test:fresh-1',
      identity: `test:${who}`,
      conversationId: `test:${who}`,
      conversationKind: 'private',
      payload: { type: 'text', text: 'Maria' },
      accepted: { at: stored.getTime(), first: true },
    };
    await engine.handle(event);
    const processed = m.ProcessedEvent.collection;
    expect(await processed.countDocuments({ _id: { $regex: '^test:fresh-1' } as never })).toBe(0);
    expect((await state())?.data.firstName).toBe('Maria');
    // Recovery hands it on again (its done mark was lost): claimed with the stored time, applied no second time.
    const sent = channel.sent.length;
    await engine.handle({
      ...event,
      payload: { type: 'text', text: 'Other' },
      accepted: { ...event.accepted!, first: false },
    });
    expect(channel.sent.length).toBe(sent);
    expect((await state())?.data.firstName).toBe('Maria');
    const claim = await processed.findOne({ _id: 'test:fresh-1#started' as never });
    expect(claim?.at).toEqual(stored);
  });

  it('/profile shows a registered actor her answers and saves an edit', async () => {
    await text('/start');
    await press(L('en', 'registration:consent.accept'));
    for (const answer of ['Maria', 'Oulu', 'Nurse']) await text(answer);
    await press(L('en', 'registration:education.options.bachelor'));
    await text('3');
    await press(L('en', 'registration:finnish.options.unknown'));
    await press(L('en', 'registration:goals.options.networking'));
    await press(L('en', 'common:done'));
    await text('Tigrinya');
    await press(L('en', 'common:done'));
    await press(L('en', 'registration:availability.options.weekends'));
    await press(L('en', 'common:done'));
    await press(L('en', 'registration:summary.confirm'));
    await text('/profile');
    expect(channel.last?.message.text).toContain('Oulu');
    await press(L('en', 'registration:summary.edit'));
    await press(L('en', 'registration:summary.field.city'));
    await text('Kuopio');
    await press(L('en', 'registration:summary.save'));
    const p = await new MongoParticipantRepository(m).findByIdentity(`test:${who}`);
    expect(p?.actor).toMatchObject({ city: 'Kuopio', languages: ['Tigrinya'], finnishLevel: 'unknown' });
    await text('/start');
    expect(channel.last?.message.text).toContain(L('en', 'common:status.actor.waiting'));
  });
});
