import { z } from 'zod';
import { literal, t } from '../../src/core/flow.ts';
import { invoke } from '../../src/core/operation.ts';
import { answerCheckin } from '../../src/core/operations.ts';
import { MEETING_TOPICS } from '../../src/core/meetings.operations.ts';
import { strings } from '../form/values.ts';
import { defineForm, finishing } from '../form/form.flow.ts';
import { choiceQuestion, multiQuestion, textQuestion } from '../form/questions.ts';

const ns = 'checkins';
const note = (field: string, key: string) =>
  textQuestion({
    field,
    ask: t(`${ns}:${key}`),
    schema: z.string().trim().min(1).max(1000),
    invalid: t('common:text_invalid', { count: 1000 }),
    skippable: true,
  });

/** After "did you meet?": how it goes (1-5), what they worked on, a note, a private note for officers. */
export const checkinFlow = defineForm({
  name: 'checkin',
  version: 1,
  pausable: true,
  order: ['rating', 'topics', 'note', 'private'],
  steps: {
    rating: choiceQuestion({
      field: 'rating',
      ask: t(`${ns}:rating_ask`),
      choices: ['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: literal(v) })),
      columns: 5,
      parse: Number,
    }),
    topics: multiQuestion({
      field: 'topics',
      ask: t(`${ns}:topics_ask`),
      choices: MEETING_TOPICS.map((v) => ({ value: v, label: t(`meetings:topics.${v}`) })),
      min: 0,
      tooFew: t(`${ns}:topics_ask`),
    }),
    note: note('note', 'note_ask'),
    private: finishing(note('privateNote', 'private_ask'), (d) => [
      invoke(answerCheckin, {
        checkinId: String(d.checkinId),
        met: String(d.met),
        rating: Number(d.rating),
        topics: strings(d.topics),
        ...(d.note ? { note: String(d.note) } : {}),
        ...(d.privateNote ? { privateNote: String(d.privateNote) } : {}),
      }),
    ]),
  },
  begin: (_ctx, args) => ({ step: 'rating', data: { checkinId: args.checkinId, met: args.met } }),
});
