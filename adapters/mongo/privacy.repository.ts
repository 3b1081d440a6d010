import { escapeRegExp } from '../../src/core/text.ts';
import { type mongo, Types } from 'mongoose';
import { type Participant, SPOKEN_LANGUAGES } from '../../src/core/model.ts';
import { erasedIdentity, type Markers, markerPattern, type PersonalDataStore, redact } from '../../src/core/privacy.ts';
import { guard } from './connection.ts';
import type {
  ConversationContent,
  ConversationFields,
  MongoConversationRepository,
} from './conversation.repository.ts';

type Doc = Record<string, unknown> & { _id?: unknown };
const OUTBOX = /^outbox_\d/;
const CONVERSATIONS = 'conversations';
/** Collections that hold messages and notes about people, where another's name is never a profile field. */
const holdsNames = (collection: string, doc: Doc) => {
  if (OUTBOX.test(collection) || collection === 'alerts') return true;
  // Someone registering writes her own answers, which may equal another's name or profession.
  return collection === 'conversations' && !/registration/.test(String((doc.flow as Doc | null)?.flow ?? ''));
};
const ownLanguages = (codes: readonly string[]) => {
  const known = codes.filter((c) => (SPOKEN_LANGUAGES as readonly string[]).includes(c));
  return known.length ? known : ['other'];
};

/**
 * Personal data across collections, for exports, erasure and retention. These read whole collections
 * (FerretDB scans for any filter on a field other than `_id`): they run on a request or once a day, never per event.
 */
export class MongoPersonalDataStore implements PersonalDataStore {
  /** `conversations`: the instance's own, so that what it remembers of anyone erased is forgotten too. */
  constructor(
    private readonly db: mongo.Db,
    private readonly conversations: MongoConversationRepository,
  ) {}

  private collection(name: string): mongo.Collection<Doc> {
    return this.db.collection<Doc>(name);
  }

  private async names(): Promise<string[]> {
    const infos = await this.db.listCollections({}, { nameOnly: true }).toArray();
    return infos.map((c) => c.name).filter((n) => !n.startsWith('system.'));
  }

  findBy(collection: string, field: string, value: string): Promise<Doc[]> {
    return guard(() =>
      this.collection(collection)
        .find({ [field]: value })
        .toArray(),
    );
  }

  update(collection: string, id: unknown, set: Record<string, unknown>, unset: string[] = []): Promise<void> {
    return guard(async () => {
      const change: mongo.UpdateFilter<Doc> = {};
      if (Object.keys(set).length) change.$set = set;
      if (unset.length) change.$unset = Object.fromEntries(unset.map((f) => [f, '']));
      if (Object.keys(change).length)
        await this.collection(collection).updateOne({ _id: id } as mongo.Filter<Doc>, change);
    });
  }

  eraseConversation(identity: string): Promise<number> {
    return this.conversations.erase(identity);
  }

  deleteBy(collection: string, field: string, value: string): Promise<number> {
    return guard(async () => (await this.collection(collection).deleteMany({ [field]: value })).deletedCount);
  }

  pendingFor(recipientId: string): Promise<Doc[]> {
    return guard(async () => {
      const found: Doc[] = [];
      for (const name of (await this.names()).filter((n) => OUTBOX.test(n))) {
        found.push(...(await this.collection(name).find({ recipientId, state: 'pending' }).toArray()));
      }
      return found.sort((a, b) => +(a.due as Date) - +(b.due as Date));
    });
  }

  dropMessagesTo(recipientId: string): Promise<number> {
    return guard(async () => {
      let n = 0;
      for (const name of (await this.names()).filter((c) => OUTBOX.test(c))) {
        n += (await this.collection(name).deleteMany({ recipientId })).deletedCount;
      }
      await this.collection('outbox_keys').deleteMany({ recipientId });
      const entries = this.db.collection<{ _id: string }>('outbox_recipients');
      await entries.deleteMany({ _id: { $regex: `^${escapeRegExp(`${recipientId}:`)}` } });
      return n;
    });
  }

