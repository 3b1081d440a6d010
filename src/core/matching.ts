import type { Participant } from './model.ts';

/** Why a mentor fits an actor: what the officer reads next to the score. */
export type Reason =
  | { code: 'same_field' | 'related_field' | 'same_city' | 'same_region'; value: string }
  | { code: 'shared_language'; value: string[] }
  | { code: 'spare_capacity'; value: number }
  | { code: 'availability'; value: string[] }
  | { code: 'waiting_days'; value: number };

/** A mentor with a free place, her fit score and its reasons. */
export interface Candidate {
  mentor: Participant;
  score: number;
  reasons: Reason[];
}
