import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { testDbUri } from '../support/database.ts';
import { recordingLogger } from '../support/logger.ts';

describe('the console chat (npm start without tokens)', () => {
  let app: App;
  afterAll(() => app?.stop());

  it('registers an actor typed line by line, and stores her profile', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (d) => (screen += d));
    app = await createApp({
      config: loadConfig({}),
      logger: recordingLogger(),
      mongoUri: testDbUri('e2e_console'),
      console: { input, output },
    });
    await app.start();
    // No HTTP_PORT: the console listens on nothing. The first person of a new console database is its officer.
    expect(app.http).toBeUndefined();
    expect(screen).toContain('→ officer:');
    expect(await app.repositories.participants.findByIdentity('console:officer')).toMatchObject({ role: 'officer' });

    input.write('/as Local\n');
    // Her language first (stumble 1), then who she is, in it.
    await waitFor(
      () => screen.includes('[2] Suomi'),
      () => screen.slice(-600),
    );
    expect(screen).toMatch(/→ local:\n {2}\S/);
    expect(screen).not.toContain('Who are you?');

    // Goals: 1 working culture, 7 Done (6 is Other).
    const lines = ['2', '1', '1', 'Aino', 'Oulu', 'sairaanhoitaja', '3', '4', '3', '1', '7', '1', '11', '2', '4', '1'];
    for (const line of lines) input.write(`${line}\n`);
    await waitFor(
      () => screen.includes('Kiitos, Aino') || screen.includes('Aino!'),
      () => screen.slice(-600),
    );

    const p = await app.repositories.participants.findByIdentity('console:local');
    expect(p).toMatchObject({
      role: 'actor',
      status: 'waiting',
      locale: 'fi',
      actor: {
        firstName: 'Aino',
        city: 'Oulu',
        profession: 'sairaanhoitaja',
        education: 'bachelor',
        yearsExperience: 4,
        finnishLevel: 'B1',
        goals: ['working_culture'],
        languages: ['fi'],
        availability: ['evenings'],
      },
    });
  });
});

async function waitFor(done: () => boolean, show: () => string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out; screen ends with:\n${show()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
