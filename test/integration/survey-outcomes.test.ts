import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgramme } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { FinalSurvey } from '../../src/core/programme.ts';
import { testModels } from '../support/database.ts';

const at = (iso: string) => new Date(`${iso}T10:00:00Z`);

describe("final survey answers feed the reports and a pair's documentation", () => {
  let close: () => Promise<void>;
  let repos: ReturnType<typeof buildProgramme>['repos'];
  beforeAll(async () => {
    const { connection, m } = await testModels('survey_outcomes');
    close = () => connection.close();
    repos = buildProgramme(m, loadConfig({})).repos;
    const answered = (
      id: string,
      pairId: string,
      role: FinalSurvey['role'],
      when: string,
      changed: FinalSurvey['changed'],
    ): FinalSurvey => ({
      id: `survey:${pairId}:${id}`,
      pairId,
      participantId: id,
      role,
      state: 'answered',
      sentAt: at(when),
      answeredAt: at(when),
      rating: 4,
      wouldMentor: true,
      wouldRecommend: true,
      ...(changed ? { changed } : {}),
    });
    for (const s of [
      answered('a1', 'p1', 'actor', '2027-01-10', ['cv', 'job_or_traineeship', 'networks']),
      answered('m1', 'p1', 'mentor', '2027-01-11', undefined),
      answered('a2', 'p2', 'actor', '2027-02-10', ['studies']),
      answered('a3', 'p3', 'actor', '2027-05-10', ['interviews']),
      {
        id: 'survey:p4:a4',
        pairId: 'p4',
        participantId: 'a4',
        role: 'actor',
        state: 'sent',
        sentAt: at('2027-01-20'),
      } satisfies FinalSurvey,
    ]) {
      expect(await repos.surveys.insert(s)).toBe(true);
    }
  });
  afterAll(() => close?.());

  it("the report reads actors' answers in the period, each change as a yes or no", async () => {
    const rows = await repos.reportSource.surveysAnswered(at('2027-01-01'), at('2027-04-01'));
    expect(rows.sort((a, b) => a.participantId.localeCompare(b.participantId))).toEqual([
      {
        participantId: 'a1',
        pairId: 'p1',
        answeredAt: at('2027-01-10'),
        cv: true,
        applications: false,
        interviews: false,
        jobOrTraineeship: true,
        studies: false,
      },
      {
        participantId: 'a2',
        pairId: 'p2',
        answeredAt: at('2027-02-10'),
        cv: false,
        applications: false,
        interviews: false,
        jobOrTraineeship: false,
        studies: true,
      },
    ]);
  });

  it("a pair's documentation gets its actor's answered survey, and nothing for a survey not answered", async () => {
    expect((await repos.documentationSource.surveysOf('p1')).map((s) => s.participantId)).toEqual(['a1']);
    expect(await repos.documentationSource.surveysOf('p4')).toEqual([]);
  });
});
