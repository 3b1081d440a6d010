import { type Connection, Schema } from 'mongoose';
import { programmeModels } from './programme.models.ts';

/** Data kept about a person: only what the programme needs (no origin, religion or residence status). */
const participantSchema = new Schema(
  {
    role: { type: String, required: true, enum: ['actor', 'mentor', 'officer'] },
    identities: { type: [String], required: true },
    addresses: { type: Schema.Types.Mixed, default: {} },
    locale: { type: String, required: true },
    timeZone: { type: String, required: true },
    status: { type: String, required: true },
    consent: {
      given: { type: Boolean, required: true },
      textVersion: { type: String, required: true },
      at: { type: Date, required: true },
    },
    aiConsent: { type: Schema.Types.Mixed },
    actor: { type: Schema.Types.Mixed },
    mentor: { type: Schema.Types.Mixed },
  },
  { timestamps: true, minimize: false },
);
participantSchema.index({ identities: 1 });
participantSchema.index({ role: 1, status: 1, createdAt: 1 });

/**
 * One document per channel identity, `_id` = identity. Inserting it is what makes an identity
 * belong to one participant: unique indexes on array fields are not enforced by FerretDB.
 */
const identitySchema = new Schema(
  { _id: { type: String, required: true }, participantId: { type: String, required: true } },
  { versionKey: false },
);

const conversationSchema = new Schema(
  {
    _id: { type: String, required: true },
    locale: { type: String },
    identity: { type: String },
    flow: { type: Schema.Types.Mixed },
    // A JSON list as one string (see conversation.repository.ts); a list in older documents.
    recentEventIds: { type: Schema.Types.Mixed },
    revision: { type: Number, required: true },
  },
  { timestamps: { createdAt: false, updatedAt: true }, versionKey: false, minimize: false },
);
/** Her revisions: `_id` = `<identity>#<revision>`; see conversation.repository.ts. */
conversationSchema.index({ identity: 1 });

const processedEventSchema = new Schema(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);
processedEventSchema.index({ at: 1 });

/** The id of every inbound event stored (`_id` = event id), kept a day; see inbox.repository.ts. */
const inboxSchema = new Schema(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);
inboxSchema.index({ at: 1 });
/** Inbound events stored and not handled yet (`_id` = event id). */
const inboxOpenSchema = new Schema(
  {
    _id: { type: String, required: true },
    event: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
    attempt: { type: Number, required: true },
    claimedBy: { type: String, required: true },
    leaseUntil: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
inboxOpenSchema.index({ at: 1 });
/** `_id` = `<event id>:<attempt>`: inserting it is what wins an attempt at handling a pending event. */
const inboxClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    claimedBy: { type: String, required: true },
    leaseUntil: { type: Date, required: true },
  },
  { versionKey: false },
);
inboxClaimSchema.index({ leaseUntil: 1 });

export function models(connection: Connection) {
  return {
    ...programmeModels(connection),
    Participant: connection.model('Participant', participantSchema, 'participants'),
    Identity: connection.model('Identity', identitySchema, 'identities'),
    Conversation: connection.model('Conversation', conversationSchema, 'conversations'),
    ProcessedEvent: connection.model('ProcessedEvent', processedEventSchema, 'processed_events'),
    Inbox: connection.model('Inbox', inboxSchema, 'inbox'),
    InboxOpen: connection.model('InboxOpen', inboxOpenSchema, 'inbox_open'),
    InboxClaim: connection.model('InboxClaim', inboxClaimSchema, 'inbox_claims'),
  };
}
export type Models = ReturnType<typeof models>;

export async function ensureIndexes(m: Models): Promise<void> {
  for (const model of Object.values(m)) await model.createIndexes();
}
