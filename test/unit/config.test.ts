import { describe, expect, it } from 'vitest';
import { ConfigError, httpPort, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('has working defaults for an empty environment', () => {
    expect(httpPort(loadConfig({}), false)).toBe(3000);
    expect(httpPort(loadConfig({}), true)).toBeUndefined();
    expect(httpPort(loadConfig({ HTTP_PORT: '0' }), true)).toBe(0);
    expect(loadConfig({})).toMatchObject({
      MONGODB_DB: 'womento',
      DEFAULT_TIME_ZONE: 'Europe/Helsinki',
      MENTOR_CODES: [],
      DEFAULT_LOCALE: 'en',
      CHECKIN_INTERVAL_DAYS: 14,
      QUIET_HOURS: { start: 21, end: 8 },
    });
  });

  it('names every bad variable on its own line, without echoing secrets', () => {
    try {
      loadConfig({
        TELEGRAM_BOT_TOKEN: 'secret-but-wrong',
        HTTP_PORT: 'eighty',
        MONGODB_URI: 'postgres://x',
        DEFAULT_LOCALE: 'de',
        DEFAULT_TIME_ZONE: 'Mars/Base',
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram/webhook',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
        [
          'DEFAULT_LOCALE',
          'DEFAULT_TIME_ZONE',
          'HTTP_PORT',
          'MONGODB_URI',
          'TELEGRAM_BOT_TOKEN',
          'TELEGRAM_WEBHOOK_SECRET',
        ].sort(),
      );
      expect(problems.join('\n')).not.toContain('secret-but-wrong');
    }
  });

  it('takes a METRICS_TOKEN of 16 or more safe characters; none (or empty) leaves /metrics open', () => {
    expect(loadConfig({}).METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'abcDEF0123456789-_' }).METRICS_TOKEN).toBe('abcDEF0123456789-_');
    for (const bad of ['short', 'has spaces in it, sixteen+'])
      expect(() => loadConfig({ METRICS_TOKEN: bad })).toThrow(/METRICS_TOKEN: expected 16-256/);
  });

  it("takes Telegram's overall send limit as a whole number of messages per second, 30 unless told", () => {
    expect(loadConfig({}).TELEGRAM_SENDS_PER_SECOND).toBe(30);
    expect(loadConfig({ TELEGRAM_SENDS_PER_SECOND: '100' }).TELEGRAM_SENDS_PER_SECOND).toBe(100);
    for (const bad of ['0', '2.5', 'fast', '5000'])
      expect(() => loadConfig({ TELEGRAM_SENDS_PER_SECOND: bad })).toThrow(/TELEGRAM_SENDS_PER_SECOND/);
  });

  it('reads lists and empty strings as a person writes them in .env', () => {
    expect(
      loadConfig({ MENTOR_CODES: 'spring2026, autumn-2026', MONGODB_URI: '', TELEGRAM_BOT_TOKEN: '' }),
    ).toMatchObject({ MENTOR_CODES: ['spring2026', 'autumn-2026'] });
  });

  it('turns AI off without a key, reads the feature list, and rejects an unknown feature', () => {
    expect(loadConfig({})).toMatchObject({
      AI_FEATURES: ['triage', 'digest', 'vocab'],
      AI_DAILY_TOKENS: 200_000,
      OPENAI_MODEL: 'gpt-4o-mini',
    });
    expect(loadConfig({}).OPENAI_API_KEY).toBeUndefined();
    expect(loadConfig({ OPENAI_API_KEY: 'k', AI_FEATURES: 'triage, vocab' }).AI_FEATURES).toEqual(['triage', 'vocab']);
    expect(loadConfig({ AI_FEATURES: 'none' }).AI_FEATURES).toEqual([]);
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems.map((p) => p.split(':')[0]);
      }
    };
    expect(problems({ AI_FEATURES: 'triage,horoscope' })).toEqual(['AI_FEATURES.1']);
    expect(problems({ AI_DAILY_TOKENS: 'lots' })).toEqual(['AI_DAILY_TOKENS']);
    expect(problems({ OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' })).toEqual(['OPENAI_API_KEY']);
    expect(problems({ OPENAI_BASE_URL: 'not a url', OPENAI_API_KEY: 'k' })).toEqual(['OPENAI_BASE_URL']);
  });

  it('reads console officers as lower-case names, and refuses what cannot be one', () => {
    expect(loadConfig({ OFFICER_CONSOLE_NAMES: 'Officer, liisa_2' }).OFFICER_CONSOLE_NAMES).toEqual([
      'officer',
      'liisa_2',
    ]);
    expect(loadConfig({}).OFFICER_CONSOLE_NAMES).toEqual([]);
    expect(() => loadConfig({ OFFICER_CONSOLE_NAMES: 'anna maria' })).toThrow(
      /OFFICER_CONSOLE_NAMES\S*: expected console names/,
    );
  });
});
