import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { testDbUri } from '../support/database.ts';
import { L } from '../support/i18n.ts';
import { programmeEngine } from '../support/programme-engine.ts';
import { actorData } from '../support/seed.ts';
import { typedEvent } from '../support/typed-event.ts';

type Engine = Awaited<ReturnType<typeof programmeEngine>>;

/**
 * Someone with no profile yet (registering, or only asking) is not looked up again at every event while her
 * conversation shows that nothing of hers changed since; a profile made here or elsewhere is found at once.
 */
describe('people known to be nobody', () => {
  const clock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
  let here: Engine;
  let elsewhere: Engine;
  let lookups: ReturnType<typeof vi.spyOn>;
  let seq = 0;
  let person = 4100;
  let who = '';

  const send = async (engine: Engine, typed: string) => {
    await engine.engine.handle(typedEvent(`telegram:nobody-${++seq}`, who, typed));
    return engine.channel.texts().at(-1);
  };
  /** Reads of the identities collection (each is one lookup of whose an identity is). */
  const reads = () => lookups.mock.calls.length;

  beforeAll(async () => {
    const uri = testDbUri('nobody_lookups');
    here = await programmeEngine('nobody_lookups', { clock, uri });
    elsewhere = await programmeEngine('nobody_lookups', { clock, uri });
    lookups = vi.spyOn(here.m.Identity.collection, 'find');
  });
  beforeEach(() => {
    who = `telegram:${++person}`;
    lookups.mockClear();
  });
  afterAll(async () => {
    await here?.close();
    await elsewhere?.close();
  });

  it('is looked up at her first event only', async () => {
    for (let i = 0; i < 3; i++) expect(await send(here, '/help')).toBe(L('en', 'help:guest'));
    expect(reads()).toBe(1);
  });

  it('is found once her profile is saved here, though her conversation did not change', async () => {
    expect(await send(here, '/help')).toBe(L('en', 'help:guest'));
    await here.repos.participants.save(actorData(who), clock.now());
    expect(await send(here, '/help')).not.toBe(L('en', 'help:guest'));
    expect(reads()).toBe(2);
  });

  it('is found once another instance handled her with a profile it made', async () => {
    expect(await send(here, '/help')).toBe(L('en', 'help:guest'));
    // Her profile made elsewhere, which this process does not see; her next event there moves her conversation.
    await elsewhere.repos.participants.save(actorData(who), clock.now());
    expect(await send(elsewhere, '/help')).not.toBe(L('en', 'help:guest'));
    const reply = await send(here, '/help');
    expect(reply).not.toBe(L('en', 'help:guest'));
    expect(reply).toBe(elsewhere.channel.texts().at(-1));
  });

  it('is looked up again after a while, whatever her conversation says', async () => {
    expect(await send(here, '/help')).toBe(L('en', 'help:guest'));
    // Made elsewhere without her conversation moving on: found once the remembered lookup is old enough.
    await elsewhere.repos.participants.save(actorData(who), clock.now());
    expect(await send(here, '/help')).toBe(L('en', 'help:guest'));
    const now = performance.now();
    const later = vi.spyOn(performance, 'now').mockReturnValue(now + 11 * 60_000);
    try {
      expect(await send(here, '/help')).not.toBe(L('en', 'help:guest'));
    } finally {
      later.mockRestore();
    }
  });
});
