import type { Text } from '../../core/flow.ts';
import { literal, t } from '../../core/flow.ts';
import type { TimelineEvent } from '../../core/programme.ts';
import type { Signal } from '../health.ts';
import { when } from '../../core/labels.ts';

export { actorIntro, actorLine, days, language, mentorIntro, nameOf, onDay, when } from '../../core/labels.ts';

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
