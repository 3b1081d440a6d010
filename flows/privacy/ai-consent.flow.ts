import type { Effect, FlowContext } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { invoke } from '../../src/core/operation.ts';
import { answerAiConsent } from '../../src/core/operations.ts';
import { defineForm, finishing } from '../form/form.flow.ts';
import { choiceQuestion } from '../form/questions.ts';

const ns = 'privacy';

/**
 * The optional AI consent, separate from the programme's: what is sent, to whom, and that saying no
 * changes nothing else. Asked once after registration and again whenever she opens /privacy.
 */
export const aiConsentFlow = defineForm({
  name: 'ai-consent',
  version: 1,
  pausable: false,
  order: ['ask'],
  steps: {
    ask: finishing(
      choiceQuestion({
        field: 'answer',
        ask: [t(`${ns}:ai.notice`), t(`${ns}:ai.ask`)],
        choices: [
          { value: 'yes', label: t(`${ns}:ai.yes`) },
          { value: 'no', label: t(`${ns}:ai.no`) },
        ],
      }),
      (d) => [invoke(answerAiConsent, { answer: String(d.answer) })],
    ),
  },
  begin: () => ({ step: 'ask', data: {} }),
});

/** After a first registration, when a model is configured: the AI question follows at once. */
export function askAiConsent(ctx: FlowContext, editing: boolean): Effect[] {
  if (editing || !ctx.settings.aiAvailable || ctx.participant?.aiConsent) return [];
  return [{ type: 'begin', flow: aiConsentFlow.name }];
}
