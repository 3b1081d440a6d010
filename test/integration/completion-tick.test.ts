import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { i18n } from '../support/i18n.ts';
import { programmeEngine } from '../support/programme-engine.ts';
import { activePair, actorData, mentorData, seed } from '../support/seed.ts';

const DAY = 86_400_000;

describe('the completion job on the real database', () => {
  const end = new Date('2027-06-01T09:00:00Z'); // a Tuesday, noon in Helsinki
  const clock = new ManualClock(new Date(end.getTime() - 15 * DAY));
  let ctx: Awaited<ReturnType<typeof programmeEngine>>;
  let pairId: string;
  let actorId: string;
  beforeAll(async () => {
    ctx = await programmeEngine('completion_tick', { clock });
    const { repos } = ctx;
    const actor = await seed(repos.participants, actorData('telegram:5101', { firstName: 'Amira' }, 'ar'));
    const mentor = await seed(repos.participants, mentorData('telegram:5102', { firstName: 'Liisa' }, 'fi'));
    actorId = actor.id;
    const start = new Date('2026-12-01T10:00:00Z');
    const pair = await activePair(repos.pairs, actor.id, mentor.id, start);
    await repos.pairs.save({
      ...pair,
      commitment: { aims: ['goal:vocabulary'], frequency: 'weekly', start, plannedEnd: end, draftedBy: actor.id },
    });
    pairId = pair.id;
    // A pair without a plan has no planned end: the job leaves it alone.
    const other = await seed(repos.participants, actorData('telegram:5103', { firstName: 'Sara' }));
    await activePair(repos.pairs, other.id, mentor.id, start);
  });
  afterAll(() => ctx?.close());

  it('two instances ticking at once send each notice and survey once', async () => {
    const { services, repos } = ctx;
    expect(await services.completion.tick(clock.now())).toEqual({ noticed: 0, surveyed: 0, alerted: 0 });
    clock.set(new Date(end.getTime() - 13 * DAY));
    const notices = await Promise.all([services.completion.tick(clock.now()), services.completion.tick(clock.now())]);
    expect(notices.reduce((n, r) => n + r.noticed, 0)).toBe(2);
    clock.set(new Date(end.getTime() + DAY));
    const surveys = await Promise.all([services.completion.tick(clock.now()), services.completion.tick(clock.now())]);
    expect(surveys.reduce((n, r) => n + r.surveyed, 0)).toBe(2);
    expect(await repos.surveys.find({ pairId })).toHaveLength(2);
    expect((await repos.outbox.findByKeyPrefix(`completion:${pairId}:notice:`)).length).toBe(2);
    expect((await repos.outbox.findByKeyPrefix(`survey:${pairId}:`)).length).toBe(2);
    const [toActor] = await repos.outbox.findByKeyPrefix(`survey:${pairId}:${actorId}`);
    expect(i18n.render(toActor!.text[0]!, 'ar')).toContain('Liisa');
  });

  it('no certificate is made for a pair that is not completed, and a forged survey answer changes nothing', async () => {
    const { services, repos } = ctx;
    const actor = (await repos.participants.findById(actorId))!;
    expect(await services.completion.certificate(pairId, actor, i18n)).toBeUndefined();
    const mentor = (await repos.participants.findByIdentity('telegram:5102'))!;
    const forged = await services.completion.answer(
      { surveyId: `survey:${pairId}:${actorId}`, rating: 1, changed: [], wouldMentor: false, wouldRecommend: false },
      mentor,
      clock.now(),
    );
    expect(forged).toEqual({ outcome: 'not_found' });
    expect((await repos.surveys.get(`survey:${pairId}:${actorId}`))?.state).toBe('sent');
    expect((await repos.pairs.get(pairId))?.state).toBe('active');
  });

  it('/closepair before the planned end is refused', async () => {
    const { services, repos } = ctx;
    // The command lets officers only; the service itself checks the pair's end.
    const caller = (await repos.participants.findByIdentity('telegram:5102'))!;
    const sara = (await repos.participants.findByIdentity('telegram:5103'))!;
    const [saraPair] = await repos.pairs.openFor(sara.id);
    expect(await services.completion.close(saraPair!.id, caller, clock.now())).toEqual({ outcome: 'too_early' });
    expect(await services.completion.close('no-such-pair', caller, clock.now())).toEqual({ outcome: 'not_active' });
    expect((await repos.pairs.get(saraPair!.id))?.state).toBe('active');
  });

  it('her survey note is erased with /delete; the counted answers stay for the reports', async () => {
    const { services, repos } = ctx;
    const actor = (await repos.participants.findById(actorId))!;
    const id = `survey:${pairId}:${actorId}`;
    const note = 'Sain töitä Nokialta, kiitos Liisa';
    await services.completion.answer(
      { surveyId: id, rating: 5, changed: ['cv'], wouldMentor: true, wouldRecommend: true, note },
      actor,
      clock.now(),
    );
    expect((await repos.surveys.get(id))?.note).toBe(note);
    // Her own survey is in her /mydata export.
    const mine = (await services.privacy.collect(actor, clock.now())) as {
      finalSurveys: { pairId: string; note?: string }[];
    };
    expect(mine.finalSurveys).toEqual([expect.objectContaining({ pairId, rating: 5, note })]);
    await services.erasure.erase(actor, clock.now(), true);
    const after = await repos.surveys.get(id);
    expect(after).toMatchObject({ state: 'answered', rating: 5, changed: ['cv'] });
    expect(after?.note).toBeUndefined();
  });
});
