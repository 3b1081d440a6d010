import type { ActorProfile, MentorProfile } from '../../src/core/model.ts';
import type { NewParticipant, PairRepository, ParticipantRepository } from '../../src/core/ports.ts';
/**
 * Seeded people agreed to the notice the bot shows by default (CONSENT_VERSION's default), so they are not
 * asked again; test/unit/privacy.test.ts checks the two stay equal.
 */
export const SEEDED_CONSENT_VERSION = '2026-11';
const consent = (at: Date) => ({ given: true, textVersion: SEEDED_CONSENT_VERSION, at });

/** A registered participant waiting for a match, reachable at her identity. */
const base = (role: NewParticipant['role'], identity: string, locale: NewParticipant['locale']): NewParticipant => ({
  role,
  identities: [identity],
  addresses: { [identity.split(':')[0]!]: identity },
  locale,
  timeZone: 'Europe/Helsinki',
  status: 'waiting',
  consent: consent(new Date('2026-10-01T10:00:00Z')),
});

export function actorData(
  identity: string,
  over: Partial<ActorProfile> = {},
  locale: NewParticipant['locale'] = 'en',
): NewParticipant {
  return {
    ...base('actor', identity, locale),
    actor: {
      firstName: 'Amira',
      city: 'Tampere',
      profession: 'Civil engineer',
      education: 'master',
      yearsExperience: 7,
      finnishLevel: 'B1',
      goals: ['vocabulary', 'cv_applications'],
      languages: ['ar', 'en'],
      availability: ['evenings'],
      ...over,
    },
  };
}

export function mentorData(
  identity: string,
  over: Partial<MentorProfile> = {},
  locale: NewParticipant['locale'] = 'fi',
): NewParticipant {
  return {
    ...base('mentor', identity, locale),
    mentor: {
      firstName: 'Liisa',
      field: 'Civil engineering',
      city: 'Tampere',
      languages: ['fi', 'en'],
      capacity: 2,
      availability: ['evenings'],
      ...over,
    },
  };
}

export const seed = (repo: ParticipantRepository, p: NewParticipant, at = new Date('2026-10-01T10:00:00Z')) =>
  repo.save(p, at);

/** An active pair of two seeded participants, as a match both accepted leaves it. */
export const activePair = (pairs: PairRepository, actorId: string, mentorId: string, at: Date) =>
  pairs.create({
    actorId,
    mentorId,
    state: 'active',
    proposedBy: 'seed',
    actorAccepted: true,
    mentorAccepted: true,
    history: [{ state: 'active', by: 'seed', at }],
    createdAt: at,
  });
