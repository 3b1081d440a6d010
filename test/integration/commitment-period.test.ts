import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { i18n } from '../support/i18n.ts';
import { programmeEngine } from '../support/programme-engine.ts';
import { activePair, actorData, mentorData, seed } from '../support/seed.ts';

describe("a plan's period", () => {
  const clock = new ManualClock(new Date('2026-12-01T09:00:00Z'));
  let ctx: Awaited<ReturnType<typeof programmeEngine>>;
  beforeAll(async () => {
    ctx = await programmeEngine('commitment_period', { clock });
  });
  afterAll(() => ctx?.close());

  it('is shown as two dates, six months apart across a change of summer time, without clock times', async () => {
    const { repos, services } = ctx;
    const actor = await seed(repos.participants, actorData('telegram:4001', { firstName: 'Amira' }, 'fi'));
    const mentor = await seed(repos.participants, mentorData('telegram:4002', { firstName: 'Liisa' }, 'fi'));
    const now = clock.now();
    const pair = await activePair(repos.pairs, actor.id, mentor.id, now);
    // Noon in Helsinki in winter; the end falls in summer time.
    const start = '2026-12-01T10:00:00.000Z';
    await services.commitment.draft(
      { pairId: pair.id, aims: ['goal:vocabulary'], frequency: 'weekly', start, months: 6 },
      mentor,
      now,
    );
    const [message] = await repos.outbox.findByKeyPrefix(`commitment:${pair.id}:draft:`);
    const text = message!.text.map((x) => i18n.render(x, 'fi')).join('\n');
    expect(text).toContain('1.12.2026');
    expect(text).toContain('1.6.2027');
    expect(text).not.toMatch(/klo|\d:\d\d|\d\.\d\d(?![\d.])/);
    const stored = await repos.pairs.get(pair.id);
    expect(stored?.commitmentDraft?.plannedEnd).toEqual(new Date('2027-06-01T09:00:00.000Z'));
  });
});
