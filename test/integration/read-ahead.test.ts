import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRepository } from '../../src/core/ports.ts';
import { ManualClock } from '../support/clock.ts';
import { typedEvent } from '../support/typed-event.ts';
import { testDbUri } from '../support/database.ts';
import { L } from '../support/i18n.ts';
import { programmeEngine } from '../support/programme-engine.ts';
import { activePair, actorData, mentorData, seed } from '../support/seed.ts';

const AMIRA = 'telegram:3101';
const LIISA = 'telegram:3102';

/**
 * The engine reads her conversation and profile while the intake is still storing her event. What it read
 * must be what her event finds; when another instance changed her conversation in between, the event is
 * decided on what is stored then, not on what was read ahead.
 */
describe('reads begun while an event is stored', () => {
  const clock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
  let here: Awaited<ReturnType<typeof programmeEngine>>;
  let elsewhere: Awaited<ReturnType<typeof programmeEngine>>;
  let loads = 0;
  let seq = 0;

  const counting = (real: ConversationRepository): ConversationRepository => ({
    load: (identity) => {
      loads++;
      return real.load(identity);
    },
    save: (state) => real.save(state),
  });
  const text = (identity: string, typed: string) => typedEvent(`telegram:ahead-${++seq}`, identity, typed);
  const askedWhere = () => L('en', 'meetings:place_ask');

  beforeAll(async () => {
    const uri = testDbUri('read_ahead');
    here = await programmeEngine('read_ahead', { clock, uri, conversations: counting });
    elsewhere = await programmeEngine('read_ahead', { clock, uri });
    const a = await seed(here.repos.participants, actorData(AMIRA, { firstName: 'Amira' }));
    const m = await seed(here.repos.participants, mentorData(LIISA, { firstName: 'Liisa' }, 'en'));
    await activePair(here.repos.pairs, a.id, m.id, clock.now());
  });
  afterAll(async () => {
    await here?.close();
    await elsewhere?.close();
  });

  it('are what the handling uses: her conversation is loaded once', async () => {
    await here.engine.handle(text(AMIRA, '/meet'));
    const when = text(AMIRA, '3.3. 17.30');
    loads = 0;
    here.engine.readAhead(when);
    expect(loads).toBe(1);
    await here.engine.handle(when);
    expect(loads).toBe(1);
    expect(here.channel.texts().at(-1)).toBe(askedWhere());
    await here.engine.handle(text(AMIRA, '/cancel'));
  });

  it('are not used when her conversation changed elsewhere in between', async () => {
    await here.engine.handle(text(AMIRA, '/meet'));
    const when = text(AMIRA, '3.3. 17.30');
    loads = 0;
    here.engine.readAhead(when);
    expect(loads).toBe(1);
    // Another instance handles her /cancel after the reads and before her event's turn here.
    await elsewhere.engine.handle(text(AMIRA, '/cancel'));
    const sent = here.channel.texts().length;
    await here.engine.handle(when);
    // Decided on the cancelled conversation: no question of the meeting flow, and no flow left.
    const replies = here.channel.texts().slice(sent);
    expect(replies).toHaveLength(1);
    expect(replies).not.toContain(askedWhere());
    expect(replies).not.toContain(L('en', 'common:errors.generic'));
    expect((await here.repos.conversations.load(AMIRA))?.flow).toBeUndefined();
  });

  it('are begun only when nothing of hers is being handled, and dropped for an event not handled here', async () => {
    const first = text(LIISA, '/help');
    const second = text(LIISA, '/help');
    const handling = here.engine.handle(first);
    loads = 0;
    here.engine.readAhead(second);
    expect(loads).toBe(0);
    await handling;
    const dropped = text(LIISA, '/meet');
    here.engine.readAhead(dropped);
    here.engine.dropReadAhead(dropped.id);
    loads = 0;
    await here.engine.handle(dropped);
    expect(loads).toBe(1);
  });
});
