import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/core/flow.ts';
import type { Participant } from '../../src/core/model.ts';
import type { CheckIn } from '../../src/core/programme.ts';
import { presentCheckinAnswer } from '../../flows/checkin/checkin.presenter.ts';
import { presentPairProposal, presentRanking } from '../../flows/pairs/pairs.presenter.ts';
import { presentAnnouncement } from '../../flows/announce/announce.presenter.ts';
import { presentCounselling } from '../../flows/counselling/counselling.presenter.ts';
import { presentTimeline } from '../../flows/timeline/timeline.presenter.ts';
import { ctx, said } from '../support/flow-driver.ts';

/** Only what the presenters read of a person. */
const person = (id: string, firstName: string, role: 'actor' | 'mentor' = 'mentor') =>
  ({ id, role, timeZone: 'Europe/Helsinki', [role]: { firstName } }) as unknown as Participant;
const begun = (effects: Effect[]) => effects.find((e) => e.type === 'begin');

describe('presenters turn domain results into what the chat says', () => {
  it('a ranking: one line per mentor with her reasons, and a pick that proposes the chosen one', () => {
    const effects = presentRanking(
      {
        outcome: 'ranked',
        actor: person('a1', 'Amira', 'actor'),
        candidates: [
          { mentor: person('m1', 'Liisa'), score: 65, reasons: [{ code: 'same_city', value: 'Espoo' }] },
          { mentor: person('m2', 'Aino'), score: 40, reasons: [{ code: 'spare_capacity', value: 2 }] },
        ],
      },
      ctx(),
    );
    expect(said(effects)).toEqual(['officer:rank.title', 'officer:rank.line', 'officer:rank.line']);
    const line = effects[0]?.type === 'say' ? effects[0].text[1] : undefined;
    expect(line).toMatchObject({ params: { name: 'Liisa', reasons: [{ key: 'officer:reason.same_city' }] } });
    expect(begun(effects)).toMatchObject({
      flow: 'pick',
      args: { useCase: 'pairs.propose', argName: 'mentorId', args: { actorId: 'a1' } },
    });
    expect(begun(effects)?.type === 'begin' && begun(effects)?.args?.options).toEqual([
      { value: 'm1', label: { literal: '1. Liisa' } },
      { value: 'm2', label: { literal: '2. Aino' } },
    ]);
  });

  it('no fitting mentor, or no such actor, is said so', () => {
    const none = presentRanking({ outcome: 'ranked', actor: person('a1', 'Amira', 'actor'), candidates: [] }, ctx());
    expect(said(none)).toEqual(['officer:rank.none']);
    expect(said(presentRanking({ outcome: 'not_found' }, ctx()))).toEqual(['officer:not_found']);
    expect(said(presentPairProposal({ outcome: 'mentor_full', mentor: person('m1', 'Liisa') }, ctx()))).toEqual([
      'officer:propose.full',
    ]);
  });

  it('a check-in: thanks (for a private note, that the staff read it); any other outcome is an expired button', () => {
    const checkin = { id: 'c1', privateNote: 'help' } as CheckIn;
    expect(said(presentCheckinAnswer({ outcome: 'recorded', checkin }, ctx()))).toEqual(['checkins:thanks_private']);
    expect(
      said(presentCheckinAnswer({ outcome: 'recorded', checkin: { ...checkin, privateNote: undefined } }, ctx())),
    ).toEqual(['checkins:thanks']);
    for (const outcome of ['already_answered', 'missed', 'not_yours', 'not_found'] as const)
      expect(said(presentCheckinAnswer({ outcome }, ctx()))).toEqual(['common:button_expired']);
  });

  it('an announcement without any text says so and asks again; counselling asks its next question', () => {
    const again = presentAnnouncement({
      outcome: 'ask_text',
      draft: { kind: 'actors', texts: {} },
      lang: 'all',
      again: true,
    });
    expect(said(again)).toEqual(['announce:need_text']);
    expect(begun(again)).toMatchObject({ flow: 'ask-text', args: { useCase: 'announce.text', argName: 'text' } });
    const urgency = presentCounselling({ outcome: 'ask_urgency', topic: 'studies' });
    expect(begun(urgency)).toMatchObject({ args: { useCase: 'counselling.urgency', args: { topic: 'studies' } } });
  });

  it('a timeline in her own time zone; an empty one says so', () => {
    const at = new Date('2026-03-01T10:00:00Z');
    const effects = presentTimeline(
      { outcome: 'timeline', forOfficer: false, events: [{ pairId: 'p1', type: 'activated', at }] },
      ctx({ participant: { ...person('a1', 'Amira', 'actor'), timeZone: 'Asia/Riyadh' } }),
    );
    expect(effects[0]).toMatchObject({
      text: [
        { key: 'pairs:timeline.title' },
        { params: { when: { date: at.toISOString(), timeZone: 'Asia/Riyadh' } } },
      ],
    });
    expect(said(presentTimeline({ outcome: 'timeline', forOfficer: true, events: [] }, ctx()))).toEqual([
      'pairs:timeline.title',
      'pairs:timeline.empty',
    ]);
  });
});
