import type { mongo } from 'mongoose';
import { FinalSurvey } from '../../src/core/programme.ts';
import type { SurveyOutcome } from '../../src/core/report.ts';
import { guard } from './connection.ts';
import { type CollectionSource, fromDocuments } from './documents.ts';

/**
 * The actors' answered final surveys as the reports and a pair's documentation read them: what changed
 * for her. A mentor's survey has no outcomes (she is not asked them), so it is not one of these.
 */
export function answeredOutcomes(db: CollectionSource, filter: mongo.Filter<mongo.Document>): Promise<SurveyOutcome[]> {
  return guard(async () => {
    const docs = await db
      .collection('final_surveys')
      .find({ ...filter, role: 'actor', state: 'answered' })
      .toArray();
    return fromDocuments(FinalSurvey, 'final_surveys', docs as { _id: unknown }[]).map((s) => {
      const changed = new Set(s.changed ?? []);
      return {
        participantId: s.participantId,
        pairId: s.pairId,
        answeredAt: s.answeredAt ?? s.sentAt,
        cv: changed.has('cv'),
        applications: changed.has('applications'),
        interviews: changed.has('interviews'),
        jobOrTraineeship: changed.has('job_or_traineeship'),
        studies: changed.has('studies'),
      };
    });
  });
}
