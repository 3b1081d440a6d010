import type { Choice, Text } from './flow.ts';
import { t } from './flow.ts';
import { nameOf } from './labels.ts';
import type { Participant } from './model.ts';
import type { CounsellingRequest } from './programme.ts';

/**
 * The officers' messages about a counselling request and an anonymous question: sent by the services, and
 * rewritten by the presenters once an officer acted on them, so both must read the same.
 */
export function counsellingAlert(r: CounsellingRequest, requester: Participant | null, lines: Text[] = []): Text[] {
  return [
    t('counselling:alert', {
      name: nameOf(requester),
      role: t(`counselling:role.${requester?.role ?? 'actor'}`),
      city: requester?.actor?.city ?? requester?.mentor?.city ?? '–',
      topic: t(`counselling:topic.${r.topic}`),
      urgency: t(`counselling:urgency.${r.urgency}`),
    }),
    ...(r.message ? [t('counselling:alert_message', { message: r.message })] : []),
    ...lines,
  ];
}

/** What officers may still do with a request: take it while open, resolve it until resolved. */
export function counsellingChoices(state: CounsellingRequest['state']): Choice[] {
  if (state === 'resolved') return [];
  return [
    ...(state === 'open' ? [{ value: 'take', label: t('counselling:take') }] : []),
    { value: 'resolve', label: t('counselling:resolve') },
  ];
}

/** An anonymous question as the officers review it: the cohort and the text, never the asker. */
export const moderationText = (cohortName: string, text: string): Text =>
  t('peer:moderate', { name: cohortName, text });
