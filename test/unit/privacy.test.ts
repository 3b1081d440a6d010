import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Participant } from '../../src/core/model.ts';
import { markerPattern, needsConsent, REDACTED, redact } from '../../src/core/privacy.ts';
import { consentGate } from '../../src/engine/consent-gate.ts';
import { SEEDED_CONSENT_VERSION } from '../support/seed.ts';

const person = (over: Partial<Participant> = {}): Participant => ({
  id: 'p1',
  role: 'actor',
  identities: ['telegram:1'],
  addresses: { telegram: 'telegram:1' },
  locale: 'en',
  timeZone: 'Europe/Helsinki',
  status: 'paired',
  consent: { given: true, textVersion: 'v1', at: new Date('2026-01-01') },
  createdAt: new Date('2026-01-01'),
  updatedAt: new Date('2026-01-01'),
  ...over,
});

describe('redaction', () => {
  const pattern = markerPattern({ texts: ['telegram:8101', 'Call me at +358 40 1', 'CV'], names: ['Ann'] }, true)!;

  it('replaces identities, free texts and whole-word names in nested values, keeping dates and structure', () => {
    const at = new Date('2026-05-01');
    const doc = {
      at,
      key: 'k',
      text: [{ key: 'x', params: { name: 'Ann', who: 'Anna', note: 'Ann said: Call me at +358 40 1234' } }],
      rsvps: { 'telegram:8101': 'coming' },
    };
    const { value, changed } = redact(doc, pattern);
    expect(changed).toBe(true);
    expect(value).toEqual({
      at,
      key: 'k',
      text: [{ key: 'x', params: { name: REDACTED, who: 'Anna', note: `${REDACTED} said: ${REDACTED}234` } }],
      rsvps: {},
    });
    expect((value as { at: Date }).at).toBeInstanceOf(Date);
  });

  it('leaves texts too short to be hers alone, and reports no change when nothing matched', () => {
    expect(redact({ topics: ['CV'], name: 'Anna' }, pattern)).toEqual({
      value: { topics: ['CV'], name: 'Anna' },
      changed: false,
    });
    expect(markerPattern({ texts: ['CV'], names: [] }, true)).toBeNull();
  });

  it('matches names only where asked to', () => {
    const texts = markerPattern({ texts: ['telegram:8101'], names: ['Ann'] }, false)!;
    expect(redact({ name: 'Ann' }, texts).changed).toBe(false);
  });
});

describe('consent to a new notice', () => {
  const settings = { consentVersion: 'v2' };
  const text = { type: 'text' as const, text: 'hello' };

  it.each([
    ['agreed to an older version', person(), true],
    ['agreed to this version', person({ consent: { given: true, textVersion: 'v2', at: new Date() } }), false],
    ['refused this version', person({ consent: { given: false, textVersion: 'v2', at: new Date() } }), true],
    ['an officer', person({ role: 'officer' }), false],
    ['still registering', person({ status: 'registering' }), false],
    ['refused at registration', person({ status: 'declined' }), false],
    ['erased', person({ identities: ['erased:p1'] }), false],
  ])('%s: asked first = %s', (_what, p, asked) => {
    expect(needsConsent(p, 'v2')).toBe(asked);
    expect(consentGate(text, null, p, { settings }) !== null).toBe(asked);
  });

  it('lets /mydata, /delete, /help and the privacy questions through, and is silent in groups', () => {
    const p = person();
    for (const name of ['mydata', 'delete', 'help'])
      expect(consentGate({ type: 'command', name, args: '' }, null, p, { settings })).toBeNull();
    expect(consentGate({ type: 'command', name: 'meet', args: '' }, null, p, { settings })).not.toBeNull();
    const asking = {
      flow: 'pick',
      version: 2,
      step: 'ask',
      data: { useCase: 'privacy.consent' },
      history: [],
      promptId: 'x',
      paused: false,
    };
    expect(consentGate(text, asking, p, { settings })).toBeNull();
    expect(consentGate(text, { ...asking, data: { useCase: 'meetings.propose' } }, p, { settings })).not.toBeNull();
    expect(consentGate(text, null, p, { settings, inGroup: true })).toBeNull();
  });
});

describe('seeded people', () => {
  it('agreed to the version of the notice the bot shows by default', () => {
    expect(SEEDED_CONSENT_VERSION).toBe(loadConfig({}).CONSENT_VERSION);
  });
});

describe('RETENTION_MONTHS', () => {
  it('defaults to 24 and refuses what is not a number of months', () => {
    expect(loadConfig({}).RETENTION_MONTHS).toBe(24);
    expect(loadConfig({ RETENTION_MONTHS: '36' }).RETENTION_MONTHS).toBe(36);
    expect(() => loadConfig({ RETENTION_MONTHS: 'two years' })).toThrow(/RETENTION_MONTHS: expected months/);
  });
});