  scrub(markers: Markers, skip: readonly string[]): Promise<number> {
    return guard(async () => {
      const texts = markerPattern(markers, false);
      const all = markerPattern(markers, true);
      if (!texts || !all) return 0;
      let changed = 0;
      for (const name of await this.names()) {
        if (skip.includes(name)) continue;
        if (name === CONVERSATIONS) {
          changed += await this.scrubConversations(markers, texts, all);
          continue;
        }
        const collection = this.collection(name);
        for (const doc of await collection.find({}).toArray()) {
          const { _id, ...rest } = doc;
          const pattern = holdsNames(name, doc) ? all : texts;
          pattern.lastIndex = 0;
          if (typeof _id === 'string' && pattern.test(_id)) {
            await collection.deleteOne({ _id } as mongo.Filter<Doc>);
            changed++;
            continue;
          }
          const result = redact(rest, pattern);
          if (!result.changed) continue;
          await collection.replaceOne({ _id } as mongo.Filter<Doc>, result.value as Doc);
          changed++;
        }
      }
      return changed;
    });
  }

  /**
   * Conversations go through their repository: a redaction or an erasure there also refuses a save from a copy
   * of what they held (another instance's, say). Those of an erased person's identities are erased whole; in
   * the others only what the flow holds is redacted (her identity, revision and event ids are not words).
   */
  private async scrubConversations(markers: Markers, texts: RegExp, all: RegExp): Promise<number> {
    const redacted = (doc: ConversationFields) => {
      if (doc.erased || !doc.flow) return null;
      const pattern = holdsNames(CONVERSATIONS, doc as unknown as Doc) ? all : texts;
      pattern.lastIndex = 0;
      const result = redact(doc.flow, pattern);
      const { _id, updatedAt, ...content } = doc;
      return result.changed ? { ...content, flow: result.value as ConversationContent['flow'] } : null;
    };
    const docs = (await this.collection(CONVERSATIONS).find({}).toArray()) as unknown as ConversationFields[];
    // The layout before revisions has no `identity`: its `_id` is hers.
    const whose = (doc: ConversationFields) => doc.identity ?? doc._id;
    const identities = new Set(markers.texts);
    const hers = new Set<string>();
    const touched = new Set<string>();
    for (const doc of docs) {
      if (identities.has(whose(doc))) {
        if (!doc.erased) hers.add(whose(doc));
      } else if (redacted(doc)) touched.add(whose(doc));
    }
    let changed = 0;
    for (const identity of hers) changed += await this.conversations.erase(identity);
    for (const identity of touched) if (await this.conversations.redact(identity, redacted)) changed++;
    return changed;
  }

  anonymise(p: Participant, now: Date): Promise<void> {
    return guard(async () => {
      const actor = p.actor && {
        ...p.actor,
        firstName: '',
        profession: '',
        languages: ownLanguages(p.actor.languages),
      };
      const { organisation: _, ...mentorRest } = p.mentor ?? { organisation: undefined };
      const kept = mentorRest as NonNullable<Participant['mentor']>;
      const mentor = p.mentor && { ...kept, firstName: '', field: '', languages: ownLanguages(p.mentor.languages) };
      const doc = {
        role: p.role,
        identities: [erasedIdentity(p.id)],
        addresses: {},
        locale: p.locale,
        timeZone: p.timeZone,
        status: 'left',
        consent: { given: false, textVersion: p.consent.textVersion, at: now },
        ...(actor ? { actor } : {}),
        ...(mentor ? { mentor } : {}),
        createdAt: p.createdAt,
        updatedAt: now,
      };
      await this.collection('participants').replaceOne({ _id: new Types.ObjectId(p.id) } as mongo.Filter<Doc>, doc);
    });
  }

  setConsent(participantId: string, consent: Participant['consent'], now: Date): Promise<void> {
    return guard(async () => {
      const filter = { _id: new Types.ObjectId(participantId) } as mongo.Filter<Doc>;
      await this.collection('participants').updateOne(filter, { $set: { consent, updatedAt: now } });
    });
  }
}
