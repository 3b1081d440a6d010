import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../adapters/mongo/connection.ts';
import { ConsoleProcess } from '../support/console-process.ts';
import { testDbUri } from '../support/database.ts';

/** `npm start -- --demo`: a programme of some weeks, made through its own services, seen by its officer. */
describe('the demo programme', () => {
  const uri = testDbUri('demo');
  const dbName = `${new URL(uri).pathname.slice(1)}`.slice(0, 58);
  let chat: ConsoleProcess;
  afterAll(() => {
    if (chat?.child.exitCode === null) chat.child.kill('SIGKILL');
  });

  it('shows the officer every seeded state: pairs, health, alerts, a cohort, a counselling request', async () => {
    chat = new ConsoleProcess({ MONGODB_URI: uri, MONGODB_DB: dbName }, ['--demo']);
    await chat.waitFor('→ officer:', 0, 120_000);
    // The stall evaluation runs as the console opens: one alert per stalling pair, each for its own reason.
    const reasons = [
      /No meeting logged for \d+ days/,
      /No commitment written \d+ days after matching/,
      /rated the mentoring low twice/,
      /missed two check-ins in a row/,
      /wrote a private note to the staff/,
    ];
    for (const reason of reasons) await chat.waitFor(reason, 0, 60_000);
    const alerts = chat.messagesFor('officer').filter((m) => m.includes('needs attention'));
    expect(new Set(alerts.map((a) => /Pair (\S+ & \S+)/.exec(a)?.[1])).size).toBe(5);
    expect(alerts.join('\n')).not.toMatch(/Amira & Liisa|Olena & Aino|Maria & Sanna/);

    const pairs = await chat.type('/pairs', 'officer', 'Completed (1)');
    expect(pairs).toContain('Pairs: 11');
    expect(pairs).toContain('Proposed (2)');
    expect(pairs).toMatch(/Hana & Elina \(Turku\) – proposed/);
    expect(pairs).toContain('Active (8)');
    for (const healthy of ['Amira & Liisa (Tampere)', 'Olena & Aino (Helsinki)', 'Maria & Sanna (Turku)'])
      expect(pairs).toContain(`${healthy} – on track – open alerts: 0`);
    expect(pairs).toMatch(/Leila & Kaisa \(Oulu\) – stalled: no meeting for weeks.* – open alerts: [1-9]/);
    expect(pairs).toMatch(/Svetlana & Minna \(Helsinki\) – needs attention: no plan written/);
    expect(pairs).toMatch(/Nour & Johanna \(Tampere\) – needs attention: low ratings/);
    expect(pairs).toMatch(/Iryna & Hanna \(Turku\) – stalled: check-ins missed/);
    expect(pairs).toMatch(/Sara & Laura \(Oulu\) – needs attention: a private note to the staff/);
    expect(pairs).toMatch(/Daria & Riikka \(Helsinki\) – completed/);
    expect(pairs).toMatch(/Cohort 1 – pairs: 5 – next group meeting: .+, Oodi, Helsinki/);

    expect(await chat.type('/requests', 'officer', 'Leila')).toMatch(/Leila: A problem with my mentoring pair/);
    const waiting = await chat.type('/waiting', 'officer', 'For whom shall I look');
    expect(chat.messagesFor('officer').at(-2)).toMatch(/3 actors are waiting/);
    expect(waiting).toMatch(/Yasmin/);

    await chat.console('/people', '· paivi: mentor');
    expect(chat.screen.match(/^· [a-z]+: actor$/gm)).toHaveLength(14);
    expect(chat.screen.match(/^· [a-z]+: mentor$/gm)).toHaveLength(12);
    expect(await chat.close()).toBe(0);

    // Four cities and all five languages, as registered.
    const demoUri = new URL(uri);
    demoUri.pathname = `/${dbName}-demo`;
    const connection = await connect(demoUri.toString());
    try {
      const people = await connection.db!.collection('participants').find({}).toArray();
      expect(new Set(people.map((p) => p.locale))).toEqual(new Set(['en', 'fi', 'ar', 'ru', 'uk']));
      expect(new Set(people.flatMap((p) => (p.actor ? [p.actor.city] : [])))).toEqual(
        new Set(['Helsinki', 'Tampere', 'Turku', 'Oulu']),
      );
    } finally {
      await connection.close();
    }
  }, 240_000);
});
