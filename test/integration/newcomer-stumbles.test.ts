import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEvent, InboundPayload } from '../../src/core/messages.ts';
import { ManualClock } from '../support/clock.ts';
import { L } from '../support/i18n.ts';
import { programmeEngine } from '../support/programme-engine.ts';
import { actorData, mentorData, seed } from '../support/seed.ts';

/** What a newcomer met on first trying the bot (issue 11, section 4), replayed on the real engine and database. */
describe('a newcomer trying the bot', () => {
  const clock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
  let ctx: Awaited<ReturnType<typeof programmeEngine>>;
  let seq = 0;

  // Like the console: no language hint, so nothing is known of her language.
  const handle = (identity: string, payload: InboundPayload, languageHint?: string) => {
    const event: InboundEvent = {
      id: `test:${++seq}`,
      identity,
      conversationId: identity,
      conversationKind: 'private',
      ...(languageHint ? { languageHint } : {}),
      payload,
    };
    return ctx.engine.handle(event);
  };
  const typed = (who: string, text: string) => handle(who, { type: 'text', text });
  const command = (who: string, name: string, args = '') => handle(who, { type: 'command', name, args });
  const repliesTo = (who: string) => ctx.channel.sent.filter((d) => d.conversationId === who);
  const textsAfter = async (who: string, act: () => Promise<void>) => {
    const before = repliesTo(who).length;
    await act();
    return repliesTo(who)
      .slice(before)
      .map((d) => d.message.text)
      .join('\n\n');
  };
  const buttons = (who: string) => {
    const last = repliesTo(who).at(-1)?.message;
    return last?.type === 'choice' ? last.rows.flat() : [];
  };
  const press = (who: string, label: string) => {
    const button = buttons(who).find((b) => b.label === label);
    if (!button) throw new Error(`no button ${label} in ${JSON.stringify(buttons(who))}`);
    return handle(who, { type: 'button', data: button.data });
  };

  beforeAll(async () => {
    ctx = await programmeEngine('newcomer_stumbles', {
      clock,
      platform: 'telegram',
      env: { PROGRAMME_CONTACT: 'womento@example.org' },
    });
  });
  afterAll(async () => ctx?.close());

  it('stumble 1: the first screen of "/start role" asks the language, in all five languages, before anything in English', async () => {
    const who = 'telegram:first';
    const first = await textsAfter(who, () => command(who, 'start', 'role'));
    expect(first).not.toContain(L('en', 'common:role.ask'));
    for (const lng of ['en', 'fi', 'ru', 'uk', 'ar'] as const)
      expect(first).toContain(L(lng, 'registration:language.ask'));
    const next = await textsAfter(who, () => press(who, L('fi', 'common:language_name.fi')));
    expect(next).toBe(L('fi', 'common:role.ask'));
    // The registration that follows does not ask the language again.
    expect(await textsAfter(who, () => press(who, L('fi', 'common:role.actor')))).toContain(
      L('fi', 'registration:consent.ask'),
    );
  });

  it('stumble 2: after a mistake, /help or an unknown command only the consent question comes again, not the notice', async () => {
    const who = 'telegram:notice';
    const notice = L('en', 'registration:consent.notice_actor', { deletion: '' }).split('\n')[0]!;
    const first = await textsAfter(who, () => command(who, 'start'));
    expect(first).toContain(L('en', 'registration:language.ask'));
    expect(await textsAfter(who, () => press(who, L('en', 'common:language_name.en')))).toContain(notice);
    for (const mistake of [() => typed(who, 'what?'), () => command(who, 'foo'), () => command(who, 'help')]) {
      const again = await textsAfter(who, mistake);
      expect(again).toContain(L('en', 'registration:consent.ask'));
      expect(again).not.toContain(notice);
    }
    // /start shows where she is in full, the notice too.
    expect(await textsAfter(who, () => command(who, 'start'))).toContain(notice);
    // Her buttons still answer it.
    expect(await textsAfter(who, () => press(who, L('en', 'registration:consent.accept')))).toBe(
      L('en', 'registration:name.ask'),
    );
  });

  it('stumble 3: a button number that does not exist at the city question says so, and "3" presses button 3', async () => {
    const who = 'telegram:city';
    await command(who, 'start');
    await press(who, L('en', 'common:language_name.en'));
    await press(who, L('en', 'registration:consent.accept'));
    await typed(who, 'Amira');
    const reply = await textsAfter(who, () => typed(who, '11'));
    expect(reply).toContain(L('en', 'common:no_such_button', { number: '11', last: '10' }));
    expect(reply).not.toContain(L('en', 'registration:city.invalid'));
    expect(await textsAfter(who, () => typed(who, '٣'))).toBe(L('en', 'registration:profession.ask'));
  });

  it('stumbles 4, 5 and 6: half a year, a goal in her own words and a typed language are stored and read back', async () => {
    const who = 'telegram:ownwords';
    await command(who, 'start');
    await press(who, L('en', 'common:language_name.en'));
    await press(who, L('en', 'registration:consent.accept'));
    for (const answer of ['Amira', 'Tampere', 'Civil engineer']) await typed(who, answer);
    await press(who, L('en', 'registration:education.options.master'));
    await typed(who, '7,5');
    await press(who, L('en', 'registration:finnish.options.B1'));
    expect(await textsAfter(who, () => press(who, L('en', 'registration:goals.other')))).toBe(
      L('en', 'registration:goals.other_hint'),
    );
    const added = await textsAfter(who, () => typed(who, 'Finding an internship'));
    expect(added).toContain(L('en', 'common:added', { value: 'Finding an internship' }));
    expect(buttons(who).at(-1)?.label).toBe(L('en', 'common:done'));
    await press(who, L('en', 'common:done'));
    const doneAt = buttons(who).length;
    await typed(who, 'Kurdish');
    expect(buttons(who)).toHaveLength(doneAt);
    await press(who, L('en', 'common:done'));
    await press(who, L('en', 'registration:availability.options.evenings'));
    await press(who, L('en', 'common:done'));
    const summary = repliesTo(who).at(-1)!.message.text;
    expect(summary).toContain(L('en', 'registration:summary.line.experience', { count: 7.5 }));
    await press(who, L('en', 'registration:summary.confirm'));
    const me = await ctx.repos.participants.findByIdentity(who);
    expect(me?.actor).toMatchObject({ yearsExperience: 7.5, goals: ['Finding an internship'], languages: ['Kurdish'] });
  });

  it('stumble 8: /help shows only what applies: no /meet, /meetings, /timeline or /ask without a pair', async () => {
    const guest = await textsAfter('telegram:guest', () => command('telegram:guest', 'help'));
    const waiting = await seed(ctx.repos.participants, actorData('telegram:waiting'));
    const paired = await seed(ctx.repos.participants, { ...actorData('telegram:paired'), status: 'paired' });
    const mentor = await seed(ctx.repos.participants, { ...mentorData('telegram:mentor', {}, 'en'), status: 'paired' });
    const helpOf = (p: { identities: string[] }) =>
      textsAfter(p.identities[0]!, () => command(p.identities[0]!, 'help'));
    for (const text of [guest, await helpOf(waiting)]) {
      for (const c of ['/meet ', '/meetings', '/timeline', '/ask', '/officerhelp']) expect(text).not.toContain(c);
    }
    expect(guest).not.toContain('/profile');
    expect(await helpOf(waiting)).toContain('/profile');
    const actorHelp = await helpOf(paired);
    for (const c of ['/meet ', '/meetings', '/timeline', '/ask']) expect(actorHelp).toContain(c);
    const mentorHelp = await helpOf(mentor);
    expect(mentorHelp).toContain('/meet ');
    expect(mentorHelp).not.toContain('/ask');
    await ctx.services.officers.ensure([{ identity: 'telegram:officer', address: 'telegram:officer' }], clock.now());
    const officerHelp = await textsAfter('telegram:officer', () => command('telegram:officer', 'help'));
    expect(officerHelp).toContain('/officerhelp');
    expect(officerHelp).not.toContain('/meet');
  });

  it('stumble 8: /counselling offers "a problem with my pairing" only to someone with a pair', async () => {
    const pairing = L('en', 'counselling:topic.pairing');
    const waiting = await textsAfter('telegram:waiting', () => command('telegram:waiting', 'counselling'));
    expect(waiting).toContain(L('en', 'counselling:topic_ask'));
    expect(buttons('telegram:waiting').map((b) => b.label)).not.toContain(pairing);
    await command('telegram:paired', 'counselling');
    expect(buttons('telegram:paired').map((b) => b.label)).toContain(pairing);
  });

  it('stumble 9: /profile in the middle of registering says her answers come at the end, and asks the question again', async () => {
    const who = 'telegram:profile';
    await command(who, 'start');
    await press(who, L('en', 'common:language_name.en'));
    await press(who, L('en', 'registration:consent.accept'));
    const reply = await textsAfter(who, () => command(who, 'profile'));
    expect(reply).toContain(L('en', 'common:profile.at_the_end'));
    expect(reply).not.toContain(L('en', 'common:profile.finish_first'));
    expect(reply).toContain(L('en', 'registration:name.ask'));
  });

  it('stumble 10: the privacy notice names the way to have everything deleted: /delete, which exists', async () => {
    const who = 'telegram:contact';
    await command(who, 'start');
    const notice = await textsAfter(who, () => press(who, L('en', 'common:language_name.en')));
    expect(notice).toContain(L('en', 'registration:consent.delete_command'));
    const reply = await textsAfter(who, () => command(who, 'delete'));
    expect(reply).not.toContain(L('en', 'common:unknown_command'));
  });

  it('stumble 11: after declining, a restarted console\'s /start does not say "continue where you left off"', async () => {
    const who = 'telegram:decliner';
    await command(who, 'start', 'role');
    await press(who, L('en', 'common:language_name.en'));
    await press(who, L('en', 'common:role.actor'));
    await press(who, L('en', 'registration:consent.decline'));
    // The console opens every start with "/start role"; she then types /start herself.
    await command(who, 'start', 'role');
    const reply = await textsAfter(who, () => command(who, 'start'));
    expect(reply).not.toContain(L('en', 'common:start.resume'));
    expect(reply).toBe(L('en', 'common:role.ask'));
  });

  it('stumble 11: someone who stopped with /cancel is still welcomed back at the same question', async () => {
    const who = 'telegram:paused';
    await command(who, 'start');
    await press(who, L('en', 'common:language_name.en'));
    await press(who, L('en', 'registration:consent.accept'));
    await command(who, 'cancel');
    const reply = await textsAfter(who, () => command(who, 'start'));
    expect(reply).toBe(`${L('en', 'common:start.resume')}\n\n${L('en', 'registration:name.ask')}`);
  });

  it('stumble 14: /whoami shows her numeric Telegram id and the setting that makes her an officer', async () => {
    const who = 'telegram:123456789';
    const reply = await textsAfter(who, () => command(who, 'whoami'));
    expect(reply).toContain(L('en', 'help:whoami', { platform: 'telegram', id: '123456789' }));
    expect(reply).toContain(L('en', 'help:whoami_officer', { id: '123456789', setting: 'OFFICER_TELEGRAM_IDS' }));
  });
});
