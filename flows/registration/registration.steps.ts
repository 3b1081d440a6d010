import type { Choice, Effect, FlowContext, FlowSettings, Text } from '../../src/core/flow.ts';
import { literal, t } from '../../src/core/flow.ts';
import { AVAILABILITY, CITIES, Locale, LOCALES, SPOKEN_LANGUAGES } from '../../src/core/model.ts';
import type { FormData, FormStep } from '../form/form.flow.ts';
import { choiceQuestion, multiQuestion, textQuestion } from '../form/questions.ts';
import * as fields from './fields.ts';

const ns = 'registration';
export const label = (group: string, value: string): Text => t(`${ns}:${group}.options.${value}`);
const options = (group: string, values: readonly string[]): Choice[] =>
  values.map((v) => ({ value: v, label: label(group, v) }));

/** Each language is named in itself, so a reader finds hers whatever the current language. */
export const languageStep: FormStep = {
  // Asked before she has chosen, so in every language: nothing she cannot read comes first.
  prompt: () => ({
    text: LOCALES.map((l) => t(`${ns}:language.ask`, { lng: l })),
    choices: LOCALES.map((l) => ({ value: l, label: t(`common:language_name.${l}`, { lng: l }) })),
    columns: 2,
  }),
  answer(input, data) {
    const parsed = Locale.safeParse(input.type === 'choice' ? input.value : undefined);
    if (!parsed.success) return { kind: 'invalid', error: t('common:use_buttons') };
    return {
      kind: 'next',
      data: { ...data, locale: parsed.data },
      effects: [{ type: 'setLocale', locale: parsed.data }],
    };
  },
};

/** How she has everything deleted: the command if there is one, else the programme's contact, else the staff here. */
const deletion = (settings: FlowSettings): Text => {
  if (settings.deleteCommand) return t(`${ns}:consent.delete_command`);
  if (settings.programmeContact)
    return t(`${ns}:consent.delete_contact`, { contact: literal(settings.programmeContact) });
  return t(`${ns}:consent.delete_staff`);
};

export const consentStep = (role: 'actor' | 'mentor'): FormStep => ({
  // The notice is read once; after a mistake only the question comes again.
  prompt: (_data, ctx) => ({
    intro: [t(`${ns}:consent.notice_${role}`, { deletion: deletion(ctx.settings) })],
    text: [t(`${ns}:consent.ask`)],
    choices: [
      { value: 'yes', label: t(`${ns}:consent.accept`) },
      { value: 'no', label: t(`${ns}:consent.decline`) },
    ],
  }),
  answer(input, data, ctx) {
    const value = input.type === 'choice' ? input.value : undefined;
    if (value === 'yes') return { kind: 'next', data: { ...data, consentAt: ctx.now.toISOString() } };
    if (value !== 'no') return { kind: 'invalid', error: t('common:use_buttons') };
    return {
      kind: 'end',
      effects: [
        {
          type: 'saveParticipant',
          participant: {
            role,
            locale: ctx.locale,
            timeZone: ctx.settings.defaultTimeZone,
            status: 'declined',
            consent: { given: false, textVersion: ctx.settings.consentVersion, at: ctx.now },
          },
        },
        { type: 'say', text: [t(`${ns}:consent.declined`)] },
      ],
    };
  },
});

export const nameStep = textQuestion({
  field: 'firstName',
  ask: t(`${ns}:name.ask`),
  schema: fields.firstName,
  invalid: t(`${ns}:name.invalid`),
});

export const cityStep = textQuestion({
  field: 'city',
  ask: t(`${ns}:city.ask`),
  schema: fields.city,
  invalid: t(`${ns}:city.invalid`),
  suggestions: CITIES.map((c) => ({ value: c, label: literal(c) })),
});

export const languagesStep = multiQuestion({
  field: 'languages',
  ask: t(`${ns}:languages.ask`),
  choices: SPOKEN_LANGUAGES.map((l) => ({ value: l, label: t(`common:spoken_language.${l}`) })),
  min: 1,
  tooFew: t(`${ns}:languages.none_chosen`),
  freeText: { schema: fields.spokenLanguage, invalid: t(`${ns}:languages.invalid`), max: 12 },
  columns: 2,
});

export const availabilityStep = multiQuestion({
  field: 'availability',
  ask: t(`${ns}:availability.ask`),
  choices: options('availability', AVAILABILITY),
  min: 1,
  tooFew: t(`${ns}:availability.none_chosen`),
});

/** A spoken language is a code with a translated name, or what she typed. */
export const spokenLanguageLabel = (value: string): Text =>
  (SPOKEN_LANGUAGES as readonly string[]).includes(value) ? t(`common:spoken_language.${value}`) : literal(value);

export interface SummaryField {
  step: string;
  line: (data: FormData) => Text;
}

/** The summary lists every answer; "change an answer" leads to a list of the fields. */
export function summarySteps(
  summaryFields: readonly SummaryField[],
  complete: (data: FormData, ctx: FlowContext) => Effect[],
): Record<string, FormStep> {
  return {
    summary: {
      prompt: (data) => ({
        text: [t(`${ns}:summary.${data.editing ? 'ask_edit' : 'ask'}`), ...summaryFields.map((f) => f.line(data))],
        choices: [
          { value: 'confirm', label: t(`${ns}:summary.${data.editing ? 'save' : 'confirm'}`) },
          { value: 'edit', label: t(`${ns}:summary.edit`) },
        ],
      }),
      answer(input, data, ctx) {
        const value = input.type === 'choice' ? input.value : undefined;
        if (value === 'edit') return { kind: 'next', data, goto: 'edit_field' };
        if (value !== 'confirm') return { kind: 'invalid', error: t('common:use_buttons') };
        return { kind: 'end', effects: complete(data, ctx) };
      },
    },
    edit_field: editFieldStep(summaryFields),
  };
}

/** Jumps to the chosen field; its answer then returns to the summary. */
function editFieldStep(summaryFields: readonly SummaryField[]): FormStep {
  const pick = choiceQuestion({
    field: '_editField',
    ask: t(`${ns}:summary.which`),
    choices: summaryFields.map((f) => ({ value: f.step, label: t(`${ns}:summary.field.${f.step}`) })),
    columns: 2,
  });
  return {
    prompt: pick.prompt,
    answer(input, data, ctx) {
      const answer = pick.answer(input, data, ctx);
      if (answer.kind !== 'next') return answer;
      const { _editField, ...rest } = answer.data;
      return { kind: 'next', data: { ...rest, returnTo: 'summary' }, goto: String(_editField) };
    },
  };
}
