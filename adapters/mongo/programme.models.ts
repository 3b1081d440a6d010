import { type Connection, Schema } from 'mongoose';

const mixed = Schema.Types.Mixed;
const opts = { versionKey: false, minimize: false } as const;

const pair = new Schema(
  {
    _id: { type: String, required: true },
    actorId: { type: String, required: true },
    mentorId: { type: String, required: true },
    state: { type: String, required: true },
    proposedBy: { type: String, required: true },
    actorAccepted: { type: Boolean, default: false },
    mentorAccepted: { type: Boolean, default: false },
    endedReason: String,
    endedAt: Date,
    endReason: String,
    history: { type: [mixed], default: [] },
    commitment: mixed,
    commitmentDraft: mixed,
    cohortId: String,
    createdAt: { type: Date, required: true },
  },
  opts,
);
pair.index({ actorId: 1, state: 1 });
pair.index({ mentorId: 1, state: 1 });
pair.index({ state: 1, createdAt: 1 });

/** `_id` = mentorId:place. Inserting one is taking a place; the unique _id keeps her within capacity. */
const mentorPlace = new Schema(
  {
    _id: { type: String, required: true },
    mentorId: { type: String, required: true },
    pairId: { type: String, required: true },
  },
  opts,
);
mentorPlace.index({ pairId: 1 });
mentorPlace.index({ mentorId: 1 });

const meeting = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    pairId: String,
    cohortId: String,
    number: Number,
    at: { type: Date, required: true },
    timeZone: { type: String, required: true },
    place: String,
    state: { type: String, required: true },
    proposedBy: { type: String, required: true },
    version: { type: Number, required: true },
    rsvps: { type: mixed, default: {} },
    attended: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
  },
  opts,
);
meeting.index({ pairId: 1, at: 1 });
meeting.index({ cohortId: 1, at: 1 });

const cohort = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    pairIds: [String],
    createdBy: String,
    createdAt: Date,
  },
  opts,
);

const timeline = new Schema(
  {
    pairId: { type: String, required: true },
    type: { type: String, required: true },
    at: { type: Date, required: true },
    by: String,
    data: mixed,
  },
  opts,
);
timeline.index({ pairId: 1, at: 1 });

/**
 * The outbox is split by the hour its messages fall due (see outbox.repository.ts); this collection
 * holds one document per idempotency key, pointing at the message.
 */
const outboxKey = new Schema(
  {
    _id: { type: String, required: true },
    messageId: { type: String, required: true },
    recipientId: { type: String, required: true },
  },
  opts,
);
outboxKey.index({ recipientId: 1 });

const checkin = new Schema(
  {
    _id: { type: String, required: true },
    pairId: { type: String, required: true },
    round: { type: Number, required: true },
    participantId: { type: String, required: true },
    state: { type: String, required: true },
    sentAt: { type: Date, required: true },
    answeredAt: Date,
    met: String,
    rating: Number,
    topics: [String],
    note: String,
    privateNote: String,
  },
  opts,
);
checkin.index({ state: 1, sentAt: 1 });
checkin.index({ pairId: 1, round: 1 });

const alert = new Schema(
  {
    _id: { type: String, required: true },
    pairId: { type: String, required: true },
    signalKey: { type: String, required: true },
    signal: mixed,
    state: { type: String, required: true },
    openedAt: Date,
    lastNotifiedAt: Date,
    snoozedUntil: Date,
    actions: { type: [mixed], default: [] },
  },
  opts,
);
alert.index({ state: 1 });
/** `_id` = `<pairId>:<signalKey>` while an alert is open: the insert that makes "one open alert" hold. */
const openAlert = new Schema(
  { _id: { type: String, required: true }, alertId: { type: String, required: true } },
  opts,
);

const action = new Schema(
  {
    _id: { type: String, required: true },
    participantId: { type: String, required: true },
    kind: { type: String, required: true },
    ref: mixed,
    values: [String],
    expiresAt: Date,
    once: Boolean,
  },
  opts,
);
const actionUse = new Schema({ _id: { type: String, required: true }, at: Date }, opts);

export function programmeModels(connection: Connection) {
  return {
    Pair: connection.model('Pair', pair, 'pairs'),
    MentorPlace: connection.model('MentorPlace', mentorPlace, 'mentor_places'),
    Meeting: connection.model('Meeting', meeting, 'meetings'),
    Cohort: connection.model('Cohort', cohort, 'cohorts'),
    Timeline: connection.model('TimelineEvent', timeline, 'timeline'),
    OutboxKey: connection.model('OutboxKey', outboxKey, 'outbox_keys'),
    CheckIn: connection.model('CheckIn', checkin, 'checkins'),
    Alert: connection.model('Alert', alert, 'alerts'),
    OpenAlert: connection.model('OpenAlert', openAlert, 'open_alerts'),
    Action: connection.model('Action', action, 'actions'),
    ActionUse: connection.model('ActionUse', actionUse, 'action_uses'),
  };
}
export type ProgrammeModels = ReturnType<typeof programmeModels>;
