import { t } from '../../src/core/flow.ts';
import { defineForm } from '../form/form.flow.ts';
import { choiceQuestion } from '../form/questions.ts';
import { normalise } from '../../src/core/text.ts';

const ns = 'common';

/** "Are you looking for a mentor, or are you a mentor?" Mentors then give the code from the programme. */
export const welcomeFlow = defineForm({
  name: 'welcome',
  version: 1,
  pausable: false,
  order: ['role', 'code'],
  steps: {
    role: (() => {
      const ask = choiceQuestion({
        field: 'role',
        ask: t(`${ns}:role.ask`),
        choices: [
          { value: 'actor', label: t(`${ns}:role.actor`) },
          { value: 'mentor', label: t(`${ns}:role.mentor`) },
        ],
      });
      return {
        prompt: ask.prompt,
        answer(input, data, ctx) {
          const answer = ask.answer(input, data, ctx);
          if (answer.kind === 'next' && answer.data.role === 'actor') {
            return { kind: 'end', effects: [{ type: 'begin', flow: 'actor-registration', args: data }] };
          }
          return answer;
        },
      };
    })(),
    code: {
      prompt: () => ({ text: [t(`${ns}:role.code_ask`)] }),
      answer(input, data, ctx) {
        const typed = input.type === 'text' ? normalise(input.text) : '';
        if (!ctx.settings.mentorCodes.some((c) => normalise(c) === typed)) return { kind: 'invalid', error: t(`${ns}:role.code_invalid`) };
        return { kind: 'end', effects: [{ type: 'begin', flow: 'mentor-registration', args: data }] };
      },
    },
  },
  begin: (_ctx, args) => ({ step: 'role', data: { localeKnown: Boolean(args.localeKnown) } }),
});
