import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleProcess } from '../support/console-process.ts';
import { testDbUri } from '../support/database.ts';
import { L } from '../support/i18n.ts';
import { DateTime } from 'luxon';

/**
 * The whole programme in one terminal: an officer, a mentor and an actor who writes Arabic, played with
 * `/as`, from registration to a resolved stall alert, with `/clock` moving the programme's time.
 */
describe('the console with several people (npm start, no accounts)', () => {
  let chat: ConsoleProcess;
  afterAll(async () => {
    if (process.env.CONSOLE_TRANSCRIPT) writeFileSync(process.env.CONSOLE_TRANSCRIPT, chat.screen);
    if (chat?.child.exitCode === null) chat.child.kill('SIGKILL');
  });

  it('registers, matches, agrees a plan, meets, is reminded, checked in on, alerted and resolved', async () => {
    chat = new ConsoleProcess({ MONGODB_URI: testDbUri('e2e_console_people'), DISPATCH_EVERY_SECONDS: '1' });
    // The first person of a new console database is the local programme's officer.
    await chat.waitFor('→ officer:');
    expect(chat.last('officer')).toContain('/waiting');
    expect(chat.stderr).not.toMatch(/builds|minute or two/);

    // An actor in Arabic.
    await chat.console('/as amira', '· amira is new here');
    await chat.waitFor('→ amira:');
    // Her language first, then who she is, in it.
    await chat.press(/العربية/);
    await chat.press(label('ar', 'common:role.actor'));
    await chat.press(/نعم/);
    await chat.type('Amira');
    await chat.type('Tampere');
    await chat.type('مهندسة مدنية');
    await chat.press(/البكالوريوس/);
    await chat.type('7');
    await chat.press(/B1/);
    await chat.press(/ثقافة العمل/);
    await chat.press(/تم/);
    await chat.press(/العربية/);
    await chat.press(/تم/);
    await chat.press(/المساء/);
    await chat.press(/تم/);
    await chat.press(/كل شيء صحيح/);

    // A mentor, with the local trial's mentor code.
    await chat.console('/as liisa', '· liisa is new here');
    await chat.waitFor('→ liisa:');
    await chat.press(/English/);
    await chat.press(/I am a mentor/);
    await chat.type('local-trial');
    await chat.press(/Yes/);
    await chat.type('Liisa');
    await chat.type('Civil engineering');
    await chat.type('Ramboll');
    await chat.type('Tampere');
    await chat.press(/Finnish/);
    await chat.press(/English/);
    await chat.press(/Done/);
    await chat.press(/\] 2$/);
    await chat.press(/evening/i);
    await chat.press(/Done/);
    await chat.press(/Everything is right/);
    expect(chat.last('liisa')).toMatch(/Liisa/);

    // The officer matches them; the proposals reach both at once, each in her language.
    await chat.console('/as officer', '· Now speaking: officer (officer).');
    await chat.console('/people', '· liisa: mentor');
    expect(chat.screen).toContain('· amira: actor');
    await chat.type('/waiting');
    await chat.press(/Amira/);
    // The proposals may be shown before the officer's confirmation has settled: look from before the press.
    const proposed = chat.screen.length;
    await chat.press(/Liisa/, 'officer', 'Proposed: Amira and Liisa');
    await chat.waitFor('→ amira:', proposed);
    await chat.waitFor(/→ liisa:\n {2}We propose you a mentee/, proposed);
    expect(chat.last('amira')).toContain(L('ar', 'pairs:proposal.accept'));

    // Numbers press the buttons of the person speaking: officer has none, so "1" is text for her.
    await chat.console('/as amira', '· Now speaking: amira (actor).');
    await chat.press(label('ar', 'pairs:proposal.accept'));
    await chat.console('/as liisa', '· Now speaking: liisa (mentor).');
    await chat.press(/Yes/, 'liisa', 'Write our plan');
    await chat.waitFor(label('ar', 'pairs:intro.write_commitment'));

    // The mentor writes their plan, the actor confirms it in Arabic.
    await chat.press(/Write our plan/);
    expect(chat.last('liisa')).toMatch(/✅ Finnish working culture/);
    await chat.press(/Done/);
    await chat.press(/Every two weeks/);
    await chat.press(/Today/);
    await chat.press(/7 months/, 'liisa', 'to confirm');
    await chat.console('/as amira', '· Now speaking: amira (actor).');
    await chat.waitFor(label('ar', 'pairs:commitment.confirm'));
    await chat.press(label('ar', 'pairs:commitment.confirm'), 'amira', L('ar', 'pairs:commitment.confirmed'));

    // A meeting in two days, proposed by the mentor and accepted.
    const day = DateTime.now().setZone('Europe/Helsinki').plus({ days: 2 });
    await chat.console('/as liisa', '· Now speaking: liisa (mentor).');
    await chat.type('/meet');
    await chat.type(`${day.day}.${day.month}. 17.30`);
    await chat.type('Tampere library', 'liisa', 'I asked Amira');
    await chat.console('/as amira', '· Now speaking: amira (actor).');
    await chat.waitFor(label('ar', 'meetings:accept'));
    await chat.press(label('ar', 'meetings:accept'));

    // Three days on: both reminders, then "did you meet?".
    let mark = chat.screen.length;
    await chat.console('/clock +3d', "· The programme's time moved");
    const reminder = L('ar', 'meetings:reminder.pair', { when: '', place: '' }).slice(0, 12);
    expect(chat.messagesFor('amira', mark).filter((m) => m.includes(reminder))).toHaveLength(2);
    expect(chat.messagesFor('liisa', mark).filter((m) => m.includes('Reminder: your mentoring meeting'))).toHaveLength(
      2,
    );
    await chat.press(label('ar', 'meetings:followup.yes'));
    await chat.press(label('ar', 'meetings:topics.working_culture'));
    await chat.press(label('ar', 'common:done'), 'amira', L('ar', 'meetings:followup.thanks_yes'));

    // Two weeks on: the first check-in, answered by the actor.
    mark = chat.screen.length;
    await chat.console('/clock +12d', "· The programme's time moved");
    expect(chat.messagesFor('amira', mark).some((m) => m.includes(L('ar', 'checkins:met_ask')))).toBe(true);
    expect(chat.messagesFor('liisa', mark).some((m) => m.includes('Have you met since the last check-in?'))).toBe(true);
    await chat.press(label('ar', 'checkins:met.yes'));
    await chat.press(/\[4\]/);
    await chat.press(label('ar', 'common:done'));
    await chat.press(label('ar', 'common:skip'));
    await chat.press(label('ar', 'common:skip'), 'amira', L('ar', 'checkins:thanks'));

    // No meeting for three weeks: the pair stalls and the officer is alerted, shown at once with her name.
    mark = chat.screen.length;
    await chat.console('/clock +10d', "· The programme's time moved");
    const alert = chat.messagesFor('officer', mark).find((m) => m.includes('needs attention'));
    expect(alert).toMatch(/Amira & Liisa \(Tampere\)/);
    expect(alert).toMatch(/No meeting logged for 2\d days/);
    await chat.console('/as officer', '· Now speaking: officer (officer).');
    await chat.press(/Resolve/, 'officer', 'What was done?');
    expect(chat.screen).toContain('✅ Resolved by officer');
    await chat.type('Called both; they meet next week.', 'officer', 'the note is saved');
    expect(await chat.close()).toBe(0);
  }, 300_000);
});

const label = (lng: 'ar' | 'en', key: string) => new RegExp(L(lng, key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
