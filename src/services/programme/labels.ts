import type { DateParam, Text } from '../../core/flow.ts';
import { literal, t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import { SPOKEN_LANGUAGES } from '../../core/model.ts';
import type { TimelineEvent } from '../../core/programme.ts';
import type { Signal } from '../health.ts';
import { goalLabel } from '../../core/goals.ts';

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
    ...reasonOf(String(e.data?.source), String(e.data?.reason ?? '')),
  });
}

/** The model's own words are marked as AI-made; the keywords' reason says which words were found. */
const reasonOf = (source: string, reason: string): { reason: Text; source: Text } =>
  source === 'ai'
    ? { reason: literal(reason), source: t('triage:source.ai') }
    : { reason: t('triage:reason_keywords', { words: reason }), source: t('triage:source.keywords') };

/** The alert's line for a note read as high risk: the reason, marked as the model's or the keywords'. */
export function triageLine(s: Extract<Signal, { code: 'note_help' }>, who: string): Text {
  return t('triage:alert', { who, ...reasonOf(s.source, s.reason) });
}
