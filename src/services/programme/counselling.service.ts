import type { CounsellingStep } from '../../core/operations.ts';
import type { CounsellingHandled, OpenCounselling } from '../../core/support.operations.ts';
import { counsellingAlert, counsellingChoices } from '../../core/support.texts.ts';
import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import type { ParticipantRepository, RecordStore } from '../../core/ports.ts';
import { COUNSELLING_TOPICS, type CounsellingRequest, OFFICERS, URGENCY } from '../../core/programme.ts';
import { nameOf } from './labels.ts';
import type { Notifier, Staff } from './notifier.ts';

const DAY = 86_400_000;

export interface CounsellingDeps {
  requests: RecordStore<CounsellingRequest>;
  participants: ParticipantRepository;
  notifier: Notifier;
  staff: Staff;
}

const isTopic = (v: string): v is CounsellingRequest['topic'] => (COUNSELLING_TOPICS as readonly string[]).includes(v);
const isUrgency = (v: string): v is CounsellingRequest['urgency'] => (URGENCY as readonly string[]).includes(v);

/** "A problem with my pairing" only for someone who has a pair. */
const topicsFor = (me: Participant): CounsellingRequest['topic'][] =>
  COUNSELLING_TOPICS.filter((topic) => topic !== 'pairing' || me.status === 'paired');

/**
 * /counselling: topic, urgency, an optional message; it reaches the officers only (never a partner,
 * never a pair's timeline), one of them takes it, and the requester hears who.
 */
export class CounsellingService {
  constructor(private readonly d: CounsellingDeps) {}

  /** The topics she may pick: "A problem with my pairing" only with a pair. */
  begin(me: Participant): CounsellingStep {
    return { outcome: 'ask_topic', topics: topicsFor(me) };
  }

  async topic(topic: string, me: Participant): Promise<CounsellingStep> {
    if (!isTopic(topic) || !topicsFor(me).includes(topic)) return this.begin(me);
    return { outcome: 'ask_urgency', topic };
  }

  async urgency(topic: string, urgency: string, me: Participant): Promise<CounsellingStep> {
    if (!isTopic(topic) || !isUrgency(urgency)) return this.begin(me);
    return { outcome: 'ask_message', topic, urgency };
  }

  async request(
    args: { topic: string; urgency: string; message?: string },
    me: Participant,
    now: Date,
  ): Promise<CounsellingStep> {
    if (!isTopic(args.topic) || !isUrgency(args.urgency)) return this.begin(me);
    const request = await this.d.requests.create({
      participantId: me.id,
      topic: args.topic,
      urgency: args.urgency,
      ...(args.message?.trim() ? { message: args.message.trim() } : {}),
      state: 'open',
      createdAt: now,
    });
    for (const recipientId of await this.d.staff.recipients()) {
      await this.d.notifier.send(
        {
          key: `counselling:${request.id}:${recipientId}`,
          recipientId,
          due: now,
          text: counsellingAlert(request, me),
          buttons: {
            kind: 'counselling',
            ref: { requestId: request.id },
            owner: OFFICERS,
            choices: counsellingChoices('open'),
            once: false,
            expiresAt: new Date(now.getTime() + 365 * DAY),
            columns: 2,
          },
        },
        now,
      );
    }
    return { outcome: 'sent', request };
  }

  /** "I'll take it" or "Resolve", by an officer; the requester hears who took it. */
  async act(requestId: string, value: string, officer: Participant, now: Date): Promise<CounsellingHandled> {
    const request = await this.d.requests.get(requestId);
    if (!request) return { outcome: 'not_found' };
    if (request.state === 'resolved') return { outcome: 'already_resolved' };
    let updated: CounsellingRequest;
    if (value === 'take') {
      if (request.state === 'taken') return { outcome: 'already_taken', request };
      updated = { ...request, state: 'taken', takenBy: officer.id, takenByName: nameOf(officer) };
      await this.d.notifier.send(
        {
          key: `counselling:${request.id}:taken`,
          recipientId: request.participantId,
          due: now,
          text: [t('counselling:taken', { name: nameOf(officer) })],
        },
        now,
      );
    } else if (value === 'resolve') {
      updated = { ...request, state: 'resolved', resolvedAt: now };
    } else {
      return { outcome: 'not_found' };
    }
    await this.d.requests.save(updated);
    const requester = await this.d.participants.findById(request.participantId);
    return { outcome: value === 'take' ? 'taken' : 'resolved', request: updated, requester, by: officer, at: now };
  }

  /** /requests: what is still open or taken, oldest first. */
  async list(): Promise<OpenCounselling> {
    const open = [
      ...(await this.d.requests.find({ state: 'open' })),
      ...(await this.d.requests.find({ state: 'taken' })),
    ].sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime());
    const people = await this.d.participants.findByIds(open.map((r) => r.participantId));
    return { requests: open.map((request) => ({ request, requester: people.get(request.participantId) ?? null })) };
  }
}
