import type { DateParam, Text } from './flow.ts';
import { literal, t } from './flow.ts';
import { goalLabel } from './goals.ts';
import type { Participant } from './model.ts';
import { SPOKEN_LANGUAGES } from './model.ts';
import type { TimelineEvent } from './programme.ts';

/** How a person is named in messages; shared by services and the flows' presenters. */
export const nameOf = (p: Participant | null | undefined): string =>
  p?.actor?.firstName ?? p?.mentor?.firstName ?? p?.displayName ?? '?';
export const language = (value: string): Text =>
  (SPOKEN_LANGUAGES as readonly string[]).includes(value) ? t(`common:spoken_language.${value}`) : { literal: value };
export const when = (at: Date, timeZone: string): DateParam => ({ date: at.toISOString(), timeZone });
/** A calendar day without its clock time (a plan's start and end). */
export const onDay = (at: Date, timeZone: string): DateParam => ({ date: at.toISOString(), timeZone, dayOnly: true });
export const days = (from: Date, to: Date) => Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));

/** One line about a waiting actor for officers: city, field, Finnish level, goals, how long she waits. */
export function actorLine(p: Participant, now: Date, n: number): Text {
  const a = p.actor!;
  return t('officer:waiting.line', {
    n,
    name: a.firstName,
    city: a.city,
    field: a.profession,
    level: t(`registration:finnish.options.${a.finnishLevel}`),
    goals: a.goals.map(goalLabel),
    count: days(p.createdAt, now),
  });
}

/** What a partner learns of her mentor: only what the programme needs to introduce them. */
export function mentorIntro(m: Participant): Record<string, Text | Text[] | string> {
  const x = m.mentor!;
  return { name: x.firstName, field: x.field, city: x.city, languages: x.languages.map(language) };
}

export function actorIntro(a: Participant): Record<string, Text | Text[] | string> {
  const x = a.actor!;
  return {
    name: x.firstName,
    field: x.profession,
    city: x.city,
    level: t(`registration:finnish.options.${x.finnishLevel}`),
    goals: x.goals.map(goalLabel),
  };
}

/** A line of a pair's timeline; how notes were triaged only officers see. */
export function timelineLine(e: TimelineEvent, timeZone: string, officer: boolean): Text | undefined {
  const at = when(new Date(e.at), timeZone);
  if (e.type !== 'note_triaged') return t(`pairs:timeline.${e.type}`, { when: at });
  if (!officer) return undefined;
  return t('triage:timeline', {
    when: at,
    risk: t(`triage:risk.${String(e.data?.risk)}`),
    ...triageReason(String(e.data?.source), String(e.data?.reason ?? '')),
  });
}

/** The model's own words are marked as AI-made; the keywords' reason says which words were found. */
export const triageReason = (source: string, reason: string): { reason: Text; source: Text } =>
  source === 'ai'
    ? { reason: literal(reason), source: t('triage:source.ai') }
    : { reason: t('triage:reason_keywords', { words: reason }), source: t('triage:source.keywords') };
