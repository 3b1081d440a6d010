import type { PairRecord } from '../../src/core/documentation.ts';
import type { Text } from '../../src/core/flow.ts';
import { literal, t } from '../../src/core/flow.ts';

/** One line of the file: pieces rendered in the reader's language and joined. */
export type Line = Text[];

/** What a person typed, made inert in Markdown: no heading, link, emphasis or HTML of hers takes effect. */
export const escapeMarkdown = (s: string): Text =>
  literal(
    s
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/([\\`*_[\]<>#|~])/g, '\\$1'),
  );

const on = (at: Date, timeZone: string, dayOnly = false): Text =>
  t('documents:date', { when: { date: at.toISOString(), timeZone, dayOnly } });
const heading = (key: string): Line[] => [[], [literal('## '), t(key)], []];
const item = (...pieces: Text[]): Line => [literal('- '), ...pieces];
const aim = (a: string): Text =>
  a.startsWith('goal:') ? t(`registration:goals.options.${a.slice(5)}`) : escapeMarkdown(a);

/**
 * A pair's documentation as Markdown lines: commitment and aims, meetings with topics, check-in ratings
 * over time, group meetings attended, alerts and what was done, the outcome. What the record holds is
 * what is shown: the service has already left out what this reader may not see.
 */
export function pairRecordMarkdown(r: PairRecord): Line[] {
  const tz = r.timeZone;
  const copy =
    r.audience === 'partner'
      ? 'documents:copy.partner'
      : r.withPrivateNotes
        ? 'documents:copy.officer_private'
        : 'documents:copy.officer';
  const lines: Line[] = [
    [literal('# '), t('documents:title', { actor: r.actor.name, mentor: r.mentor.name })],
    [],
    [t('documents:made', { when: { date: r.madeAt.toISOString(), timeZone: tz } })],
    [t(copy)],
    ...heading('documents:h.commitment'),
  ];
  const c = r.commitment;
  if (c) {
    lines.push(item(t('documents:aims'), ...c.aims.flatMap((a, i) => [literal(i ? '; ' : ' '), aim(a)])));
    lines.push(item(t('documents:frequency', { value: t(`pairs:commitment.frequency.${c.frequency}`) })));
    lines.push(item(t('documents:plan', { start: on(c.start, tz, true), end: on(c.plannedEnd, tz, true) })));
    if (c.note) lines.push(item(escapeMarkdown(c.note)));
  } else lines.push([t('documents:none')]);

  lines.push(...heading('documents:h.meetings'));
  const count = (states: string[]) => r.meetings.filter((m) => states.includes(m.state)).length;
  lines.push([
    t('documents:meeting_counts', {
      planned: count(['proposed', 'accepted']),
      held: count(['held']),
      cancelled: count(['cancelled', 'missed']),
    }),
  ]);
  for (const m of r.meetings) {
    const topics = m.topics.map((x) => t(`meetings:topics.${x}`));
    lines.push(
      item(
        on(m.at, tz),
        literal(' – '),
        t(`documents:meeting.${m.state}`),
        ...(m.place ? [literal(' – '), escapeMarkdown(m.place)] : []),
        ...(topics.length ? [literal(' – '), t('documents:topics', { value: topics })] : []),
      ),
    );
  }

  lines.push(...heading('documents:h.checkins'));
  if (!r.checkins.length) lines.push([t('documents:none')]);
  for (const x of r.checkins) {
    const side = t(`documents:side.${x.side}`, { name: x.side === 'actor' ? r.actor.name : r.mentor.name });
    const answer =
      x.state === 'answered'
        ? [
            t('documents:rating', { rating: x.rating ?? '–' }),
            ...(x.met ? [literal(', '), t(`documents:met.${x.met}`)] : []),
          ]
        : [t(`documents:checkin.${x.state}`)];
    lines.push(
      item(
        on(x.at, tz, true),
        literal(' – '),
        side,
        literal(': '),
        ...answer,
        ...(x.note ? [literal(' – '), escapeMarkdown(x.note)] : []),
      ),
    );
    if (x.privateNote)
      lines.push([literal('  - 🔒 '), t('documents:private_note'), literal(' '), escapeMarkdown(x.privateNote)]);
  }

  lines.push(...heading('documents:h.group'));
  if (!r.groupMeetings.length) lines.push([t('documents:none')]);
  for (const g of r.groupMeetings) {
    const who = g.attended.map((s) => t(`documents:side.${s}`, { name: s === 'actor' ? r.actor.name : r.mentor.name }));
    lines.push(
      item(
        t('documents:group_meeting', { number: g.number ?? '–' }),
        literal(' – '),
        on(g.at, tz, true),
        literal(': '),
        who.length ? t('documents:attended', { value: who }) : t('documents:nobody'),
      ),
    );
  }

  lines.push(...heading('documents:h.alerts'));
  if (!r.alerts.length) lines.push([t('documents:none')]);
  for (const a of r.alerts) {
    lines.push(
      item(
        on(a.openedAt, tz, true),
        literal(' – '),
        t(`documents:signal.${a.signal}`),
        literal(' – '),
        t(`documents:alert.${a.state}`),
      ),
    );
    for (const act of a.actions) {
      lines.push([
        literal('  - '),
        on(act.at, tz, true),
        literal(' '),
        t(`documents:action.${act.what}`),
        ...(act.by ? [literal(` (${act.by})`)] : []),
        ...(act.note ? [literal(': '), escapeMarkdown(act.note)] : []),
      ]);
    }
  }

  if (r.counselling) {
    lines.push(...heading('documents:h.counselling'));
    if (!r.counselling.length) lines.push([t('documents:none')]);
    for (const q of r.counselling) {
      const side = t(`documents:side.${q.side}`, { name: q.side === 'actor' ? r.actor.name : r.mentor.name });
      lines.push(
        item(
          on(q.at, tz, true),
          literal(' – '),
          side,
          literal(': '),
          t(`counselling:topic.${q.topic}`),
          literal(', '),
          t(`counselling:urgency.${q.urgency}`),
          literal(' – '),
          t(`documents:request.${q.state}`),
          ...(q.message ? [literal(' – 🔒 '), escapeMarkdown(q.message)] : []),
        ),
      );
    }
  }

  lines.push(...heading('documents:h.outcome'));
  if (r.startedAt) lines.push(item(t('documents:started', { when: on(r.startedAt, tz, true) })));
  if (r.ending)
    lines.push(
      item(
        t(`documents:state.${r.ending.outcome}`),
        literal(' '),
        on(r.ending.at, tz, true),
        ...(r.ending.reason ? [literal(' – '), escapeMarkdown(r.ending.reason)] : []),
      ),
    );
  else lines.push(item(t(`documents:state.${r.state}`)));
  for (const s of r.survey ?? []) {
    const changed = (['cv', 'applications', 'interviews', 'jobOrTraineeship', 'studies'] as const)
      .filter((k) => s[k])
      .map((k) => t(`documents:survey.${k}`));
    lines.push(
      item(
        t('documents:survey.line', {
          when: on(s.answeredAt, tz, true),
          value: changed.length ? changed : [t('documents:none')],
        }),
      ),
    );
  }
  return lines;
}
