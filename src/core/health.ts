/** What stall detection says of a pair (`src/services/health.ts` computes it): its health and why. */
export type Signal =
  | { code: 'no_meeting'; days: number; since: Date }
  | { code: 'missed_checkins'; participantId: string; count: number }
  | { code: 'low_rating'; participantId: string; ratings: number[] }
  | { code: 'rating_drop'; participantId: string; from: number; to: number }
  | { code: 'no_commitment'; days: number }
  | { code: 'unreachable'; participantId: string }
  | { code: 'help_requested'; participantId: string; at: Date }
  /** Raised by the completion job, not by `evaluatePair`: the final survey unanswered days after the end. */
  | { code: 'survey_unanswered'; days: number }
  /** A check-in note read as high risk, by the model (its one-line reason) or by the keyword lists. */
  | { code: 'note_help'; participantId: string; at: Date; triageId: string; source: 'ai' | 'keywords'; reason: string };

export type Health = 'on_track' | 'needs_attention' | 'stalled';

export interface Evaluation {
  health: Health;
  signals: Signal[];
  /** When a signal could next appear without anything happening: the job looks at the pair again then. */
  nextEvaluationAt: Date;
}
