import type { Choice, Text } from './flow.ts';
import { t } from './flow.ts';
import { nameOf, triageReason, when } from './labels.ts';
import type { Participant } from './model.ts';
import type { Alert, Pair, TimelineEvent } from './programme.ts';

/** An alert with what its card shows: the pair, its partners and its timeline. */
export interface AlertView {
  alert: Alert;
  pair: Pair;
  actor: Participant | null;
  mentor: Participant | null;
  timeline: TimelineEvent[];
}

const BUTTONS = ['nudge', 'snooze', 'resolve', 'timeline'] as const;
// The staff works in Finland; a card goes to many officers (and channels) at once, so one zone for all.
const ZONE = 'Europe/Helsinki';

/**
 * The alert's text, as the service posts it to the officers and as the card is rewritten for the officer who
 * pressed a button: which pair, which city, the signal with its reason, the last activity, and what officers did.
 */
export function alertCard(view: AlertView, kind: 'new' | 'reminder' = 'new'): Text[] {
  const { alert, pair, actor, mentor, timeline } = view;
  const s = alert.signal;
  const person = [actor, mentor].find((p) => p && p.id === s.participantId);
  const who = 'participantId' in s ? nameOf(person) : '';
  const lastMeeting = timeline.filter((e) => e.type === 'meeting_held').at(-1);
  const lastCheckin = timeline.filter((e) => e.type === 'checkin_answered').at(-1);
  const fmt = (e?: TimelineEvent) => (e ? when(new Date(e.at), ZONE) : '–');
  return [
    t(`alerts:title_${kind}`, {
      actor: nameOf(actor),
      mentor: nameOf(mentor),
      city: actor?.actor?.city ?? mentor?.mentor?.city ?? '–',
      pairId: pair.id,
    }),
    signalLine(s, who),
    t('alerts:last_activity', { meeting: fmt(lastMeeting), checkin: fmt(lastCheckin) }),
    ...alert.actions
      .filter((a) => a.what !== 'reminded')
      .map((a) =>
        t(a.what === 'marked_wrong' ? 'triage:did_wrong' : `alerts:did.${a.what}`, {
          name: a.byName ?? '–',
          when: when(new Date(a.at), ZONE),
          note: a.note ?? '',
        }),
      ),
  ];
}

/** The signal as stored (a `Signal` of `health.ts`, kept as a record): its reason in words. */
function signalLine(s: Alert['signal'], who: string): Text {
  // A note read as high risk: the reason, marked as the model's or the keywords'.
  if (s.code === 'note_help') return t('triage:alert', { who, ...triageReason(String(s.source), String(s.reason)) });
  return t(`alerts:signal.${String(s.code)}`, {
    who,
    ...('days' in s ? { count: Number(s.days) } : {}),
    ...(Array.isArray(s.ratings) ? { ratings: s.ratings.join(', ') } : {}),
    ...('from' in s ? { from: Number(s.from), to: Number(s.to) } : {}),
  });
}

/** The card's buttons; "triage was wrong" only on a note's alert, until an officer has said so. */
export function alertChoices(alert: Alert): Choice[] {
  const buttons = BUTTONS.map((b) => ({ value: b, label: t(`alerts:button.${b}`) }));
  const wrong = alert.signal.code === 'note_help' && !alert.actions.some((a) => a.what === 'marked_wrong');
  return wrong ? [...buttons, { value: 'triage_wrong', label: t('triage:button_wrong') }] : buttons;
}
