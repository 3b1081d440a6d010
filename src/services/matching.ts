import type { Candidate, Reason } from '../core/matching.ts';
import type { Participant } from '../core/model.ts';

/** Weights of the fit score; configurable (MATCH_WEIGHTS) so the programme can tune them. */
export interface MatchWeights {
  sameField: number;
  relatedField: number;
  sameCity: number;
  sameRegion: number;
  sharedLanguage: number;
  spareCapacity: number;
  availabilityOverlap: number;
  /** Per 30 days the actor has waited; the score of every candidate of a long waiter rises alike. */
  waitingPer30Days: number;
}

export const DEFAULT_WEIGHTS: MatchWeights = {
  sameField: 40,
  relatedField: 20,
  sameCity: 25,
  sameRegion: 12,
  sharedLanguage: 15,
  spareCapacity: 10,
  availabilityOverlap: 10,
  waitingPer30Days: 5,
};

export type { Candidate, Reason } from '../core/matching.ts';

/** Regions of the common municipalities (maakunta), so that Espoo and Helsinki count as near. */
const REGION: Record<string, string> = {
  helsinki: 'uusimaa',
  espoo: 'uusimaa',
  vantaa: 'uusimaa',
  kauniainen: 'uusimaa',
  kerava: 'uusimaa',
  järvenpää: 'uusimaa',
  porvoo: 'uusimaa',
  lohja: 'uusimaa',
  hyvinkää: 'uusimaa',
  tampere: 'pirkanmaa',
  nokia: 'pirkanmaa',
  ylöjärvi: 'pirkanmaa',
  kangasala: 'pirkanmaa',
  lempäälä: 'pirkanmaa',
  turku: 'varsinais-suomi',
  kaarina: 'varsinais-suomi',
  raisio: 'varsinais-suomi',
  salo: 'varsinais-suomi',
  oulu: 'pohjois-pohjanmaa',
  kempele: 'pohjois-pohjanmaa',
  jyväskylä: 'keski-suomi',
  lahti: 'päijät-häme',
  kuopio: 'pohjois-savo',
  pori: 'satakunta',
  rauma: 'satakunta',
  vaasa: 'pohjanmaa',
  joensuu: 'pohjois-karjala',
  rovaniemi: 'lappi',
  seinäjoki: 'etelä-pohjanmaa',
  kotka: 'kymenlaakso',
  kouvola: 'kymenlaakso',
  lappeenranta: 'etelä-karjala',
  hämeenlinna: 'kanta-häme',
  mikkeli: 'etelä-savo',
};

const STOP = new Set(['and', 'ja', 'of', 'the', 'in', 'for', 'och', 'и', 'і', 'в']);
const words = (s: string) =>
  new Set(
    s
      .toLocaleLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 2 && !STOP.has(w))
      // "engineering" and "engineer", "nurse" and "nursing" share a stem of five letters.
      .map((w) => w.slice(0, 5)),
  );

function fieldFit(actorField: string, mentorField: string): 'same' | 'related' | null {
  const a = actorField.trim().toLocaleLowerCase();
  const m = mentorField.trim().toLocaleLowerCase();
  if (a === m) return 'same';
  const wa = words(a);
  const wm = words(m);
  const shared = [...wa].filter((w) => wm.has(w)).length;
  if (shared && shared === Math.min(wa.size, wm.size)) return 'same';
  return shared ? 'related' : null;
}

/**
 * Ranks mentors for one actor: a pure, deterministic function (ties broken by longer registration,
 * then id). `taken` is how many places of each mentor are in use.
 */
export function rankMentors(
  actor: Participant,
  mentors: readonly Participant[],
  taken: ReadonlyMap<string, number>,
  now: Date,
  w: MatchWeights = DEFAULT_WEIGHTS,
): Candidate[] {
  const a = actor.actor;
  if (!a) return [];
  const actorCity = a.city.trim().toLocaleLowerCase();
  const actorLanguages = new Set(a.languages.map((l) => l.toLocaleLowerCase()).filter((l) => l !== 'fi'));
  const waitingDays = Math.max(0, Math.floor((now.getTime() - actor.createdAt.getTime()) / 86_400_000));
  const waitBonus = Math.floor(waitingDays / 30) * w.waitingPer30Days;
  const out: Candidate[] = [];
  for (const mentor of mentors) {
    const m = mentor.mentor;
    if (!m) continue;
    const free = m.capacity - (taken.get(mentor.id) ?? 0);
    if (free <= 0) continue;
    const reasons: Reason[] = [];
    let score = waitBonus;
    const add = (points: number, reason: Reason) => {
      score += points;
      reasons.push(reason);
    };
    const fit = fieldFit(a.profession, m.field);
    if (fit === 'same') add(w.sameField, { code: 'same_field', value: m.field });
    if (fit === 'related') add(w.relatedField, { code: 'related_field', value: m.field });
    const mentorCity = m.city.trim().toLocaleLowerCase();
    if (mentorCity === actorCity) add(w.sameCity, { code: 'same_city', value: m.city });
    else if (REGION[mentorCity] && REGION[mentorCity] === REGION[actorCity]) {
      add(w.sameRegion, { code: 'same_region', value: m.city });
    }
    const shared = m.languages.filter((l) => actorLanguages.has(l.toLocaleLowerCase()));
    if (shared.length) add(w.sharedLanguage, { code: 'shared_language', value: shared });
    add(w.spareCapacity * (free / m.capacity), { code: 'spare_capacity', value: free });
    const overlap = m.availability.filter((x) => a.availability.includes(x));
    if (overlap.length) {
      add(w.availabilityOverlap * (overlap.length / a.availability.length), { code: 'availability', value: overlap });
    }
    if (waitBonus) reasons.push({ code: 'waiting_days', value: waitingDays });
    out.push({ mentor, score: Math.round(score * 10) / 10, reasons });
  }
  return out.sort(
    (x, y) =>
      y.score - x.score ||
      x.mentor.createdAt.getTime() - y.mentor.createdAt.getTime() ||
      x.mentor.id.localeCompare(y.mentor.id),
  );
}
