import { describe, expect, it } from 'vitest';
import { isIban, type KnownPerson, redact, restoreNames } from '../../src/services/redactor.ts';

const pair: KnownPerson[] = [
  {
    role: 'actor',
    names: ['Amira', 'Amira Haddad'],
    phones: ['+358 40 765 4321'],
    emails: ['amira.h@example.com'],
    address: 'Hervannan valtaväylä 12 B 7',
  },
  { role: 'mentor', names: ['Liisa', 'Liisa Virtanen'], employer: 'Ramboll', emails: ['liisa.virtanen@ramboll.fi'] },
  { role: 'other', names: ['Officer Outi Mäkelä'] },
];

const ok = (text: string, known = pair) => {
  const r = redact(text, known);
  if (!r.ok) throw new Error(`expected a redaction of: ${text} (${r.reason})`);
  return r.text;
};

describe('the redactor', () => {
  it('Finnish: names with case endings, the employer, a phone, a street address and a postal code', () => {
    const out = ok(
      'Tapasin Liisan kanssa Rambollilla. Liisalle voi soittaa 040 123 4567. Asun Hämeenkatu 5 A 3, 33100 Tampere.',
    );
    expect(out).toBe('Tapasin [MENTOR] kanssa [EMPLOYER]. [MENTOR] voi soittaa [PHONE]. Asun [ADDRESS], [ADDRESS].');
  });

  it('English: known e-mail and phone in any spacing, an unknown e-mail, a profile link, a handle', () => {
    const out = ok(
      'Amira Haddad (amira.h@example.com, +358407654321) sent her CV to hr@firm.fi; see linkedin.com/in/x and https://www.linkedin.com/in/amira-haddad-123/ or @amira_h.',
    );
    expect(out).not.toMatch(/Amira|Haddad|example\.com|7654321|hr@firm|amira-haddad|amira_h/i);
    expect(out).toContain('[ACTOR] [ACTOR] ([EMAIL], [PHONE])');
    expect(out).toContain('see [URL] and [URL] or [HANDLE].');
    expect(out).toContain('[HANDLE]');
  });

  it('Finnish identity codes are recognised by their checksum, old and new century signs', () => {
    expect(ok('Henkilötunnukseni on 131052-308T.')).toBe('Henkilötunnukseni on [HETU].');
    expect(ok('Lapsen hetu 010594Y9032')).toBe('Lapsen hetu [HETU]');
    // A code with a wrong check mark is no identity code, but it is a long number: nothing is sent.
    expect(redact('Koodi 131052-308A', pair)).toEqual({ ok: false, reason: 'unsure' });
  });

  it('IBANs with a valid checksum, with or without spaces', () => {
    expect(isIban('FI21 1234 5600 0007 85')).toBe(true);
    expect(isIban('FI21 1234 5600 0007 86')).toBe(false);
    expect(ok('Tilinumero FI21 1234 5600 0007 85 ja DE89370400440532013000.')).toBe('Tilinumero [IBAN] ja [IBAN].');
  });

  it('Russian: a Cyrillic name with its endings, a phone and a Finnish street in Cyrillic', () => {
    const known: KnownPerson[] = [
      { role: 'actor', names: ['Ольга'] },
      { role: 'mentor', names: ['Лииса'] },
    ];
    const out = ok('Ольга пишет: с Лиисой встретились, мой телефон +7 912 345-67-89, живу Хямеенкату 5.', known);
    expect(out).toBe('[ACTOR] пишет: с [MENTOR] встретились, мой телефон [PHONE], живу [ADDRESS].');
  });

  it('Ukrainian: a name in the dative, an e-mail, a Finnish street in Latin letters', () => {
    const known: KnownPerson[] = [
      { role: 'actor', names: ['Оксана Коваленко'] },
      { role: 'mentor', names: ['Liisa'] },
    ];
    const out = ok(
      'Я, Оксана, написала Liisalle на oksana.k@gmail.com. Моя адреса: Mannerheimintie 100 B 12, 00100 Helsinki.',
      known,
    );
    expect(out).toBe('Я, [ACTOR], написала [MENTOR] на [EMAIL]. Моя адреса: [ADDRESS], [ADDRESS].');
  });

  it('Arabic: a name with a prefixed conjunction, Arabic-Indic digits, a street', () => {
    const known: KnownPerson[] = [
      { role: 'actor', names: ['أميرة'] },
      { role: 'mentor', names: ['ليزا'] },
    ];
    const out = ok('التقيت أنا وليزا أمس. رقمي ٠٤٠١٢٣٤٥٦٧ وأسكن في شارع الملك فهد 12.', known);
    expect(out).toBe('التقيت أنا [MENTOR] أمس. رقمي [PHONE] وأسكن في [ADDRESS].');
  });

  it('keeps what is not personal: dates, times, ratings, bare domains', () => {
    const text = 'We meet on 3.12.2026 at 17.30 and 2026-12-10; see te-palvelut.fi. Rating 4/5.';
    expect(ok(text)).toBe(text);
  });

  it('an unexplained long number makes it unsure, so nothing is sent', () => {
    expect(redact('Asiakasnumeroni on 99 123 456 78', pair)).toEqual({ ok: false, reason: 'unsure' });
  });

  it('placeholders are stable across texts, and names are put back only by restoreNames', () => {
    const a = redact('Liisa ja Outi', pair);
    const b = redact('Outi soitti Liisalle', pair);
    expect(a.ok && a.text).toBe('[MENTOR] ja [PERSON1]');
    expect(b.ok && b.text).toBe('[PERSON1] soitti [MENTOR]');
    expect(restoreNames('[MENTOR] and [ACTOR] met; [PHONE]', a.ok ? { ...a.names, '[ACTOR]': 'Amira' } : {})).toBe(
      'Liisa and Amira met; [PHONE]',
    );
  });

  it('a failure inside is reported, never thrown', () => {
    const hostile = [{ role: 'actor', names: [{} as unknown as string] }] as KnownPerson[];
    expect(redact('text', hostile)).toEqual({ ok: false, reason: 'error' });
  });
});
