import type { Effect, Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { actorLine, language, nameOf } from '../../src/core/labels.ts';
import type { Reason } from '../../src/core/matching.ts';
import { askToPick, handoff, type Presenter } from '../../src/core/operation.ts';
import { type completePair, declinePair, proposePair, rankMentors } from '../../src/core/operations.ts';
import type { listWaitingActors, replyToPair } from '../../src/core/pairs.operations.ts';

const say = (...text: Text[]): Effect => ({ type: 'say', text });

const reasonText = (r: Reason): Text => {
  switch (r.code) {
    case 'shared_language':
      return t('officer:reason.shared_language', { value: r.value.map(language) });
    case 'availability':
      return t('officer:reason.availability', {
        value: r.value.map((v) => t(`registration:availability.options.${v}`)),
      });
    case 'spare_capacity':
    case 'waiting_days':
      return t(`officer:reason.${r.code}`, { count: r.value });
    default:
      return t(`officer:reason.${r.code}`, { value: r.value });
  }
};

/** The ranked mentors with their reasons, and a pick that proposes the chosen one. */
export const presentRanking: Presenter<typeof rankMentors> = (r) => {
  if (r.outcome === 'not_found') return [say(t('officer:not_found'))];
  const name = nameOf(r.actor);
  if (!r.candidates.length) return [say(t('officer:rank.none', { name }))];
  return [
    say(
      t('officer:rank.title', { name }),
      ...r.candidates.map((c, i) =>
        t('officer:rank.line', {
          n: i + 1,
          name: nameOf(c.mentor),
          score: c.score,
          reasons: c.reasons.map(reasonText),
        }),
      ),
    ),
    askToPick(
      t('officer:rank.pick', { name }),
      r.candidates.map((c, i) => ({
        value: c.mentor.id,
        label: { literal: `${i + 1}. ${nameOf(c.mentor)}` },
      })),
      handoff(proposePair, 'mentorId', { actorId: r.actor.id }),
    ),
  ];
};

/** The officer's confirmation; the proposals themselves went to both through the outbox. */
export const presentPairProposal: Presenter<typeof proposePair> = (r) => {
  switch (r.outcome) {
    case 'not_found':
      return [say(t('officer:not_found'))];
    case 'already_open':
      return [say(t('officer:propose.already_open', { name: nameOf(r.actor) }))];
    case 'mentor_full':
      return [say(t('officer:propose.full', { name: nameOf(r.mentor) }))];
    case 'proposed':
      return [say(t('officer:propose.done', { actor: nameOf(r.actor), mentor: nameOf(r.mentor) }))];
  }
};

/** Her thanks for the answer; the partner and the officer were told through the outbox. */
export const presentDecline: Presenter<typeof declinePair> = (r) =>
  r.outcome === 'not_found' ? [say(t('common:button_expired'))] : [say(t('pairs:decline.thanks'))];

/** The officer's confirmation; both partners were thanked through the outbox. */
export const presentCompleted: Presenter<typeof completePair> = (r) =>
  r.outcome === 'not_active'
    ? [say(t('overview:complete.not_active'))]
    : [say(t('overview:complete.done', { actor: nameOf(r.actor), mentor: nameOf(r.mentor) }))];

/** /waiting: one line per actor, and a pick that ranks the mentors for the chosen one. */
export const presentWaiting: Presenter<typeof listWaitingActors> = ({ actors }, ctx) => {
  if (!actors.length) return [say(t('officer:waiting.none'))];
  return [
    say(t('officer:waiting.title', { count: actors.length }), ...actors.map((a, i) => actorLine(a, ctx.now, i + 1))),
    askToPick(
      t('officer:waiting.pick'),
      actors.map((a, i) => ({ value: a.id, label: { literal: `${i + 1}. ${nameOf(a)}` } })),
      handoff(rankMentors, 'actorId', {}),
    ),
  ];
};

/** A yes waits for the partner's (once both said yes, both were introduced through the outbox); a no asks why. */
export const presentPairReply: Presenter<typeof replyToPair> = (r) => {
  switch (r.outcome) {
    case 'not_found':
      return [say(t('common:button_expired'))];
    case 'accepted':
      return [say(t('pairs:proposal.accepted_wait'))];
    case 'activated':
      return [];
    case 'declining':
      return [
        {
          type: 'begin',
          flow: 'ask-text',
          args: {
            question: t('pairs:decline.reason_ask'),
            ...handoff(declinePair, 'reason', { pairId: r.pair.id }),
            optional: true,
            max: 500,
          },
        },
      ];
  }
};
