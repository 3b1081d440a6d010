import { describe, expect, it } from 'vitest';
import type { TimelineEvent, TimelineType } from '../../src/core/programme.ts';
import { evaluatePair } from '../../src/services/health.ts';

const START = new Date('2026-01-01T10:00:00Z');
const day = (n: number) => new Date(START.getTime() + n * 86_400_000);
const ev = (type: TimelineType, n: number, data?: Record<string, unknown>): TimelineEvent => ({ pairId: 'p', type, at: day(n), ...(data ? { data } : {}) });
const answered = (n: number, who: string, rating: number, extra: Record<string, unknown> = {}) => ev('checkin_answered', n, { participantId: who, rating, ...extra });
const missed = (n: number, who: string) => ev('checkin_missed', n, { participantId: who });
const base = [ev('activated', 0), ev('commitment_set', 3)];

describe('stall detection', () => {
  it.each<[string, TimelineEvent[], number, string[], string]>([
    ['a fresh pair is on track', base, 5, [], 'on_track'],
    ['no meeting for 21 days', base, 21, ['no_meeting'], 'stalled'],
    ['a meeting resets the clock', [...base, ev('meeting_held', 15)], 30, [], 'on_track'],
    ['no meeting for 21 days after the last one', [...base, ev('meeting_held', 15)], 36, ['no_meeting'], 'stalled'],
    ['no commitment 14 days after matching', [ev('activated', 0), ev('meeting_held', 10)], 14, ['no_commitment'], 'needs_attention'],
    ['two check-ins missed in a row by one side', [...base, ev('meeting_held', 12), missed(14, 'a'), missed(28, 'a')], 29, ['missed_checkins'], 'stalled'],
    ['a missed check-in then an answer is fine', [...base, ev('meeting_held', 12), missed(14, 'a'), answered(28, 'a', 4)], 29, [], 'on_track'],
    ['missed by different people is not "in a row"', [...base, ev('meeting_held', 12), missed(14, 'a'), missed(28, 'm')], 29, [], 'on_track'],
    ['a rating of 2 or less twice in a row', [...base, ev('meeting_held', 12), answered(14, 'a', 2), answered(28, 'a', 1)], 29, ['low_rating'], 'needs_attention'],
    ['one low rating is not yet a signal', [...base, ev('meeting_held', 12), answered(14, 'a', 4), answered(28, 'a', 3)], 29, [], 'on_track'],
    ['a drop of 2 or more', [...base, ev('meeting_held', 12), answered(14, 'm', 5), answered(28, 'm', 3)], 29, ['rating_drop'], 'needs_attention'],
    ['a private note asking for help', [...base, ev('meeting_held', 12), answered(14, 'a', 4, { helpRequested: true })], 15, ['help_requested'], 'needs_attention'],
    ['no meeting and low ratings together', [...base, answered(14, 'a', 2), answered(28, 'a', 2)], 29, ['no_meeting', 'low_rating'], 'stalled'],
  ])('%s', (_name, timeline, onDay, codes, health) => {
    const r = evaluatePair(timeline, [], day(onDay));
    expect(r.signals.map((s) => s.code).sort()).toEqual([...codes].sort());
    expect(r.health).toBe(health);
  });

  it('a member who blocked the bot stalls the pair', () => {
    const r = evaluatePair([...base, ev('meeting_held', 2)], ['a'], day(4));
    expect(r).toMatchObject({ health: 'stalled', signals: [{ code: 'unreachable', participantId: 'a' }] });
  });

  it('says when to look again: the next deadline, at most a day away', () => {
    expect(evaluatePair([...base, ev('meeting_held', 10)], [], day(30.5)).nextEvaluationAt).toEqual(day(31));
    expect(evaluatePair([ev('activated', 0)], [], day(13.5)).nextEvaluationAt).toEqual(day(14));
    expect(evaluatePair(base, [], day(1)).nextEvaluationAt).toEqual(day(2));
  });

  it('gives the number of days without a meeting', () => {
    expect(evaluatePair(base, [], day(25)).signals[0]).toMatchObject({ code: 'no_meeting', days: 25, since: START });
  });
});
