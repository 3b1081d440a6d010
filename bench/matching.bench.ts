import type { Participant } from '../src/core/model.ts';
import { rankMentors } from '../src/services/matching.ts';

const CITIES = ['Helsinki', 'Espoo', 'Tampere', 'Turku', 'Oulu', 'Vantaa', 'Kuopio', 'Lahti'];
const FIELDS = [
  'Civil engineering',
  'Nursing',
  'Software development',
  'Accounting',
  'Teaching',
  'Pharmacy',
  'Marketing',
  'Architecture',
];
const at = new Date('2026-06-01T00:00:00Z');

function mentor(i: number): Participant {
  return {
    id: `m${i}`,
    role: 'mentor',
    identities: [`telegram:${i}`],
    addresses: {},
    locale: 'fi',
    timeZone: 'Europe/Helsinki',
    status: 'waiting',
    consent: { given: true, textVersion: 'v', at },
    createdAt: new Date(at.getTime() + i * 1000),
    updatedAt: at,
    mentor: {
      firstName: `M${i}`,
      field: FIELDS[i % FIELDS.length]!,
      city: CITIES[(i * 7) % CITIES.length]!,
      languages: i % 3 ? ['fi', 'en'] : ['fi', 'ar'],
      capacity: 1 + (i % 3),
      availability: i % 2 ? ['evenings'] : ['weekends', 'weekday_daytime'],
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Ranking 2,000 mentors for one actor; the baseline is ranking 20 (the per-call overhead). */
export async function benchMatching(): Promise<void> {
  const actor: Participant = {
    ...mentor(0),
    id: 'a',
    role: 'actor',
    mentor: undefined as never,
    actor: {
      firstName: 'A',
      city: 'Espoo',
      profession: 'Civil engineer',
      education: 'master',
      yearsExperience: 5,
      finnishLevel: 'B1',
      goals: ['vocabulary'],
      languages: ['ar', 'en'],
      availability: ['evenings'],
    },
  };
  const all = Array.from({ length: 2000 }, (_, i) => mentor(i + 1));
  const taken = new Map(all.filter((_, i) => i % 4 === 0).map((m) => [m.id, 1]));
  const now = new Date('2026-11-25T00:00:00Z');
  const time = (mentors: Participant[]) => {
    const runs: number[] = [];
    for (let r = 0; r < 30; r++) {
      const t0 = performance.now();
      rankMentors(actor, mentors, taken, now);
      runs.push(performance.now() - t0);
    }
    return median(runs);
  };
  time(all); // warm up
  const big = time(all);
  const small = time(all.slice(0, 20));
  console.log(
    `matching: ranking 2,000 mentors takes ${big.toFixed(2)} ms (target well under 100 ms); ${(big / small).toFixed(1)}x the time for 20 mentors`,
  );
}
