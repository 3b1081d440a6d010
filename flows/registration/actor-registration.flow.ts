import type { Effect, FlowContext } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { goalLabel } from '../../src/core/goals.ts';
import { ActorProfile, EDUCATION_LEVELS, FINNISH_LEVELS, GOALS } from '../../src/core/model.ts';
import type { FormData } from '../form/form.flow.ts';
import { defineForm } from '../form/form.flow.ts';
import { choiceQuestion, multiQuestion, textQuestion } from '../form/questions.ts';
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
const line = (key: string, value: FormData[string] | ReturnType<typeof t>) =>
  t(`${ns}:summary.line.${key}`, { value: value as string });
const labels = (group: string, values: unknown) => (values as string[]).map((v) => label(group, v));

const summaryFields: SummaryField[] = [
  { step: 'name', line: (d) => line('name', d.firstName) },
  { step: 'city', line: (d) => line('city', d.city) },
  { step: 'profession', line: (d) => line('profession', d.profession) },
  { step: 'education', line: (d) => line('education', label('education', String(d.education))) },
  { step: 'experience', line: (d) => t(`${ns}:summary.line.experience`, { count: Number(d.yearsExperience) }) },
  { step: 'finnish', line: (d) => line('finnish', label('finnish', String(d.finnishLevel))) },
  { step: 'goals', line: (d) => t(`${ns}:summary.line.goals`, { value: (d.goals as string[]).map(goalLabel) }) },
  {
    step: 'languages',
    line: (d) => t(`${ns}:summary.line.languages`, { value: (d.languages as string[]).map(spokenLanguageLabel) }),
  },
  {
    step: 'availability',
    line: (d) => t(`${ns}:summary.line.availability`, { value: labels('availability', d.availability) }),
  },
];

function complete(data: FormData, ctx: FlowContext): Effect[] {
  const profile = ActorProfile.parse(data);
  const existing = ctx.participant;
  const editing = Boolean(data.editing && existing);
  return [
    {
      type: 'saveParticipant',
      participant: {
        role: 'actor',
        locale: ctx.locale,
        timeZone: existing?.timeZone ?? ctx.settings.defaultTimeZone,
        status: editing && existing ? existing.status : 'waiting',
        consent:
          editing && existing
            ? existing.consent
            : { given: true, textVersion: ctx.settings.consentVersion, at: new Date(String(data.consentAt)) },
        actor: profile,
      },
    },
    { type: 'say', text: [editing ? t(`${ns}:done.saved`) : t(`${ns}:done.actor`, { name: profile.firstName })] },

    ...askAiConsent(ctx, editing),
  ];
}

export const actorRegistrationFlow = defineForm({
  name: 'actor-registration',
  version: 1,
  pausable: true,
  order: [
    'language',
    'consent',
    'name',
    'city',
    'profession',
    'education',
    'experience',
    'finnish',
    'goals',
    'languages',
    'availability',
    'summary',
  ],
  steps: {
    language: languageStep,
    consent: consentStep('actor'),
    name: nameStep,
    city: cityStep,
    profession: textQuestion({
      field: 'profession',
      ask: t(`${ns}:profession.ask`),
      schema: fields.profession,
      invalid: t(`${ns}:profession.invalid`),
    }),
    education: choiceQuestion({
      field: 'education',
      ask: t(`${ns}:education.ask`),
      choices: EDUCATION_LEVELS.map((v) => ({ value: v, label: label('education', v) })),
    }),
    experience: textQuestion({
      field: 'yearsExperience',
      ask: t(`${ns}:experience.ask`),
      schema: fields.yearsExperience,
      invalid: t(`${ns}:experience.invalid`),
    }),
    finnish: choiceQuestion({
      field: 'finnishLevel',
      ask: [t(`${ns}:finnish.ask`), t(`${ns}:finnish.explain`)],
      choices: FINNISH_LEVELS.map((v) => ({ value: v, label: label('finnish', v) })),
    }),
    goals: multiQuestion({
      field: 'goals',
      ask: t(`${ns}:goals.ask`),
      choices: GOALS.map((v) => ({ value: v, label: label('goals', v) })),
      min: 1,
      tooFew: t(`${ns}:goals.none_chosen`),
      freeText: { schema: fields.ownGoal, invalid: t(`${ns}:goals.invalid`), max: 10 },
      other: { label: t(`${ns}:goals.other`), hint: t(`${ns}:goals.other_hint`) },
    }),
    languages: languagesStep,
    availability: availabilityStep,
    ...summarySteps(summaryFields, complete),
  },
  begin(ctx, args) {
    const existing = ctx.participant?.actor;
    if (args.mode === 'edit' && existing) return { step: 'summary', data: { ...existing, editing: true } };
    // A platform that tells us her language spares her the first question; /language still switches.
    return { step: args.localeKnown ? 'consent' : 'language', data: {} };
  },
});
