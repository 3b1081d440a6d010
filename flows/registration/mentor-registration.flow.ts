import type { Effect, FlowContext } from '../../src/core/flow.ts';
import { literal, t } from '../../src/core/flow.ts';
import { MentorProfile } from '../../src/core/model.ts';
import type { FormData } from '../form/form.flow.ts';
import { defineForm } from '../form/form.flow.ts';
import { choiceQuestion, textQuestion } from '../form/questions.ts';
import * as fields from './fields.ts';
import type { SummaryField } from './registration.steps.ts';
import { askAiConsent } from '../privacy/ai-consent.flow.ts';
import {
  availabilityStep,
  cityStep,
  consentStep,
  label,
  languagesStep,
  languageStep,
  nameStep,
  spokenLanguageLabel,
  summarySteps,
} from './registration.steps.ts';

const ns = 'registration';

const summaryFields: SummaryField[] = [
  { step: 'name', line: (d) => t(`${ns}:summary.line.name`, { value: String(d.firstName) }) },
  { step: 'field', line: (d) => t(`${ns}:summary.line.profession`, { value: String(d.field) }) },
  {
    step: 'organisation',
    line: (d) =>
      t(`${ns}:summary.line.organisation`, {
        value: d.organisation ? String(d.organisation) : t(`${ns}:summary.none`),
      }),
  },
  { step: 'city', line: (d) => t(`${ns}:summary.line.city`, { value: String(d.city) }) },
  {
    step: 'languages',
    line: (d) => t(`${ns}:summary.line.languages`, { value: (d.languages as string[]).map(spokenLanguageLabel) }),
  },
  { step: 'capacity', line: (d) => t(`${ns}:summary.line.capacity`, { count: Number(d.capacity) }) },
  {
    step: 'availability',
    line: (d) =>
      t(`${ns}:summary.line.availability`, {
        value: (d.availability as string[]).map((v) => label('availability', v)),
      }),
  },
];

function complete(data: FormData, ctx: FlowContext): Effect[] {
  const profile = MentorProfile.parse(data);
  const existing = ctx.participant;
  const editing = Boolean(data.editing && existing);
  return [
    {
      type: 'saveParticipant',
      participant: {
        role: 'mentor',
        locale: ctx.locale,
        timeZone: existing?.timeZone ?? ctx.settings.defaultTimeZone,
        status: editing && existing ? existing.status : 'waiting',
        consent:
          editing && existing
            ? existing.consent
            : { given: true, textVersion: ctx.settings.consentVersion, at: new Date(String(data.consentAt)) },
        mentor: profile,
      },
    },
    { type: 'say', text: [editing ? t(`${ns}:done.saved`) : t(`${ns}:done.mentor`, { name: profile.firstName })] },

    ...askAiConsent(ctx, editing),
  ];
}

export const mentorRegistrationFlow = defineForm({
  name: 'mentor-registration',
  version: 1,
  pausable: true,
  order: [
    'language',
    'consent',
    'name',
    'field',
    'organisation',
    'city',
    'languages',
    'capacity',
    'availability',
    'summary',
  ],
  steps: {
    language: languageStep,
    consent: consentStep('mentor'),
    name: nameStep,
    field: textQuestion({
      field: 'field',
      ask: t(`${ns}:field.ask`),
      schema: fields.profession,
      invalid: t(`${ns}:profession.invalid`),
    }),
    organisation: textQuestion({
      field: 'organisation',
      ask: t(`${ns}:organisation.ask`),
      schema: fields.organisation,
      invalid: t(`${ns}:organisation.invalid`),
      skippable: true,
    }),
    city: cityStep,
    languages: languagesStep,
    capacity: choiceQuestion({
      field: 'capacity',
      ask: t(`${ns}:capacity.ask`),
      choices: ['1', '2', '3'].map((v) => ({ value: v, label: literal(v) })),
      columns: 3,
      parse: Number,
    }),
    availability: availabilityStep,
    ...summarySteps(summaryFields, complete),
  },
  begin(ctx, args) {
    const existing = ctx.participant?.mentor;
    if (args.mode === 'edit' && existing) return { step: 'summary', data: { ...existing, editing: true } };
    return { step: args.localeKnown ? 'consent' : 'language', data: {} };
  },
});
