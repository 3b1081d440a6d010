import {
  type CellValue,
  type DateRule,
  median,
  type ProgrammeReport,
  type ReportPair,
  type ReportPeriod,
  type ReportPerson,
  type ReportRow,
  ratio,
  type SurveyOutcome,
  suppressed,
  type TriageRaised,
} from '../../core/report.ts';

const DAY = 86_400_000;

/** Everything one report is computed from, read in bulk beforehand. */
export interface ReportInput {
  scope: 'all' | { city: string };
  period: ReportPeriod;
  now: Date;
  people: ReportPerson[];
  pairs: ReportPair[];
  meetingsHeld: { pairId: string }[];
  groupMeetingsHeld: { cohortId: string; attended: string[] }[];
  checkinsSent: { participantId: string; answered: boolean }[];
  counsellingMade: { participantId: string; topic: string }[];
  pairsWithOpenAlerts: string[];
  cohorts: { id: string; name: string; pairIds: string[] }[];
  triagesRaised: TriageRaised[];
  /** Undefined while no final surveys are stored: those figures read "n/a". */
  surveys?: SurveyOutcome[];
}

const SURVEY_FIGURES = [
  ['survey_cv_done', 'cv'],
  ['survey_applications', 'applications'],
  ['survey_interviews', 'interviews'],
  ['survey_job_or_traineeship', 'jobOrTraineeship'],
  ['survey_studies', 'studies'],
] as const;

/** Declined proposals and a full mentor end a pair before it started: not "ended early". */
const startedBefore = (p: ReportPair, t: Date) => Boolean(p.startedAt && p.startedAt < t);
const finishedBefore = (p: ReportPair, t: Date) => Boolean(p.ending && p.ending.at < t);
const inRange = (d: Date | undefined, period: ReportPeriod) => Boolean(d && d >= period.from && d < period.until);

