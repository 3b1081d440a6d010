import { describe, expect, it } from 'vitest';
import type { Participant } from '../../src/core/model.ts';
import { DEFAULT_WEIGHTS, rankMentors } from '../../src/services/matching.ts';
import { NOW, registered } from '../support/flow-driver.ts';

const actor = registered({
  id: 'a1',
  createdAt: new Date(NOW.getTime() - 65 * 86_400_000),
  actor: {
    firstName: 'Amira',
    city: 'Espoo',
    profession: 'Civil engineer',
    education: 'master',
    yearsExperience: 7,
    finnishLevel: 'B1',
    goals: ['vocabulary'],
    languages: ['ar', 'en'],
    availability: ['evenings', 'weekends'],
  },
});

let n = 0;
const mentor = (over: Partial<NonNullable<Participant['mentor']>>, id = `m${++n}`): Participant =>
  registered({
    id,
    role: 'mentor',
    createdAt: new Date(NOW.getTime() - n * 1000),
    mentor: {
      firstName: 'M',
      field: 'Nursing',
      city: 'Oulu',
      languages: ['fi'],
      capacity: 2,
      availability: ['weekday_daytime'],
      ...over,
    },
  });

describe('mentor ranking', () => {
  const codes = (c: { reasons: { code: string }[] }) => c.reasons.map((r) => r.code).sort();

  it.each([
    ['same field', { field: 'civil engineer' }, ['same_field', 'spare_capacity', 'waiting_days']],
    ['related field', { field: 'Software engineering' }, ['related_field', 'spare_capacity', 'waiting_days']],
    ['same city', { city: 'espoo' }, ['same_city', 'spare_capacity', 'waiting_days']],
    ['same region', { city: 'Helsinki' }, ['same_region', 'spare_capacity', 'waiting_days']],
    [
      'shared language other than Finnish',
      { languages: ['fi', 'AR'] },
      ['shared_language', 'spare_capacity', 'waiting_days'],
    ],
    ['availability overlap', { availability: ['weekends'] }, ['availability', 'spare_capacity', 'waiting_days']],
  ] as const)('gives the reason "%s"', (_name, over, expected) => {
    const [c] = rankMentors(actor, [mentor(over as Partial<NonNullable<Participant['mentor']>>)], new Map(), NOW);
    expect(codes(c!)).toEqual([...expected].sort());
  });

  it('adds the weights of each reason', () => {
    const [c] = rankMentors(
      actor,
      [
        mentor({
          field: 'Civil engineer',
          city: 'Espoo',
          languages: ['ar'],
          availability: ['evenings', 'weekends'],
          capacity: 2,
        }),
      ],
      new Map(),
      NOW,
    );
    const w = DEFAULT_WEIGHTS;
    expect(c!.score).toBe(
      w.sameField + w.sameCity + w.sharedLanguage + w.spareCapacity + w.availabilityOverlap + 2 * w.waitingPer30Days,
    );
  });

  it('leaves out mentors with no free place and ranks spare capacity higher', () => {
    const full = mentor({ capacity: 1 }, 'full');
    const half = mentor({ capacity: 2 }, 'half');
    const free = mentor({ capacity: 2 }, 'free');
    const ranked = rankMentors(
      actor,
      [full, half, free],
      new Map([
        ['full', 1],
        ['half', 1],
      ]),
      NOW,
    );
    expect(ranked.map((c) => c.mentor.id)).toEqual(['free', 'half']);
  });

  it('is deterministic: equal scores are ordered by registration time, then id', () => {
    const ms = [mentor({}, 'x2'), mentor({}, 'x1'), mentor({}, 'x3')];
    const once = rankMentors(actor, ms, new Map(), NOW).map((c) => c.mentor.id);
    expect(rankMentors(actor, [...ms].reverse(), new Map(), NOW).map((c) => c.mentor.id)).toEqual(once);
  });

  it('follows configured weights', () => {
    const city = mentor({ city: 'Espoo' }, 'city');
    const field = mentor({ field: 'Civil engineer' }, 'field');
    expect(rankMentors(actor, [city, field], new Map(), NOW)[0]!.mentor.id).toBe('field');
    expect(rankMentors(actor, [city, field], new Map(), NOW, { ...DEFAULT_WEIGHTS, sameCity: 100 })[0]!.mentor.id).toBe(
      'city',
    );
  });
});
