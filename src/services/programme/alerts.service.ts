import type { Choice, Effect, Text } from '../../core/flow.ts';
import { handoff } from '../../core/operation.ts';
import { type AlertNoteOutcome, noteOnAlert } from '../../core/operations.ts';
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
import { type Alert, OFFICERS, type Pair, type TimelineEvent } from '../../core/programme.ts';
import { DEFAULT_THRESHOLDS, evaluatePair, type Signal, signalKey, type Thresholds } from '../health.ts';
import { nameOf, timelineLine, triageLine, when } from './labels.ts';
import type { Notifier, Staff } from './notifier.ts';

const DAY = 86_400_000;
const BUTTONS = ['nudge', 'snooze', 'resolve', 'timeline'] as const;

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
      await this.post(
        updated,
        pair,
        await this.d.participants.findByIds([pair.actorId, pair.mentorId]),
        await this.d.timeline.forPair(pair.id),
        now,
        'reminder',
      );
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
    await this.post(
      alert,
      pair,
      await this.d.participants.findByIds([pair.actorId, pair.mentorId]),
      await this.d.timeline.forPair(pairId),
      now,
      'new',
    );
    return true;
  }

  private async post(
    alert: Alert,
    pair: Pair,
    members: Map<string, Participant>,
    timeline: TimelineEvent[],
    now: Date,
    kind: 'new' | 'reminder',
  ) {
    const text = this.text(alert, pair, members, timeline, kind);
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
            choices: this.choices(alert),
            once: false,
            expiresAt: new Date(now.getTime() + 365 * DAY),
            columns: 2,
          },
        },
        now,
      );
    }
  }

  private choices(alert: Alert): Choice[] {
    const buttons = BUTTONS.map((b) => ({ value: b, label: t(`alerts:button.${b}`) }));
    const wrong = alert.signal.code === 'note_help' && !alert.actions.some((a) => a.what === 'marked_wrong');
    return wrong ? [...buttons, { value: 'triage_wrong', label: t('triage:button_wrong') }] : buttons;
  }

  /** Which pair, which city, the signals with their reasons, the last activity, and what officers did. */
  text(
    alert: Alert,
    pair: Pair,
    members: Map<string, Participant>,
    timeline: TimelineEvent[],
    kind: 'new' | 'reminder' = 'new',
  ): Text[] {
    const actor = members.get(pair.actorId);
    const mentor = members.get(pair.mentorId);
    const s = alert.signal as unknown as Signal;
    const who = 'participantId' in s ? nameOf(members.get(s.participantId)) : '';
    const lastMeeting = timeline.filter((e) => e.type === 'meeting_held').at(-1);
    const lastCheckin = timeline.filter((e) => e.type === 'checkin_answered').at(-1);
    const zone = 'Europe/Helsinki';
    const fmt = (e?: TimelineEvent) => (e ? when(new Date(e.at), zone) : '–');
    return [
      t(`alerts:title_${kind}`, {
        actor: nameOf(actor),
        mentor: nameOf(mentor),
        city: actor?.actor?.city ?? mentor?.mentor?.city ?? '–',
        pairId: pair.id,
      }),
      s.code === 'note_help'
        ? triageLine(s, who)
        : t(`alerts:signal.${s.code}`, {
            who,
            ...('days' in s ? { count: s.days } : {}),
            ...('ratings' in s ? { ratings: s.ratings.join(', ') } : {}),
            ...('from' in s ? { from: s.from, to: s.to } : {}),
          }),
      t('alerts:last_activity', { meeting: fmt(lastMeeting), checkin: fmt(lastCheckin) }),
      ...alert.actions
        .filter((a) => a.what !== 'reminded')
        .map((a) =>
          t(a.what === 'marked_wrong' ? 'triage:did_wrong' : `alerts:did.${a.what}`, {
            name: a.byName ?? '–',
            when: when(new Date(a.at), zone),
            note: a.note ?? '',
          }),
        ),
    ];
  }

  /** An officer pressed a button on the alert. */
  async act(alertId: string, what: string, officer: Participant, now: Date): Promise<Effect[]> {
    const alert = await this.d.alerts.get(alertId);
    const pair = alert && (await this.d.pairs.get(alert.pairId));
    if (!alert || !pair) return [{ type: 'say', text: [t('common:button_expired')] }];
    const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
    if (what === 'timeline') {
      const timeline = await this.d.timeline.forPair(pair.id);
      return [
        {
          type: 'say',
          text: [
            t('alerts:timeline_title', {
              actor: nameOf(members.get(pair.actorId)),
              mentor: nameOf(members.get(pair.mentorId)),
            }),
            ...timeline.map((e) => timelineLine(e, officer.timeZone, true)!),
          ],
        },
      ];
    }
    if (alert.state !== 'open') return [{ type: 'say', text: [t('alerts:already_resolved')] }];
    const action = {
      by: officer.id,
      byName: nameOf(officer) === '?' ? (officer.identities[0] ?? '') : nameOf(officer),
      at: now,
    };
    let updated: Alert;
    if (what === 'nudge') {
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
      updated = { ...alert, actions: [...alert.actions, { ...action, what: 'nudged' }] };
      await this.d.alerts.save(updated);
    } else if (what === 'snooze') {
      updated = {
        ...alert,
        snoozedUntil: new Date(now.getTime() + 7 * DAY),
        actions: [...alert.actions, { ...action, what: 'snoozed' }],
      };
      await this.d.alerts.save(updated);
    } else if (what === 'triage_wrong' && alert.signal.code === 'note_help' && this.d.markTriageWrong) {
      if (!(await this.d.markTriageWrong(String(alert.signal.triageId), officer, now)))
        return [{ type: 'say', text: [t('common:button_expired')] }];
      updated = { ...alert, actions: [...alert.actions, { ...action, what: 'marked_wrong' }] };
      await this.d.alerts.save(updated);
    } else if (what === 'resolve') {
      updated = { ...alert, state: 'resolved', actions: [...alert.actions, { ...action, what: 'resolved' }] };
      await this.d.alerts.resolve(updated);
      await this.d.timeline.append({
        pairId: pair.id,
        type: 'alert_resolved',
        at: now,
        by: officer.id,
        data: { signal: alert.signalKey },
      });
    } else {
      return [{ type: 'say', text: [t('common:button_expired')] }];
    }
    const text = this.text(updated, pair, members, await this.d.timeline.forPair(pair.id));
    const update: Effect = {
      type: 'update',
      text,
      ...(updated.state === 'open' ? { buttons: { choices: this.choices(updated), columns: 2 } } : {}),
    };
    if (updated.state === 'open') return [update];
    // The note is asked in her own chat, so a group does not wait on one officer's typing.
    const names = { actor: nameOf(members.get(pair.actorId)), mentor: nameOf(members.get(pair.mentorId)) };
    return [
      update,
      {
        type: 'begin',
        flow: 'ask-text',
        args: {
          question: t('alerts:note_ask', names),
          ...handoff(noteOnAlert, 'note', { alertId }),
          optional: true,
          max: 500,
        },
      },
    ];
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
