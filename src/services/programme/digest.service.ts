import { z } from 'zod';
import type { Text } from '../../core/flow.ts';
import { literal, t } from '../../core/flow.ts';
import type { Locale, Participant } from '../../core/model.ts';
import type {
  AiPort,
  AlertRepository,
  Logger,
  PairRepository,
  ParticipantRepository,
  TimelineRepository,
} from '../../core/ports.ts';
import type { Alert, Pair, TimelineEvent } from '../../core/programme.ts';
import { redact } from '../redactor.ts';
import { nameOf } from './labels.ts';
import type { Notifier } from './notifier.ts';
import { AiConsentService } from './ai-consent.service.ts';

const DAY = 86_400_000;
const LANGUAGE_NAMES: Record<Locale, string> = {
  en: 'English',
  fi: 'Finnish',
  ru: 'Russian',
  uk: 'Ukrainian',
  ar: 'Arabic',
};
const COUNTED = ['activated', 'meeting_held', 'checkin_answered', 'checkin_missed', 'ended'] as const;

export const DigestAnswer = z.object({ summary: z.string().min(1).max(800) });

export interface DigestDeps {
  ai: AiPort;
  participants: ParticipantRepository;
  pairs: PairRepository;
  timeline: TimelineRepository;
  alerts: AlertRepository;
  notifier: Notifier;
  logger: Logger;
}

interface PairFacts {
  pair: Pair;
  members: [Participant | undefined, Participant | undefined];
  alerts: Alert[];
  week: TimelineEvent[];
}

/**
 * Every Monday each officer gets the pairs needing attention with why, and what changed in the week.
 * The facts always come from a template; with the model, a short summary in her language is put on top,
 * written from the facts of pairs whose both members agreed to AI, under placeholders [PAIR1] ... that are
 * replaced by the names only here, after the answer.
 */
export class DigestService {
  constructor(private readonly d: DigestDeps) {}

  async weekly(now: Date): Promise<number> {
    const since = new Date(now.getTime() - 7 * DAY);
    const open = await this.d.alerts.listOpen();
    const pairIds = [...new Set(open.map((a) => a.pairId))];
    const facts: PairFacts[] = [];
    for (const id of pairIds) {
      const pair = await this.d.pairs.get(id);
      if (!pair) continue;
      const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
      const week = (await this.d.timeline.forPair(id)).filter((e) => new Date(e.at) >= since);
      facts.push({
        pair,
        members: [members.get(pair.actorId), members.get(pair.mentorId)],
        alerts: open.filter((a) => a.pairId === id),
        week,
      });
    }
    const totals = await this.weekTotals(since);
    const week = isoWeek(now);
    const summaries = new Map<Locale, string | undefined>();
    let sent = 0;
    for (const officer of await this.d.participants.list('officer', ['waiting', 'paired'])) {
      if (!summaries.has(officer.locale)) summaries.set(officer.locale, await this.summary(facts, officer.locale));
      const summary = summaries.get(officer.locale);
      const text: Text[] = [
        t('digest:title'),
        ...(summary ? [literal(summary), t('digest:ai_made')] : []),
        ...(facts.length ? facts.map((f) => this.line(f)) : [t('digest:no_attention')]),
        t('digest:week', totals),
      ];
      if (
        await this.d.notifier.send(
          { key: `digest:${week}:${officer.id}`, recipientId: officer.id, due: now, text },
          now,
        )
      )
        sent++;
    }
    this.d.logger.info({ sent, pairs: facts.length, ai: [...summaries.values()].some(Boolean) }, 'weekly digest');
    return sent;
  }

  /** The template's line for one pair: names, open signals, and the week's activity. */
  private line(f: PairFacts): Text {
    const signals = [...new Set(f.alerts.map((a) => String(a.signal.code)))].map((c) => t(`digest:signal.${c}`));
    return t('digest:pair', {
      actor: nameOf(f.members[0]),
      mentor: nameOf(f.members[1]),
      signals,
      events: f.week.length,
    });
  }

  private async weekTotals(since: Date): Promise<Record<string, number>> {
    const totals: Record<string, number> = Object.fromEntries(COUNTED.map((c) => [c, 0]));
    for (const pair of await this.d.pairs.list(['active', 'completed', 'ended'])) {
      for (const e of await this.d.timeline.forPair(pair.id))
        if (new Date(e.at) >= since && e.type in totals) totals[e.type]!++;
    }
    return totals;
  }

  /** The model's summary in this language, or undefined: the template alone then. */
  private async summary(facts: PairFacts[], locale: Locale): Promise<string | undefined> {
    if (!this.d.ai.enabled('digest')) return undefined;
    const allowed = facts.filter((f) => f.members.every((m) => AiConsentService.allowsAi(m)));
    if (!allowed.length) return undefined;
    const names: Record<string, string> = {};
    const lines = allowed.map((f, i) => {
      const key = `[PAIR${i + 1}]`;
      names[key] = `${nameOf(f.members[0])} & ${nameOf(f.members[1])}`;
      const signals = f.alerts.map((a) => a.signalKey.split(':')[0]).join(', ');
      const week = f.week.map((e) => e.type).join(', ') || 'nothing';
      return `${key}: open signals: ${signals}; this week: ${week}`;
    });
    // Only codes and placeholders are in the facts; redaction is the guard should a name ever slip in.
    const known = allowed.flatMap((f) =>
      f.members.map((m) => ({ role: 'other' as const, names: [nameOf(m), m?.displayName] })),
    );
    const redacted = redact(lines.join('\n'), known);
    if (!redacted.ok) return undefined;
    const answer = await this.d.ai.complete({
      feature: 'digest',
      system:
        `Write a short weekly summary (at most 4 sentences) in ${LANGUAGE_NAMES[locale]} for mentoring programme ` +
        'officers: which pairs need attention first and why. Refer to pairs only by their placeholders such as [PAIR1].',
      user: redacted.text,
      schema: DigestAnswer,
      schemaName: 'weekly_digest',
    });
    if (!answer.ok) return undefined;
    return answer.value.summary.replace(/\[PAIR\d+\]/g, (p) => names[p] ?? p);
  }
}

/** `2027-W06`: one digest per officer and week. */
export function isoWeek(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const start = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d.getTime() - start.getTime()) / DAY + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
