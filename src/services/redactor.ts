import { FinnishSSN } from 'finnish-ssn';
import type { ParticipantRepository } from '../core/ports.ts';
import { escapeRegExp } from '../core/text.ts';

/** What the database knows about one person, so it is replaced before any pattern is tried. */
export interface KnownPerson {
  /** actor and mentor get [ACTOR] and [MENTOR]; everyone else [PERSON1], [PERSON2] ... in the order given. */
  role: 'actor' | 'mentor' | 'other';
  names: readonly (string | undefined)[];
  phones?: readonly string[];
  emails?: readonly string[];
  employer?: string;
  address?: string;
}

/** Every officer (but the declined), as the redactor should know them: their names never leave unreplaced. */
export async function officersKnown(participants: ParticipantRepository): Promise<KnownPerson[]> {
  const officers = await participants.list('officer', ['waiting', 'paired', 'registering', 'unreachable', 'left']);
  return officers.map((o) => ({ role: 'other', names: [o.actor?.firstName, o.mentor?.firstName, o.displayName] }));
}

export type Redacted =
  | {
      ok: true;
      text: string /** placeholder -> the name it stands for, to put names back inside the process */;
      names: Record<string, string>;
    }
  | { ok: false; reason: 'unsure' | 'error' };

const LETTER = '\\p{L}\\p{M}';
const notAfterLetter = `(?<![${LETTER}\\p{N}])`;
const VOWEL_END = /[aeiouyäöåаеёиоуыэюяіїєеаوىيةا]$/iu;
const ARABIC = /\p{Script=Arabic}/u;

const digitsOf = (s: string) => s.replace(/\D/g, '');

/**
 * A name as it appears in running text: Finnish adds case endings (Liisalle), Russian and Ukrainian
 * change the last vowel (Амиры), Arabic may prefix a conjunction or preposition (ولييزا). Catching a
 * word too many is the safe side here.
 */
function namePattern(name: string): string {
  const n = name.trim();
  const stem = n.length >= 4 && VOWEL_END.test(n) ? n.slice(0, -1) : n;
  const prefix = ARABIC.test(n) ? '(?:ال|[وفبلك])?' : '';
  return `${notAfterLetter}${prefix}${escapeRegExp(stem)}[${LETTER}]{0,5}(?![${LETTER}])`;
}

/** A known phone number with any spacing, with +358 or 0 in front. */
function phonePattern(phone: string): string {
  const local = digitsOf(phone).replace(/^(00358|358|0)/, '');
  if (local.length < 6) return '(?!)';
  const body = local.split('').map(escapeRegExp).join('[\\s().-]*');
  return `(?:(?:\\+|00)?358|0)?[\\s().-]*${body}(?!\\d)`;
}

const ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
const toAsciiDigits = (s: string) => s.replace(ARABIC_DIGITS, (d) => String((d.charCodeAt(0) & 0xf) % 10));

