import type { Text } from '../../core/flow.ts';
import { t } from '../../core/flow.ts';
import type { Signal } from '../health.ts';
import { triageReason } from '../../core/labels.ts';

export {
  actorIntro,
  actorLine,
  days,
  language,
  mentorIntro,
  nameOf,
  onDay,
  timelineLine,
  when,
} from '../../core/labels.ts';

/** The alert's line for a note read as high risk: the reason, marked as the model's or the keywords'. */
export function triageLine(s: Extract<Signal, { code: 'note_help' }>, who: string): Text {
  return t('triage:alert', { who, ...triageReason(s.source, s.reason) });
}
