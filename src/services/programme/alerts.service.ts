import { alertCard, alertChoices, type AlertView } from '../../core/alert-card.ts';
import type { AlertActed } from '../../core/alerts.operations.ts';
import type { AlertNoteOutcome } from '../../core/operations.ts';
import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import {
  type ActionRepository,
  type AlertRepository,
  type CounterSeries,
  type HealthQueue,
  type Metrics,
  NO_METRICS,
  type PairRepository,
  type ParticipantRepository,
  type TimelineRepository,
} from '../../core/ports.ts';
import { seriesBy } from '../../core/metrics.ts';
import { type Alert, OFFICERS, type Pair } from '../../core/programme.ts';
import { DEFAULT_THRESHOLDS, evaluatePair, type Signal, signalKey, type Thresholds } from '../health.ts';
import { nameOf } from './labels.ts';
import type { Notifier, Staff } from './notifier.ts';

const DAY = 86_400_000;

export interface AlertsDeps {
  participants: ParticipantRepository;
  pairs: PairRepository;
  timeline: TimelineRepository;
  alerts: AlertRepository;
  health: HealthQueue;
  actions: ActionRepository;
  notifier: Notifier;
  /** Where alerts go: officers' chats and channels, or each officer. */
  staff: Staff;
  remindDays: number;
  thresholds?: Thresholds;
  /** Keeps an officer's "this triage was wrong" (see TriageService.markWrong). */
  markTriageWrong?: (triageId: string, officer: Participant, now: Date) => Promise<boolean>;
  /** Counts the alerts raised, by signal. */
  metrics?: Metrics;
}

/** Evaluates pairs, opens one alert per pair and signal, reminds officers, and carries out their actions. */
export class AlertsService {
  private readonly raised: (signal: string) => CounterSeries;

  constructor(private readonly d: AlertsDeps) {
    const raised = (d.metrics ?? NO_METRICS).counter({
      name: 'womento_stall_alerts_raised_total',
      help: 'Alerts opened for officers about a pair, by signal (no_meeting, missed_checkins, help_requested ...)',
      labels: ['signal'],
    });
    this.raised = seriesBy(raised, 'signal');
  }

  /** Evaluates the pairs that are due (a timeline change, or a deadline passed), in batches. */
  async evaluate(now: Date): Promise<{ evaluated: number; opened: number; reminded: number }> {
    let opened = 0;
    let evaluated = 0;
    for (let batch = await this.d.health.due(now, 500); batch.length; batch = await this.d.health.due(now, 500)) {
      const next: { pairId: string; version: number; at: Date | null; hour?: string }[] = [];
      for (const due of batch) {
        evaluated++;
        if (due.events.some((e) => e.type === 'ended' || e.type === 'completed')) {
          next.push({ pairId: due.pairId, version: due.version, at: null, ...(due.hour ? { hour: due.hour } : {}) });
          continue;
        }
        const unreachable = due.events
          .filter((e) => e.type === 'member_unreachable')
          .map((e) => String(e.data?.participantId));
        const { signals, nextEvaluationAt } = evaluatePair(
          due.events,
          unreachable,
          now,
          this.d.thresholds ?? DEFAULT_THRESHOLDS,
        );
        for (const signal of signals) if (await this.open(due.pairId, signal, now)) opened++;
        next.push({
          pairId: due.pairId,
          version: due.version,
          at: nextEvaluationAt,
          ...(due.hour ? { hour: due.hour } : {}),
        });
      }
      await this.d.health.rescheduleMany(next);
    }
    let reminded = 0;
    for (const alert of await this.d.alerts.listOpen()) {
      const snoozed = alert.snoozedUntil && new Date(alert.snoozedUntil) > now;
      if (snoozed || new Date(alert.lastNotifiedAt).getTime() + this.d.remindDays * DAY > now.getTime()) continue;
      const pair = await this.d.pairs.get(alert.pairId);
      // A pair that completed or ended needs no more reminders about how it goes.
      if (!pair || pair.state === 'completed' || pair.state === 'ended') continue;
      const updated: Alert = {
        ...alert,
        lastNotifiedAt: now,
        actions: [...alert.actions, { what: 'reminded', at: now }],
      };
      await this.d.alerts.save(updated);
      await this.post(await this.view(updated, pair), now, 'reminder');
      reminded++;
    }
    return { evaluated, opened, reminded };
  }

  /** A signal found elsewhere (the completion job): opened and posted like the evaluation's own. */
  raise(pairId: string, signal: Signal, now: Date): Promise<boolean> {
    return this.open(pairId, signal, now);
  }

  /** Opens the alert unless one is open for this pair and signal, and posts it to the officers. */
  private async open(pairId: string, signal: Signal, now: Date): Promise<boolean> {
    const alert = await this.d.alerts.open({
      pairId,
      signalKey: signalKey(signal),
      signal: { ...signal },
      state: 'open',
      openedAt: now,
      lastNotifiedAt: now,
      actions: [],
    });
    const pair = alert && (await this.d.pairs.get(pairId));
    if (!alert || !pair) return false;
    this.raised(signal.code).inc();
    await this.post(await this.view(alert, pair), now, 'new');
    return true;
  }

