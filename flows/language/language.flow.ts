import type { Flow, StepOutcome } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { FlowState } from '../../src/core/model.ts';
import { answerTyped } from '../form/form.flow.ts';
import { languageStep } from '../registration/registration.steps.ts';

/**
 * /language: asks the language, then gives back the conversation that was interrupted
 * (kept in `data.resume`) at the same question, now in the new language.
 */
export const languageFlow: Flow = {
  name: 'language',
  version: 1,
  pausable: false,
  begin(_ctx, args): StepOutcome {
    const resume = FlowState.safeParse(args.resume);
    return {
      state: {
        flow: 'language',
        version: 1,
        step: 'pick',
        data: resume.success ? { resume: resume.data } : {},
        history: [],
        promptId: '',
        paused: false,
      },
      effects: [{ type: 'ask' }],
    };
  },
  handle(state, input, ctx): StepOutcome {
    if (input.type === 'unsupported')
      return { state, effects: [{ type: 'say', text: [t('common:unsupported')] }, { type: 'ask' }] };
    const answer = answerTyped(languageStep, input, {}, ctx);
    if (answer.kind === 'invalid') return { state, effects: [{ type: 'say', text: [answer.error] }, { type: 'ask' }] };
    if (answer.kind !== 'next') return { state, effects: [] };
    const resume = resumeOf(state);
    return {
      state: resume,
      effects: [
        ...(answer.effects ?? []),
        { type: 'say', text: [t('common:language.changed')] },
        ...(resume ? [{ type: 'ask' as const }] : []),
      ],
    };
  },
  back(state): StepOutcome {
    const resume = resumeOf(state);
    return {
      state: resume,
      effects: resume ? [{ type: 'ask' }] : [{ type: 'say', text: [t('common:cancel.discarded')] }],
    };
  },
  // She chose a language before, so the question is in that one; the buttons name each in itself.
  prompt: (_state, ctx) => ({ ...languageStep.prompt({}, ctx), text: [t('registration:language.ask')] }),
};

function resumeOf(state: FlowState): FlowState | null {
  const parsed = FlowState.safeParse(state.data.resume);
  return parsed.success ? parsed.data : null;
}
