import { t } from '../../src/core/flow.ts';
import { defineForm } from '../form/form.flow.ts';
import { choiceQuestion } from '../form/questions.ts';
import { normalise } from '../../src/core/text.ts';
import { languageStep } from '../registration/registration.steps.ts';

const ns = 'common';

/** "Are you looking for a mentor, or are you a mentor?" Mentors then give the code from the programme. */
export const welcomeFlow = defineForm({
  name: 'welcome',
  version: 1,
  pausable: false,
  order: ['language', 'role', 'code'],
  steps: {
    // Her language comes first, so the first words she reads are in it.
    language: languageStep,
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
            return {
              kind: 'end',
              effects: [{ type: 'begin', flow: 'actor-registration', args: registrationArgs(data) }],
            };
          }
          return answer;
        },
      };
    })(),
    code: {
      prompt: () => ({ text: [t(`${ns}:role.code_ask`)] }),
      answer(input, data, ctx) {
        const typed = input.type === 'text' ? normalise(input.text) : '';
        if (!ctx.settings.mentorCodes.some((c) => normalise(c) === typed))
          return { kind: 'invalid', error: t(`${ns}:role.code_invalid`) };
        return { kind: 'end', effects: [{ type: 'begin', flow: 'mentor-registration', args: registrationArgs(data) }] };
      },
    },
  },
  begin: (_ctx, args) => ({
    step: args.localeKnown ? 'role' : 'language',
    data: { localeKnown: Boolean(args.localeKnown) },
  }),
});

/** A language chosen here is not asked again by the registration. */
const registrationArgs = (data: Record<string, unknown>) => ({ localeKnown: Boolean(data.localeKnown || data.locale) });