  private async post(view: AlertView, now: Date, kind: 'new' | 'reminder') {
    const { alert } = view;
    const text = alertCard(view, kind);
    for (const recipientId of await this.d.staff.recipients()) {
      await this.d.notifier.send(
        {
          key: `alert:${alert.id}:${kind}:${now.getTime()}:${recipientId}`,
          recipientId,
          due: now,
          text,
          buttons: {
            kind: 'alert',
            ref: { alertId: alert.id },
            owner: OFFICERS,
            choices: alertChoices(alert),
            once: false,
            expiresAt: new Date(now.getTime() + 365 * DAY),
            columns: 2,
          },
        },
        now,
      );
    }
  }

  /** The alert with its pair, the pair's partners and its timeline, as its card shows them. */
  private async view(alert: Alert, pair: Pair): Promise<AlertView> {
    const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
    return {
      alert,
      pair,
      actor: members.get(pair.actorId) ?? null,
      mentor: members.get(pair.mentorId) ?? null,
      timeline: await this.d.timeline.forPair(pair.id),
    };
  }

  /** An officer pressed a button on the alert; the partners of a nudged pair are told through the outbox. */
  async act(alertId: string, what: string, officer: Participant, now: Date): Promise<AlertActed> {
    const alert = await this.d.alerts.get(alertId);
    const pair = alert && (await this.d.pairs.get(alert.pairId));
    if (!alert || !pair) return { outcome: 'expired' };
    if (what === 'timeline') return { outcome: 'timeline', ...(await this.view(alert, pair)) };
    if (alert.state !== 'open') return { outcome: 'already_resolved' };
    const action = {
      by: officer.id,
      byName: nameOf(officer) === '?' ? (officer.identities[0] ?? '') : nameOf(officer),
      at: now,
    };
    let updated: Alert;
    let outcome: 'nudged' | 'snoozed' | 'marked_wrong' | 'resolved';
    if (what === 'nudge') {
      const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
      for (const id of [pair.actorId, pair.mentorId]) {
        const partner = members.get(id === pair.actorId ? pair.mentorId : pair.actorId);
        await this.d.notifier.send(
          {
            key: `nudge:${alert.id}:${now.getTime()}:${id}`,
            recipientId: id,
            due: now,
            text: [t('alerts:nudge', { name: nameOf(partner) })],
          },
          now,
        );
      }
      await this.d.timeline.append({ pairId: pair.id, type: 'nudged', at: now, by: officer.id });
      outcome = 'nudged';
      updated = { ...alert, actions: [...alert.actions, { ...action, what: outcome }] };
      await this.d.alerts.save(updated);
    } else if (what === 'snooze') {
      outcome = 'snoozed';
      updated = {
        ...alert,
        snoozedUntil: new Date(now.getTime() + 7 * DAY),
        actions: [...alert.actions, { ...action, what: outcome }],
      };
      await this.d.alerts.save(updated);
    } else if (what === 'triage_wrong' && alert.signal.code === 'note_help' && this.d.markTriageWrong) {
      if (!(await this.d.markTriageWrong(String(alert.signal.triageId), officer, now))) return { outcome: 'expired' };
      outcome = 'marked_wrong';
      updated = { ...alert, actions: [...alert.actions, { ...action, what: outcome }] };
      await this.d.alerts.save(updated);
    } else if (what === 'resolve') {
      outcome = 'resolved';
      updated = { ...alert, state: 'resolved', actions: [...alert.actions, { ...action, what: outcome }] };
      await this.d.alerts.resolve(updated);
      await this.d.timeline.append({
        pairId: pair.id,
        type: 'alert_resolved',
        at: now,
        by: officer.id,
        data: { signal: alert.signalKey },
      });
    } else {
      return { outcome: 'expired' };
    }
    return { outcome, ...(await this.view(updated, pair)) };
  }

  /** The note an officer wrote after resolving: kept on the alert and shared with the officers. */
  async note(alertId: string, note: string, officer: Participant, now: Date): Promise<AlertNoteOutcome> {
    const alert = await this.d.alerts.get(alertId);
    const pair = alert && (await this.d.pairs.get(alert.pairId));
    if (!alert || !pair) return 'not_found';
    if (!note.trim()) return 'skipped';
    const mine = alert.actions
      .map((a, i) => (a.what === 'resolved' && a.by === officer.id ? i : -1))
      .filter((i) => i >= 0)
      .at(-1);
    const actions = alert.actions.map((a, i) => (i === mine ? { ...a, note } : a));
    await this.d.alerts.save({
      ...alert,
      actions:
        mine === undefined
          ? [...actions, { what: 'resolved', by: officer.id, byName: nameOf(officer), at: now, note }]
          : actions,
    });
    const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
    const text = [
      t('alerts:note_posted', {
        name: nameOf(officer),
        actor: nameOf(members.get(pair.actorId)),
        mentor: nameOf(members.get(pair.mentorId)),
        note,
      }),
    ];
    for (const recipientId of await this.d.staff.recipients())
      await this.d.notifier.send(
        { key: `alert-note:${alert.id}:${now.getTime()}:${recipientId}`, recipientId, due: now, text },
        now,
      );
    return 'saved';
  }
}
