import type { ActionHandler } from '../src/core/flow.ts';
import { invoke } from '../src/core/operation.ts';
import { changeMeeting } from '../src/core/operations.ts';
import { setDaily, showVocab } from '../src/core/vocab.operations.ts';
import { decideAnonymous, handleCounselling } from '../src/core/support.operations.ts';
import { answerRejoin, beginSurvey } from '../src/core/ending.operations.ts';
import { answerRsvp, confirmCommitment, replyToPair, startCommitment } from '../src/core/pairs.operations.ts';
import { actOnAlert } from '../src/core/alerts.operations.ts';
import { acceptMeeting, followUpMeeting, startCheckin } from '../src/core/meetings.operations.ts';

/** The outbox's buttons by kind: each press invokes an operation with the button's reference and value. */
export function programmeActions(): Map<string, ActionHandler> {
  return new Map<string, ActionHandler>([
    [
      'pair.reply',
      async (a, v) => [
        invoke(replyToPair, {
          pairId: a.ref.pairId!,
          side: a.ref.side === 'mentor' ? 'mentor' : 'actor',
          accept: v === 'accept',
        }),
      ],
    ],
    ['commitment.start', async (a) => [invoke(startCommitment, { pairId: a.ref.pairId! })]],
    [
      'commitment.confirm',
      async (a, v) => [
        v === 'confirm'
          ? invoke(confirmCommitment, { pairId: a.ref.pairId! })
          : invoke(startCommitment, { pairId: a.ref.pairId! }),
      ],
    ],
    [
      'meeting.reply',
      async (a, v) => [
        v === 'accept'
          ? invoke(acceptMeeting, { meetingId: a.ref.meetingId! })
          : invoke(changeMeeting, { what: `move:${a.ref.meetingId}` }),
      ],
    ],
    ['meeting.followup', async (a, v) => [invoke(followUpMeeting, { meetingId: a.ref.meetingId!, answer: v })]],
    ['group.rsvp', async (a, v) => [invoke(answerRsvp, { meetingId: a.ref.meetingId!, answer: v })]],
    ['checkin.met', async (a, v) => [invoke(startCheckin, { checkinId: a.ref.checkinId!, met: v })]],
    ['anonymous', async (a, v) => [invoke(decideAnonymous, { questionId: a.ref.questionId!, value: v })]],
    ['counselling', async (a, v) => [invoke(handleCounselling, { requestId: a.ref.requestId!, value: v })]],
    ['survey.start', async (a) => [invoke(beginSurvey, { surveyId: a.ref.surveyId! })]],
    // The daily practice's buttons: a short quiz on the list she has, or stop.
    [
      'vocab.daily',
      async (_a, v) => [v === 'stop' ? invoke(setDaily, { on: false }) : invoke(showVocab, { choice: 'daily' })],
    ],
    ['ending.rejoin', async (a, v) => [invoke(answerRejoin, { pairId: a.ref.pairId!, value: v })]],
    ['alert', async (a, v) => [invoke(actOnAlert, { alertId: a.ref.alertId!, what: v })]],
  ]);
}
