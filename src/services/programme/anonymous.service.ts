import type { AnonymousAsked } from '../../core/operations.ts';
import type { AnonymousDecided, AnonymousStart } from '../../core/support.operations.ts';
import { moderationText } from '../../core/support.texts.ts';
import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import type { RecordStore } from '../../core/ports.ts';
import { type AnonymousQuestion, type Cohort, OFFICERS } from '../../core/programme.ts';
import type { Notifier, Staff } from './notifier.ts';
import type { SpacesService } from './spaces.service.ts';

const DAY = 86_400_000;

export interface AnonymousDeps {
  questions: RecordStore<AnonymousQuestion>;
  spaces: SpacesService;
  notifier: Notifier;
  staff: Staff;
  /** Officers approve each question before it is posted. */
  moderate: boolean;
}

/**
 * /ask: an actor's question to her cohort without her name. Only the question's id travels with
 * the group message and the officers' review; the asker is stored on the question alone.
 */
export class AnonymousService {
  constructor(private readonly d: AnonymousDeps) {}

  async begin(me: Participant): Promise<AnonymousStart> {
    const cohort = await this.d.spaces.cohortOf(me.id);
    if (!cohort) return { outcome: 'no_cohort' };
    if (!Object.values(cohort.spaces ?? {}).some(Boolean)) return { outcome: 'no_space' };
    return { outcome: 'ask', cohort };
  }

  async submit(text: string, me: Participant, now: Date): Promise<AnonymousAsked> {
    const cohort = await this.d.spaces.cohortOf(me.id);
    if (!cohort) return { outcome: 'no_cohort' };
    const question = await this.d.questions.create({
      cohortId: cohort.id,
      askerId: me.id,
      text,
      state: 'pending',
      createdAt: now,
    });
    if (!this.d.moderate) {
      await this.post(question, cohort, now);
      return { outcome: 'posted', question };
    }
    for (const recipientId of await this.d.staff.recipients()) {
      await this.d.notifier.send(
        {
          key: `anonymous:${question.id}:review:${recipientId}`,
          recipientId,
          due: now,
          text: [moderationText(cohort.name, text)],
          buttons: {
            kind: 'anonymous',
            ref: { questionId: question.id },
            owner: OFFICERS,
            choices: [
              { value: 'approve', label: t('peer:approve') },
              { value: 'reject', label: t('peer:reject') },
            ],
            once: false,
            expiresAt: new Date(now.getTime() + 30 * DAY),
            columns: 2,
          },
        },
        now,
      );
    }
    return { outcome: 'in_review', question };
  }

  /** An officer's decision: approved, it is posted; rejected, the asker hears it. */
  async decide(questionId: string, value: string, officer: Participant, now: Date): Promise<AnonymousDecided> {
    const question = await this.d.questions.get(questionId);
    const cohort = question && (await this.d.spaces.cohort(question.cohortId));
    if (!question || !cohort || (value !== 'approve' && value !== 'reject')) return { outcome: 'not_found' };
    if (question.state !== 'pending') return { outcome: 'already_decided' };
    const approved = value === 'approve';
    const decided: AnonymousQuestion = { ...question, state: approved ? 'posted' : 'rejected', decidedBy: officer.id };
    await this.d.questions.save(decided);
    if (approved) await this.post(question, cohort, now);
    else
      await this.d.notifier.send(
        {
          key: `anonymous:${question.id}:rejected`,
          recipientId: question.askerId,
          due: now,
          text: [t('peer:ask_rejected')],
        },
        now,
      );
    return { outcome: approved ? 'approved' : 'rejected', question: decided, cohort, by: officer, at: now };
  }

  private async post(question: AnonymousQuestion, cohort: Cohort, now: Date): Promise<void> {
    const locales = await this.d.spaces.localesOf(cohort);
    for (const space of Object.values(cohort.spaces ?? {})) {
      if (!space) continue;
      await this.d.notifier.send(
        {
          key: `anonymous:${question.id}:post:${space}`,
          recipientId: `conv:${space}`,
          due: now,
          text: [t('peer:anonymous_title'), { literal: question.text }],
          locales,
        },
        now,
      );
    }
    await this.d.notifier.send(
      { key: `anonymous:${question.id}:posted`, recipientId: question.askerId, due: now, text: [t('peer:ask_posted')] },
      now,
    );
  }
}
