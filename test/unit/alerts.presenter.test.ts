import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../src/core/alert-card.ts';
import { alertCard, alertChoices } from '../../src/core/alert-card.ts';
import type { Alert } from '../../src/core/programme.ts';
import { presentAlertAction } from '../../flows/alerts/alerts.presenter.ts';
import { ctx, NOW, pairOf, registered, said } from '../support/flow-driver.ts';

const actor = registered({ id: 'a1', role: 'actor', displayName: 'Amira' });
const mentor = registered({ id: 'm1', role: 'mentor', displayName: 'Liisa' });
const officer = registered({ id: 'o1', role: 'officer', displayName: 'Olga', timeZone: 'Asia/Riyadh' });
const pair = pairOf();
const alert: Alert = {
  id: 'al1',
  pairId: 'p1',
  signalKey: 'missed_checkins:a1',
  signal: { code: 'missed_checkins', participantId: 'a1', count: 2 },
  state: 'open',
  openedAt: NOW,
  lastNotifiedAt: NOW,
  actions: [{ what: 'nudged', by: 'o1', byName: 'Olga', at: NOW }],
};
const view = (over: Partial<Alert> = {}): AlertView => ({
  alert: { ...alert, ...over },
  pair,
  actor,
  mentor,
  timeline: [{ pairId: 'p1', type: 'meeting_held', at: NOW }],
});
const asOfficer = ctx({ participant: officer });

describe('an officer presses a button on an alert', () => {
  it('the card is rewritten with what she did, and keeps its buttons while the alert is open', () => {
    const [update, ...rest] = presentAlertAction({ outcome: 'nudged', ...view() }, asOfficer);
    expect(rest).toEqual([]);
    expect(update).toEqual({
      type: 'update',
      text: alertCard(view()),
      buttons: { choices: alertChoices(alert), columns: 2 },
    });
    expect(alertCard(view())).toMatchObject([
      { key: 'alerts:title_new', params: { actor: 'Amira', mentor: 'Liisa', pairId: 'p1' } },
      { key: 'alerts:signal.missed_checkins', params: { who: 'Amira' } },
      { key: 'alerts:last_activity', params: { meeting: { date: NOW.toISOString() }, checkin: '–' } },
      { key: 'alerts:did.nudged', params: { name: 'Olga' } },
    ]);
  });

  it('resolved: the card loses its buttons and her note is asked in her own chat', () => {
    const resolved = view({ state: 'resolved' });
    const effects = presentAlertAction({ outcome: 'resolved', ...resolved }, asOfficer);
    expect(effects[0]).toEqual({ type: 'update', text: alertCard(resolved) });
    expect(effects[1]).toEqual({
      type: 'begin',
      flow: 'ask-text',
      args: {
        question: { key: 'alerts:note_ask', params: { actor: 'Amira', mentor: 'Liisa' } },
        useCase: 'alerts.note',
        argName: 'note',
        args: { alertId: 'al1' },
        optional: true,
        max: 500,
      },
    });
  });

  it('the timeline, in the zone of the officer', () => {
    const effects = presentAlertAction({ outcome: 'timeline', ...view() }, asOfficer);
    expect(effects).toEqual([
      {
        type: 'say',
        text: [
          { key: 'alerts:timeline_title', params: { actor: 'Amira', mentor: 'Liisa' } },
          {
            key: 'pairs:timeline.meeting_held',
            params: { when: { date: NOW.toISOString(), timeZone: 'Asia/Riyadh' } },
          },
        ],
      },
    ]);
  });

  it('a gone alert is an expired button; a resolved one says so', () => {
    expect(said(presentAlertAction({ outcome: 'expired' }, asOfficer))).toEqual(['common:button_expired']);
    expect(said(presentAlertAction({ outcome: 'already_resolved' }, asOfficer))).toEqual(['alerts:already_resolved']);
  });

  it('a note read as high risk may be marked wrong, once', () => {
    const note = { code: 'note_help', participantId: 'm1', source: 'keywords', reason: 'apua', triageId: 't1' };
    const values = (a: Alert) => alertChoices(a).map((c) => c.value);
    expect(values({ ...alert, signal: note })).toEqual(['nudge', 'snooze', 'resolve', 'timeline', 'triage_wrong']);
    expect(values({ ...alert, signal: note, actions: [{ what: 'marked_wrong', at: NOW }] })).not.toContain(
      'triage_wrong',
    );
    expect(alertCard({ ...view(), alert: { ...alert, signal: note } })[1]).toEqual({
      key: 'triage:alert',
      params: {
        who: 'Liisa',
        reason: { key: 'triage:reason_keywords', params: { words: 'apua' } },
        source: { key: 'triage:source.keywords' },
      },
    });
  });
});
