import type { ActorProfile, Locale, MentorProfile } from '../../core/model.ts';

type EducationLevel = ActorProfile['education'];
type FinnishLevel = ActorProfile['finnishLevel'];
type Goal = ActorProfile['goals'][number];
type Availability = ActorProfile['availability'][number];

/** A demo person: her console name, language and profile. */
export interface DemoActor {
  name: string;
  locale: Locale;
  profile: ActorProfile;
}
export interface DemoMentor {
  name: string;
  locale: Locale;
  profile: MentorProfile;
}

const actor = (
  name: string,
  locale: Locale,
  city: string,
  profession: string,
  education: EducationLevel,
  years: number,
  level: FinnishLevel,
  goals: Goal[],
  languages: string[],
  availability: Availability[] = ['evenings'],
): DemoActor => ({
  name,
  locale,
  profile: {
    firstName: name[0]!.toUpperCase() + name.slice(1),
    city,
    profession,
    education,
    yearsExperience: years,
    finnishLevel: level,
    goals,
    languages,
    availability,
  },
});

const mentor = (
  name: string,
  locale: Locale,
  city: string,
  field: string,
  languages: string[],
  capacity = 2,
  availability: Availability[] = ['evenings'],
): DemoMentor => ({
  name,
  locale,
  profile: { firstName: name[0]!.toUpperCase() + name.slice(1), field, city, languages, capacity, availability },
});

/** Fourteen actors in four cities, in all five languages. */
export const DEMO_ACTORS: readonly DemoActor[] = [
  actor('amira', 'ar', 'Tampere', 'Civil engineer', 'master', 7, 'B1', ['working_culture', 'vocabulary'], ['ar', 'en']),
  actor(
    'olena',
    'uk',
    'Helsinki',
    'Accountant',
    'master',
    9,
    'A2',
    ['cv_applications', 'job_search'],
    ['uk', 'ru', 'en'],
  ),
  actor('maria', 'ru', 'Turku', 'Teacher', 'bachelor', 12, 'B2', ['working_culture', 'networking'], ['ru', 'en']),
  actor('leila', 'ar', 'Oulu', 'Pharmacist', 'bachelor', 5, 'A2', ['vocabulary', 'job_search'], ['ar', 'fr']),
  actor(
    'svetlana',
    'ru',
    'Helsinki',
    'Software developer',
    'master',
    8,
    'A2',
    ['networking', 'cv_applications'],
    ['ru', 'en'],
  ),
  actor(
    'nour',
    'en',
    'Tampere',
    'Nurse',
    'bachelor',
    6,
    'B1',
    ['vocabulary', 'working_culture'],
    ['en', 'ar'],
    ['weekends'],
  ),
  actor('iryna', 'uk', 'Turku', 'Architect', 'master', 10, 'A1', ['job_search'], ['uk', 'en']),
  actor('sara', 'fi', 'Oulu', 'Social worker', 'bachelor', 4, 'C1', ['networking'], ['fi', 'so', 'en']),
  actor('daria', 'en', 'Helsinki', 'Marketing specialist', 'master', 6, 'B1', ['cv_applications'], ['ru', 'en']),
  actor('hana', 'ar', 'Turku', 'Dentist', 'doctorate', 11, 'A2', ['vocabulary'], ['ar', 'en']),
  actor('tatiana', 'ru', 'Oulu', 'Economist', 'master', 15, 'B1', ['job_search', 'networking'], ['ru']),
  actor('yasmin', 'ar', 'Helsinki', 'Lab technician', 'vocational', 3, 'A2', ['cv_applications'], ['ar']),
  actor(
    'oksana',
    'uk',
    'Tampere',
    'Translator',
    'master',
    7,
    'B2',
    ['networking'],
    ['uk', 'ru', 'en'],
    ['weekday_daytime'],
  ),
  actor('fatima', 'en', 'Helsinki', 'Chemist', 'doctorate', 9, 'A1', ['working_culture'], ['ar', 'en', 'fr']),
];

/** Twelve mentors in the same four cities; most write Finnish. */
export const DEMO_MENTORS: readonly DemoMentor[] = [
  mentor('liisa', 'fi', 'Tampere', 'Civil engineering', ['fi', 'en']),
  mentor('aino', 'fi', 'Helsinki', 'Accounting', ['fi', 'en', 'ru']),
  mentor('sanna', 'fi', 'Turku', 'Teaching', ['fi', 'en']),
  mentor('kaisa', 'en', 'Oulu', 'Pharmacy', ['fi', 'en']),
  mentor('minna', 'fi', 'Helsinki', 'Software', ['fi', 'en']),
  mentor('johanna', 'fi', 'Tampere', 'Nursing', ['fi', 'en', 'sv']),
  mentor('hanna', 'fi', 'Turku', 'Architecture', ['fi', 'en']),
  mentor('laura', 'fi', 'Oulu', 'Social work', ['fi', 'en']),
  mentor('riikka', 'fi', 'Helsinki', 'Marketing', ['fi', 'en']),
  mentor('elina', 'en', 'Turku', 'Dentistry', ['fi', 'en']),
  mentor('tiina', 'fi', 'Oulu', 'Economics', ['fi', 'en', 'ru']),
  mentor('paivi', 'fi', 'Helsinki', 'Chemistry', ['fi', 'en'], 3),
];