/** A report's rows, computed in memory from the read model: the pure part, tested on its own. */
export function buildReport(input: ReportInput): ProgrammeReport {
  const { period } = input;
  const personById = new Map(input.people.map((p) => [p.id, p]));
  const cityOfPerson = (id: string) => personById.get(id)?.city;
  const cityOfPair = (p: ReportPair) => cityOfPerson(p.actorId);
  const cities =
    input.scope === 'all'
      ? [...new Set(input.people.map((p) => p.city))].sort((a, b) => a.localeCompare(b, 'fi'))
      : [input.scope.city];
  const scopes: { name: string; has: (city: string | undefined) => boolean }[] = [
    ...(input.scope === 'all' ? [{ name: 'all', has: () => true }] : []),
    ...cities.map((c) => ({ name: c, has: (city: string | undefined) => city === c })),
  ];
  const rows: ReportRow[] = [];
  for (const s of scopes) {
    const add = (figure: string, rule: DateRule, value: CellValue, breakdown = '') =>
      rows.push({ scope: s.name, figure, breakdown, rule, value });
    const people = input.people.filter((p) => s.has(p.city));
    const actors = people.filter((p) => p.role === 'actor');
    const pairs = input.pairs.filter((p) => s.has(cityOfPair(p)));

    add(
      'actors_registered',
      'registered_in_period',
      suppressed(actors.filter((a) => inRange(a.registeredAt, period)).length),
    );
    const waitingDays = waitingAtEnd(actors, input.pairs, period.until);
    add('actors_waiting', 'at_end', suppressed(waitingDays.length));
    add('median_days_waiting', 'at_end', ratio(median(waitingDays) * waitingDays.length, waitingDays.length, 1));

    add('pairs_proposed', 'proposed_in_period', suppressed(pairs.filter((p) => inRange(p.proposedAt, period)).length));
    add('pairs_started', 'started_in_period', suppressed(pairs.filter((p) => inRange(p.startedAt, period)).length));
    const activeDuring = pairs.filter((p) => startedBefore(p, period.until) && !finishedBefore(p, period.from));
    add('pairs_active_during', 'active_during', suppressed(activeDuring.length));
    add(
      'pairs_active_at_end',
      'active_at_end',
      suppressed(pairs.filter((p) => startedBefore(p, period.until) && !finishedBefore(p, period.until)).length),
    );
    const finished = pairs.filter((p) => p.startedAt && inRange(p.ending?.at, period));
    add(
      'pairs_completed',
      'finished_in_period',
      suppressed(finished.filter((p) => p.ending!.outcome === 'completed').length),
    );
    const early = finished.filter((p) => p.ending!.outcome === 'ended');
    add('pairs_ended_early', 'finished_in_period', suppressed(early.length));
    for (const [reason, n] of countBy(early.map((p) => p.ending!.reason ?? 'other')))
      add('pairs_ended_early', 'finished_in_period', suppressed(n), reason);
    const alerted = new Set(input.pairsWithOpenAlerts);
    add('pairs_stalled', 'now', suppressed(pairs.filter((p) => p.state === 'active' && alerted.has(p.id)).length));

    const activeIds = new Set(activeDuring.map((p) => p.id));
    const held = input.meetingsHeld.filter((m) => activeIds.has(m.pairId)).length;
    add('meetings_held', 'held_in_period', held);
    add('meetings_held_per_active_pair', 'held_in_period', ratio(held, activeDuring.length));

    const sent = input.checkinsSent.filter((c) => s.has(cityOfPerson(c.participantId)));
    add('checkins_sent', 'sent_in_period', suppressed(sent.length));
    add('checkin_response_rate', 'sent_in_period', ratio(sent.filter((c) => c.answered).length, sent.length));

    for (const cohort of input.cohorts) {
      const own = input.pairs.filter((p) => cohort.pairIds.includes(p.id));
      if (!own.some((p) => s.has(cityOfPair(p)))) continue;
      const label = `cohort ${cohort.name}`;
      const members = own.flatMap((p) => [p.actorId, p.mentorId]);
      const meetings = input.groupMeetingsHeld.filter((m) => m.cohortId === cohort.id);
      add('group_meetings_held', 'held_in_period', meetings.length, label);
      const present = meetings.reduce((n, m) => n + m.attended.filter((id) => members.includes(id)).length, 0);
      add(
        'group_attendance_rate',
        'held_in_period',
        meetings.length ? ratio(present, members.length * meetings.length) : 'n/a',
        label,
      );
      const started = own.filter((p) => startedBefore(p, period.until));
      const completed = started.filter((p) => p.ending?.outcome === 'completed' && p.ending.at < period.until).length;
      add('completion_rate', 'cohort_by_end', ratio(completed, started.length), label);
    }

    const surveys = input.surveys?.filter((x) => s.has(cityOfPerson(x.participantId)));
    add('survey_answers', 'answered_in_period', surveys ? suppressed(surveys.length) : 'n/a');
    for (const [figure, field] of SURVEY_FIGURES)
      add(figure, 'answered_in_period', surveys ? suppressed(surveys.filter((x) => x[field]).length) : 'n/a');

    const requests = input.counsellingMade.filter((r) => s.has(cityOfPerson(r.participantId)));
    add('counselling_requests', 'made_in_period', suppressed(requests.length));
    for (const [topic, n] of countBy(requests.map((r) => r.topic)))
      add('counselling_requests', 'made_in_period', suppressed(n), topic);

    // How often the reading of a note was right, as the officers judged it: per source, the model or the keywords.
    const raised = input.triagesRaised.filter((x) => s.has(cityOfPerson(x.participantId)));
    add('triage_raised', 'made_in_period', suppressed(raised.length));
    add('triage_marked_wrong', 'made_in_period', suppressed(raised.filter((x) => x.markedWrong).length));
    for (const source of ['ai', 'keywords'] as const) {
      const own = raised.filter((x) => x.source === source);
      add('triage_raised', 'made_in_period', suppressed(own.length), source);
      add('triage_precision', 'made_in_period', ratio(own.filter((x) => !x.markedWrong).length, own.length), source);
    }

    const mentors = people.filter((p) => p.role === 'mentor' && p.registeredAt < period.until);
    add('mentors', 'at_end', suppressed(mentors.length));
    const load = new Map(mentors.map((m) => [m.id, 0]));
    for (const p of input.pairs) {
      if (load.has(p.mentorId) && startedBefore(p, period.until) && !finishedBefore(p, period.until))
        load.set(p.mentorId, load.get(p.mentorId)! + 1);
    }
    for (const n of [0, 1, 2, 3])
      add('mentors_by_load', 'at_end', suppressed([...load.values()].filter((v) => v === n).length), `${n} pairs`);
    const loads = [...load.values()];
    add(
      'mentor_load_average',
      'at_end',
      ratio(
        loads.reduce((a, b) => a + b, 0),
        loads.length,
      ),
    );
  }
  return { scope: input.scope, period, madeAt: input.now, rows, surveysAvailable: Boolean(input.surveys) };
}

/**
 * Days each actor has waited at `t`: registered before it, in no proposed or active pair then, none completed,
 * not gone.
 */
function waitingAtEnd(actors: ReportPerson[], pairs: ReportPair[], t: Date): number[] {
  const byActor = new Map<string, ReportPair[]>();
  for (const p of pairs) byActor.set(p.actorId, [...(byActor.get(p.actorId) ?? []), p]);
  const days: number[] = [];
  for (const a of actors) {
    if (a.registeredAt >= t || a.status === 'left') continue;
    const own = (byActor.get(a.id) ?? []).filter((p) => p.proposedAt < t);
    // In a pair, or through the programme: a completed actor is not waiting for a mentor.
    if (own.some((p) => !finishedBefore(p, t) || p.ending?.outcome === 'completed')) continue;
    const since = Math.max(a.registeredAt.getTime(), ...own.map((p) => p.ending!.at.getTime()));
    days.push(Math.floor((t.getTime() - since) / DAY));
  }
  return days;
}

function countBy(values: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
}
