import type { Alert, Commitment, CounsellingRequest, Meeting, MeetingState, Pair, PairState } from './programme.ts';
import type { PairEnding, SurveyOutcome } from './report.ts';

/**
 * A pair's documentation as data: what the Markdown (and later a PDF) are made from. The partners'
 * copy never holds private notes to officers nor counselling requests; an officer's copy holds private
 * notes only when she asked for them, and that read is in the audit log.
 */
export type Side = 'actor' | 'mentor';

export interface PairRecord {
  pairId: string;
  audience: 'partner' | 'officer';
  withPrivateNotes: boolean;
  madeAt: Date;
  /** The reader's zone: dates are shown in it. */
  timeZone: string;
  actor: { name: string; city: string };
  mentor: { name: string; city: string };
  state: PairState;
  startedAt?: Date;
  ending?: PairEnding;
  commitment?: Pick<Commitment, 'aims' | 'note' | 'frequency' | 'start' | 'plannedEnd'>;
  meetings: { at: Date; state: MeetingState; place?: string; topics: string[] }[];
  checkins: {
    at: Date;
    side: Side;
    round: number;
    state: 'sent' | 'answered' | 'missed';
    met?: string;
    rating?: number;
    note?: string;
    privateNote?: string;
  }[];
  groupMeetings: { number?: number; at: Date; attended: Side[] }[];
  alerts: {
    signal: string;
    openedAt: Date;
    state: Alert['state'];
    actions: { what: string; at: Date; by?: string; note?: string }[];
  }[];
  /** Officers only. */
  counselling?: { side: Side; topic: string; urgency: string; state: string; at: Date; message?: string }[];
  /** Final-survey answers, once the completion work stores them. */
  survey?: SurveyOutcome[];
}

/** Who read whose personal data, and when (GDPR: reads of private notes, exports). */
export interface AuditEntry {
  actorId: string;
  subjectId: string;
  what: string;
  at: Date;
  /** The record read, e.g. the pair. */
  ref?: string;
}

export interface AuditPort {
  record(entry: AuditEntry): Promise<void>;
}

/** What a pair's documentation reads beyond the repositories every service has. */
export interface DocumentationSource {
  /** Her pairs in any state, newest first. */
  pairsOf(participantId: string): Promise<Pair[]>;
  /** A pair's own meetings, or a cohort's group meetings, by time. */
  meetingsOf(filter: { pairId: string } | { cohortId: string }): Promise<Meeting[]>;
  alertsOf(pairId: string): Promise<Alert[]>;
  counsellingBy(participantIds: readonly string[]): Promise<CounsellingRequest[]>;
  /** Absent until final surveys are stored. */
  surveysOf?(pairId: string): Promise<SurveyOutcome[]>;
}
