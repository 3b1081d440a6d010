import type { Effect, Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { nameOf } from '../../src/core/labels.ts';
import { askToPick, handoff, type Presenter } from '../../src/core/operation.ts';
import {
  type groupMoved,
  openSpaces,
  type requestToJoin,
  type SpaceOpening,
  type SpacesStep,
  withdrawMember,
  type WithdrawStep,
  withdrawWho,
} from '../../src/core/operations.ts';
import type { bindSpace } from '../../src/core/pairs.operations.ts';
import type { Cohort } from '../../src/core/programme.ts';

const say = (...text: Text[]): Effect => ({ type: 'say', text });
const cohortOptions = (cohorts: Cohort[]) =>
  cohorts.map((c) => ({ value: c.id, label: t('cohorts:name', { name: c.name }) }));

function opening(name: string, s: SpaceOpening): Effect {
  switch (s.outcome) {
    case 'created':
      return say(t('peer:slack_created', { name, count: s.invited }));
    case 'create_failed':
      return say(t('peer:slack_failed', { name, reason: s.reason }));
    case 'already_bound':
      return say(t('peer:already_bound', { name, count: s.invited }));
    case 'bind_code':
      return say(t('peer:bind_instructions', { name, code: s.code }));
  }
}

/** /peergroup: which cohort, then one line per platform (a channel created, or a code to bind a group). */
export const presentSpaces = (r: SpacesStep): Effect[] => {
  switch (r.outcome) {
    case 'no_cohorts':
      return [say(t('cohorts:none'))];
    case 'not_found':
      return [say(t('common:button_expired'))];
    case 'pick_cohort':
      return [askToPick(t('peer:which_cohort'), cohortOptions(r.cohorts), handoff(openSpaces, 'cohortId', {}))];
    case 'opened':
      return r.spaces.map((s) => opening(r.cohort.name, s));
  }
};

/** /withdraw: which cohort, which member, then who has left. */
export const presentWithdraw = (r: WithdrawStep): Effect[] => {
  switch (r.outcome) {
    case 'no_cohorts':
      return [say(t('cohorts:none'))];
    case 'not_found':
      return [say(t('common:button_expired'))];
    case 'pick_cohort':
      return [
        askToPick(t('peer:withdraw_which_cohort'), cohortOptions(r.cohorts), handoff(withdrawWho, 'cohortId', {})),
      ];
    case 'pick_member': {
      const options = r.members.map((m) => ({
        value: m.id,
        label: t('peer:member', { name: nameOf(m), role: t(`counselling:role.${m.role}`) }),
      }));
      const member = handoff(withdrawMember, 'participantId', { cohortId: r.cohortId });
      return [{ type: 'begin', flow: 'pick', args: { question: t('peer:withdraw_who'), options, ...member } }];
    }
    case 'withdrawn':
      return [say(t('peer:withdrawn', { name: nameOf(r.person) }))];
  }
};

/** What happened to a join request is for the group and the officers (told by the service); the event has no chat. */
export const presentJoinRequest: Presenter<typeof requestToJoin> = () => [];
export const presentGroupMoved: Presenter<typeof groupMoved> = () => [];
/** /bind in the group: bound (its members were invited, the officer told in her own chat), or what went wrong. */
export const presentBinding: Presenter<typeof bindSpace> = (r) => {
  switch (r.outcome) {
    case 'not_in_group':
      return [say(t('peer:bind_in_group'))];
    case 'no_code':
      return [say(t('peer:bind_usage'))];
    case 'bad_code':
      return [say(t('peer:bind_bad_code'))];
    case 'not_admin':
      return [say(t('peer:bind_not_admin', { code: r.code }))];
    case 'bound':
      return [say(t('peer:bound', { name: r.cohort.name }))];
  }
};