/** ISO 13616: move the first four characters to the end, letters to numbers, mod 97 must be 1. */
export function isIban(candidate: string): boolean {
  const s = candidate.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

const STREET_FI =
  '(?:katu|kadu[a-zäö]{1,4}|tie|tie[a-zäö]{1,4}|kuja|kuja[a-zäö]{1,4}|polku|polu[a-zäö]{1,4}|raitti|' +
  'kaari|kaare[a-zäö]{1,4}|rinne|rintee[a-zäö]{1,4}|ranta|rann[a-zäö]{1,4}|tori|väylä|puistikko|gatan|vägen|gränd)';
const STREET_CYRILLIC = '(?:кату|тие|куя|полку|катy)';

type Pattern = { placeholder: string; re: RegExp; accept?: (m: string) => boolean };

/**
 * Whole tokens that may contain a name (amira.haddad@..., /in/amira-haddad, @amira_h): replaced as a
 * whole before the names, so no half of one is left.
 */
const TOKENS: Pattern[] = [
  { placeholder: '[EMAIL]', re: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu },
  // A link with a path or query can name a person (a profile, a shared document); a bare domain does not.
  { placeholder: '[URL]', re: /\b(?:https?:\/\/|www\.)[^\s/]+[/?#][^\s]*/giu },
  { placeholder: '[URL]', re: /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/[^\s]+/giu },
  { placeholder: '[HANDLE]', re: /(?<![\p{L}\p{N}])@[A-Za-z0-9_]{3,32}/gu },
];

/** Patterns tried after the known data, in this order; each match becomes its placeholder. */
const PATTERNS: Pattern[] = [
  { placeholder: '[IBAN]', re: /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/gi, accept: isIban },
  {
    placeholder: '[HETU]',
    re: /\b\d{6}[-+ABCDEFUVWXY]\d{3}[0-9A-Y]\b/gi,
    accept: (m) => FinnishSSN.validate(m.toUpperCase()),
  },
  // Finnish numbers (040 123 4567, +358 40 1234567, 09-123 4567) and international ones with a +.
  {
    placeholder: '[PHONE]',
    re: /(?:\+|00)\d{1,3}[\s().-]*(?:\d[\s().-]*){6,12}\d|(?<!\d)0\d{1,3}[\s-]?\d{3,4}[\s-]?\d{2,4}(?!\d)/g,
  },
  {
    placeholder: '[ADDRESS]',
    re: new RegExp(
      `${notAfterLetter}[${LETTER}-]{2,}?${STREET_FI}\\s+\\d{1,4}(?:\\s?[A-Za-z](?![${LETTER}]))?(?:\\s?\\d{1,3})?`,
      'giu',
    ),
  },
  {
    placeholder: '[ADDRESS]',
    re: new RegExp(`${notAfterLetter}\\p{Lu}[${LETTER}-]+(?:katu|tie|kuja|polku)(?![${LETTER}])`, 'gu'),
  },
  {
    placeholder: '[ADDRESS]',
    re: new RegExp(
      `${notAfterLetter}[\\p{Script=Cyrillic}-]{2,}${STREET_CYRILLIC}[\\p{Script=Cyrillic}]{0,3}\\s+\\d{1,4}`,
      'giu',
    ),
  },
  { placeholder: '[ADDRESS]', re: /(?:شارع|طريق)\s+(?:[\p{L}\p{M}]+\s+){0,3}\d{1,4}/gu },
  { placeholder: '[ADDRESS]', re: /(?<!\d)\d{5}\s+\p{Lu}\p{Ll}+/gu },
];

/** Digits that look like an identifier none of the patterns recognised: then nothing is sent. */
const DATE = /\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\b/g;
const LEFTOVER_NUMBER = /\d(?:[ -]?\d){5,}/;

/**
 * Replaces what could identify someone before a text leaves the process: first what the database knows
 * (names, phones, e-mails, employers, addresses of the pair and the staff) with stable placeholders,
 * then e-mails, links with paths, handles, IBANs, Finnish identity codes, phone numbers and street
 * addresses found by pattern. Unsure (a long number nothing explained) or failing: `ok: false`, and
 * the caller sends nothing.
 */
export function redact(text: string, known: readonly KnownPerson[]): Redacted {
  try {
    return redactOrThrow(text, known);
  } catch {
    return { ok: false, reason: 'error' };
  }
}

function redactOrThrow(input: string, known: readonly KnownPerson[]): Redacted {
  let text = toAsciiDigits(input.normalize('NFC'));
  const names: Record<string, string> = {};
  let others = 0;
  const replace = (pattern: string, placeholder: string) => {
    text = text.replace(new RegExp(pattern, 'giu'), placeholder);
  };
  const apply = (patterns: Pattern[]) => {
    for (const { placeholder, re, accept } of patterns)
      text = text.replace(re, (m) => (!accept || accept(m) ? placeholder : m));
  };
  for (const person of known) {
    for (const email of person.emails ?? []) replace(escapeRegExp(email), '[EMAIL]');
    for (const phone of person.phones ?? []) replace(phonePattern(phone), '[PHONE]');
  }
  apply(TOKENS);
  for (const person of known) {
    const placeholder =
      person.role === 'actor' ? '[ACTOR]' : person.role === 'mentor' ? '[MENTOR]' : `[PERSON${++others}]`;
    if (person.address?.trim()) replace(escapeRegExp(person.address.trim()), '[ADDRESS]');
    if (person.employer && person.employer.trim().length >= 2)
      replace(`${notAfterLetter}${escapeRegExp(person.employer.trim())}[${LETTER}]{0,4}`, '[EMPLOYER]');
    // Every part of a full name ("Amira K.") on its own, longest first so "Anna-Liisa" goes before "Anna".
    const parts = person.names
      .flatMap((n) => (n ?? '').split(/[\s,.]+/))
      .map((p) => p.trim())
      .filter((p) => p.length >= 2);
    for (const part of [...new Set(parts)].sort((a, b) => b.length - a.length)) {
      replace(
        part.length >= 3 ? namePattern(part) : `${notAfterLetter}${escapeRegExp(part)}(?![${LETTER}])`,
        placeholder,
      );
      names[placeholder] ??= person.names.find(Boolean) ?? part;
    }
  }
  apply(PATTERNS);
  if (LEFTOVER_NUMBER.test(text.replace(DATE, ' '))) return { ok: false, reason: 'unsure' };
  return { ok: true, text, names };
}

/** Puts names back in an answer written about placeholders; other placeholders stay as they are. */
export function restoreNames(text: string, names: Record<string, string>): string {
  return text.replace(/\[(ACTOR|MENTOR|PERSON\d+)\]/g, (p) => names[p] ?? p);
}
