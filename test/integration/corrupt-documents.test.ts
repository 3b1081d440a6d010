import { type Connection, Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { MongoAlertRepository } from '../../adapters/mongo/alert.repository.ts';
import { MongoCheckInRepository } from '../../adapters/mongo/checkin.repository.ts';
import {
  MongoConversationRepository,
  MongoProcessedEventRepository,
} from '../../adapters/mongo/conversation.repository.ts';
import { MongoDocuments } from '../../adapters/mongo/documents.ts';
import { MongoHealthQueue, partitionOf } from '../../adapters/mongo/health.queue.ts';
import { hourOf } from '../../adapters/mongo/hour-cursor.ts';
import { MongoEventInbox } from '../../adapters/mongo/inbox.repository.ts';
import {
  MongoCohortRepository,
  MongoMeetingRepository,
  MongoTimelineRepository,
} from '../../adapters/mongo/meeting.repository.ts';
import type { Models } from '../../adapters/mongo/models.ts';
import { MongoActionRepository, MongoOutboxRepository } from '../../adapters/mongo/outbox.repository.ts';
import { MongoPairRepository } from '../../adapters/mongo/pair.repository.ts';
import { MongoParticipantRepository } from '../../adapters/mongo/participant.repository.ts';
import { CorruptDocumentError } from '../../src/core/errors.ts';
import type { InboundEvent } from '../../src/core/messages.ts';
import {
  AnonymousQuestion,
  Announcement,
  BindCode,
  CounsellingRequest,
  Occurrence,
  type OutboxMessage,
  type PendingAction,
  Preferences,
  type TimelineEvent,
} from '../../src/core/programme.ts';
import { testModels } from '../support/database.ts';
import { NOW } from '../support/flow-driver.ts';

const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

/**
 * One kind of store: a value written through its repository and read back, and a way to damage the
 * stored document. `collection` and `id` name the document as the error must name it.
 */
interface Store {
  name: string;
  /** Writes through the repository; returns the document's `_id` and what reading must give. */
  write(): Promise<{ id: string; expected: unknown }>;
  read(id: string): Promise<unknown>;
  collection(id: string): string;
  /** The `_id` as stored, when it is not the string id (participants have ObjectIds). */
  key?(id: string): unknown;
  /** A field given a value of the wrong type, and a required field removed (dotted paths). */
  wrongType: [string, unknown];
  missing: string;
}

describe('documents are parsed into domain types at the repository boundary', () => {
  let connection: Connection;
  let m: Models;
  beforeAll(async () => {
    ({ connection, m } = await testModels('corrupt_documents'));
  });
  afterAll(() => connection.close());

  const raw = (name: string) => m.Pair.db.collection(name);

  /** A plain record store, as src/app.ts makes them. */
  function recordStore<T extends { id: string }>(
    name: string,
    collection: string,
    schema: ZodType<T>,
    c: { value: T; wrongType: [string, unknown]; missing: string },
  ): Store {
    const store = () => new MongoDocuments(m.Pair.db, collection, schema);
    return {
      name,
      async write() {
        expect(await store().insert(c.value)).toBe(true);
        return { id: c.value.id, expected: c.value };
      },
      read: (id) => store().get(id),
      collection: () => collection,
      wrongType: c.wrongType,
      missing: c.missing,
    };
  }

  const stores: Store[] = [
    {
      name: 'pairs',
      async write() {
        const pair = await new MongoPairRepository(m).create({
          actorId: 'a1',
          mentorId: 'm1',
          state: 'active',
          proposedBy: 'o1',
          actorAccepted: true,
          mentorAccepted: true,
          history: [
            { state: 'proposed', by: 'o1', at: NOW },
            { state: 'accepted_by_actor', by: 'a1', at: at(1) },
          ],
          commitment: {
            aims: ['cv'],
            frequency: 'weekly',
            start: at(2),
            plannedEnd: at(90_000),
            draftedBy: 'a1',
            confirmedBy: 'm1',
            confirmedAt: at(3),
          },
          createdAt: NOW,
        });
        return { id: pair.id, expected: pair };
      },
      read: (id) => new MongoPairRepository(m).get(id),
      collection: () => 'pairs',
      wrongType: ['commitment.start', 'next monday'],
      missing: 'mentorId',
    },
    {
      name: 'meetings',
      async write() {
        const meeting = await new MongoMeetingRepository(m).create({
          kind: 'pair',
          pairId: 'p1',
          at: at(60),
          timeZone: 'Europe/Helsinki',
          place: 'Library',
          state: 'accepted',
          proposedBy: 'a1',
          version: 2,
          rsvps: { m1: 'coming' },
          attended: [],
          createdAt: NOW,
        });
        return { id: meeting.id, expected: meeting };
      },
      read: (id) => new MongoMeetingRepository(m).get(id),
      collection: () => 'meetings',
      wrongType: ['rsvps.m1', 'perhaps'],
      missing: 'at',
    },
    {
      name: 'cohorts',
      async write() {
        const cohort = await new MongoCohortRepository(m).create({
          name: 'Spring',
          pairIds: ['p1'],
          createdBy: 'o1',
          createdAt: NOW,
          spaces: { telegram: 'telegram:-1001' },
        });
        return { id: cohort.id, expected: cohort };
      },
      read: (id) => new MongoCohortRepository(m).get(id),
      collection: () => 'cohorts',
      wrongType: ['pairIds', 'p1'],
      missing: 'name',
    },
    {
      name: 'alerts',
      async write() {
        const alert = await new MongoAlertRepository(m).open({
          pairId: 'p1',
          signalKey: 'no_meeting',
          signal: { days: 21 },
          state: 'open',
          openedAt: NOW,
          lastNotifiedAt: NOW,
          actions: [{ what: 'nudged', by: 'o1', byName: 'Olga', at: at(5) }],
        });
        return { id: alert!.id, expected: alert };
      },
      read: (id) => new MongoAlertRepository(m).get(id),
      collection: () => 'alerts',
      wrongType: ['actions.0.at', 1234],
      missing: 'signalKey',
    },
    {
      name: 'check-ins',
      async write() {
        const checkin = {
          id: 'checkin:p1:1:a1',
          pairId: 'p1',
          round: 1,
          participantId: 'a1',
          state: 'answered' as const,
          sentAt: NOW,
          answeredAt: at(30),
          met: 'yes' as const,
          rating: 4,
          topics: ['cv'],
        };
        await new MongoCheckInRepository(m).create(checkin);
        return { id: checkin.id, expected: checkin };
      },
      read: (id) => new MongoCheckInRepository(m).get(id),
      collection: () => 'checkins',
      wrongType: ['met', 'sometimes'],
      missing: 'sentAt',
    },
    {
      name: 'the timeline',
      async write() {
        const event: TimelineEvent = { pairId: 'p-timeline', type: 'meeting_held', at: NOW, by: 'a1', data: { n: 1 } };
        await new MongoTimelineRepository(m).append(event);
        const stored = await raw('timeline').findOne({ pairId: 'p-timeline' });
        return { id: String(stored!._id), expected: [event] };
      },
      read: () => new MongoTimelineRepository(m).forPair('p-timeline'),
      collection: () => 'timeline',
      wrongType: ['type', 'party'],
      missing: 'at',
    },
    {
      name: 'the outbox',
      async write() {
        const message: OutboxMessage = {
          key: 'reminder:mt1:v1:24h:a1',
          recipientId: 'a1',
          due: at(120),
          text: [{ key: 'meeting.reminder', params: { when: { date: at(1440).toISOString(), timeZone: 'UTC' } } }],
          action: { id: 'act1', choices: [{ value: 'coming', label: { literal: 'Yes' } }] },
          guard: { meetingId: 'mt1', version: 1, until: at(1440) },
          category: 'essential',
        };
        const outbox = new MongoOutboxRepository(m);
        await outbox.enqueue(message, NOW);
        const [stored] = await outbox.findByKeyPrefix(message.key);
        const id = stored!.id;
        return { id, expected: { ...message, id, state: 'pending', attempts: 0, nextAttemptAt: message.due } };
      },
      read: (id) => new MongoOutboxRepository(m).get(id),
      collection: () => `outbox_${hourOf(at(120))}`,
      wrongType: ['text.0', 'Hello'],
      missing: 'category',
    },
    {
      name: 'pending actions',
      async write() {
        const action: PendingAction = {
          id: 'act-rsvp',
          participantId: 'a1',
          kind: 'rsvp',
          ref: { meetingId: 'mt1' },
          values: ['coming', 'not_coming'],
          expiresAt: at(1440),
          once: false,
        };
        await new MongoActionRepository(m).create(action);
        return { id: action.id, expected: action };
      },
      read: (id) => new MongoActionRepository(m).get(id),
      collection: () => 'actions',
      wrongType: ['once', 'no'],
      missing: 'expiresAt',
    },
    {
      name: 'the health queue',
      async write() {
        const event: TimelineEvent = { pairId: 'p-health', type: 'activated', at: NOW };
        await new MongoHealthQueue(m.Pair.db.db!, (events) => [...events]).noteEvent(event);
        return { id: 'p-health', expected: [{ pairId: 'p-health', version: 1, events: [event], hour: hourOf(NOW) }] };
      },
      read: () => new MongoHealthQueue(m.Pair.db.db!, (events) => [...events]).due(at(1), 10),
      collection: (id) => `health_${partitionOf(id)}`,
      wrongType: ['v', 'one'],
      missing: 'events',
    },
    {
      name: 'the inbox',
      async write() {
        const event: InboundEvent = {
          id: 'slack:EvCorrupt',
          identity: 'slack:T1:U1',
          conversationId: 'slack:T1:D1',
          conversationKind: 'private',
          payload: { type: 'text', text: 'hello' },
        };
        await new MongoEventInbox(m).accept(event, NOW, 'instance-a', at(1));
        return {
          id: event.id,
          expected: [{ event, acceptedAt: NOW, attempt: 0, claimedBy: 'instance-a', leaseUntil: at(1) }],
        };
      },
      read: () => new MongoEventInbox(m).pending(10),
      collection: () => 'inbox_open',
      wrongType: ['event.payload.type', 'shout'],
      missing: 'leaseUntil',
    },
    {
      name: 'participants',
      async write() {
        const participant = await new MongoParticipantRepository(m).save(
          {
            role: 'mentor',
            identities: ['telegram:77'],
            addresses: { telegram: '77' },
            locale: 'fi',
            timeZone: 'Europe/Helsinki',
            status: 'waiting',
            consent: { given: true, textVersion: 'v1', at: NOW },
            mentor: {
              firstName: 'Liisa',
              field: 'Nursing',
              city: 'Oulu',
              languages: ['fi'],
              capacity: 2,
              availability: ['evenings'],
            },
          },
          NOW,
        );
        return { id: participant.id, expected: participant };
      },
      read: (id) => new MongoParticipantRepository(m).findById(id),
      collection: () => 'participants',
      key: (id) => new Types.ObjectId(id),
      wrongType: ['consent.at', '2026-01-01'],
      missing: 'role',
    },
    {
      name: 'conversations',
      async write() {
        const state = { identity: 'telegram:78', locale: 'ar' as const, recentEventIds: ['e1'], revision: 0 };
        await new MongoConversationRepository(m).save(state);
        return { id: state.identity, expected: { ...state, revision: 1 } };
      },
      read: (id) => new MongoConversationRepository(m).load(id),
      collection: () => 'conversations',
      key: (id) => `${id}#0000000001`,
      wrongType: ['recentEventIds', 'e1'],
      missing: 'revision',
    },
    {
      name: 'processed events',
      async write() {
        await new MongoProcessedEventRepository(m).begin('telegram:update-9', NOW);
        return { id: 'telegram:update-9#started', expected: { at: NOW, done: false } };
      },
      read: () => new MongoProcessedEventRepository(m).begin('telegram:update-9', at(5)),
      collection: () => 'processed_events',
      wrongType: ['at', 'just now'],
      missing: 'at',
    },
    recordStore('bind codes', 'bind_codes', BindCode, {
      value: { id: 'code-123456', cohortId: 'c1', createdBy: 'o1', expiresAt: at(60) },
      wrongType: ['expiresAt', 'soon'],
      missing: 'cohortId',
    }),
    recordStore('bind code uses', 'bind_code_uses', Occurrence, {
      value: { id: 'code-123456', at: NOW },
      wrongType: ['at', 17],
      missing: 'at',
    }),
    recordStore('anonymous questions', 'anonymous_questions', AnonymousQuestion, {
      value: { id: 'q1', cohortId: 'c1', askerId: 'a1', text: 'How?', state: 'pending', createdAt: NOW },
      wrongType: ['state', 'maybe'],
      missing: 'askerId',
    }),
    recordStore('counselling requests', 'counselling_requests', CounsellingRequest, {
      value: {
        id: 'r1',
        participantId: 'a1',
        topic: 'studies',
        urgency: 'this_week',
        state: 'taken',
        takenBy: 'o1',
        createdAt: NOW,
      },
      wrongType: ['urgency', 'yesterday'],
      missing: 'topic',
    }),
    recordStore('announcements', 'announcements', Announcement, {
      value: {
        id: 'an1',
        segment: { kind: 'city', value: 'Oulu' },
        texts: { fi: 'Hei', ar: 'مرحبا' },
        createdBy: 'o1',
        createdAt: NOW,
        messageIds: ['m1', 'm2'],
        reportedAt: at(60),
      },
      wrongType: ['messageIds.1', 2],
      missing: 'segment',
    }),
    recordStore('preferences', 'preferences', Preferences, {
      value: { id: 'a1', announcements: false },
      wrongType: ['announcements', 'off'],
      missing: 'announcements',
    }),
  ];

  const keyOf = (store: Store, id: string) => ({ _id: store.key ? store.key(id) : id }) as Record<string, unknown>;

  /** Sets (or, with `undefined`, removes) a dotted path in the stored document. */
  async function damage(store: Store, id: string, path: string, value: unknown): Promise<void> {
    const update = value === undefined ? { $unset: { [path]: '' } } : { $set: { [path]: value } };
    const result = await raw(store.collection(id)).updateOne(keyOf(store, id), update);
    expect(result.modifiedCount).toBe(1);
  }

  async function expectCorrupt(store: Store, id: string, path: string): Promise<void> {
    const error = await store.read(id).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(CorruptDocumentError);
    const corrupt = error as CorruptDocumentError;
    expect(corrupt.code).toBe('corrupt_document');
    expect(corrupt.collection).toBe(store.collection(id));
    // Named by its `_id` as stored (a conversation's names its revision too).
    const stored = String(keyOf(store, id)._id);
    expect(corrupt.id).toBe(stored);
    expect(corrupt.message.startsWith(`${store.collection(id)} ${stored}: `)).toBe(true);
    expect(corrupt.message).toContain(path);
  }

  const title = '%s: a valid document round-trips exactly; a wrong type or a missing field is named';
  it.each(stores.map((s) => [s.name, s] as const))(title, async (_, store) => {
    const { id, expected } = await store.write();
    // Exactly: the same fields (none added, none lost), and dates come back as Dates.
    expect(await store.read(id)).toStrictEqual(expected);
    const stored = await raw(store.collection(id)).findOne(keyOf(store, id));
    expect(stored).not.toBeNull();

    await damage(store, id, store.wrongType[0], store.wrongType[1]);
    await expectCorrupt(store, id, store.wrongType[0]);

    await raw(store.collection(id)).replaceOne(keyOf(store, id), stored!);
    await damage(store, id, store.missing, undefined);
    await expectCorrupt(store, id, store.missing);
  });
});
