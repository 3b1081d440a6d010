import type { Flow, FlowContext, FlowInput, StepOutcome } from '../core/flow.ts';
import { t } from '../core/flow.ts';
import { invoke } from '../core/operation.ts';
import { groupMoved, redeemOfficerCode, requestToJoin } from '../core/operations.ts';
import type { InboundEvent } from '../core/messages.ts';
import type { FlowState, Participant } from '../core/model.ts';
import type { Translator } from './i18n.ts';
import { choiceForTypedText, parseButtonData } from './render.ts';

export type FlowRegistry = ReadonlyMap<string, Flow>;

export interface Turn {
  flow: FlowState | null;
  event: InboundEvent;
  ctx: FlowContext;
  flows: FlowRegistry;
  i18n: Translator;
  /** The platform told us her language, so registration need not ask it. */
  localeKnown: boolean;
}

const say = (key: string, params?: Record<string, string>) => ({ type: 'say' as const, text: [t(key, params)] });
const ask = { type: 'ask' as const };

export const isRegistered = (p: Participant | null): p is Participant =>
  Boolean(p && p.status !== 'declined' && p.status !== 'registering');

export function flowOf(flows: FlowRegistry, name: string): Flow {
  const flow = flows.get(name);
  if (!flow) throw new Error(`unknown flow ${name}`);
  return flow;
}

/** Decides what one inbound event does to the conversation. Pure: persistence is the engine's job. */
export function route(turn: Turn): StepOutcome {
  const { event } = turn;
  switch (event.payload.type) {
    case 'command':
      return command(turn, event.payload.name, event.payload.args.trim());
    case 'button':
      return button(turn, event.payload.data);
    case 'text':
      return text(turn, event.payload.text);
    case 'unsupported':
      return (
        input(turn, { type: 'unsupported', kind: event.payload.kind }) ?? {
          state: turn.flow,
          effects: [say('common:unsupported')],
        }
      );
    // Platform events about a group the bot runs: the question in progress, if any, stays as it is.
    case 'join_request':
      return { state: turn.flow, effects: [invoke(requestToJoin, { space: event.conversationId })] };
    case 'group_moved':
      return { state: turn.flow, effects: [invoke(groupMoved, { from: event.conversationId, to: event.payload.to })] };
  }
}

/** Hands the input to the active flow; undefined when no flow is active. */
function input(turn: Turn, value: FlowInput): StepOutcome | undefined {
  const { flow } = turn;
  if (!flow || flow.paused) return undefined;
  return flowOf(turn.flows, flow.flow).handle(flow, value, turn.ctx);
}

/** Ends a reply by repeating the open question, if any, so she always knows what is asked. */
const andAsk = (flow: FlowState | null, ...effects: StepOutcome['effects']): StepOutcome => ({
  state: flow,
  effects: flow && !flow.paused ? [...effects, ask] : effects,
});

function text(turn: Turn, typed: string): StepOutcome {
  const { flow, ctx } = turn;
  if (!flow) {
    if (isRegistered(ctx.participant)) return { state: null, effects: [say('common:nothing_in_progress')] };
    return begin(turn, 'actor-registration', {});
  }
  if (flow.paused) return { state: flow, effects: [say('common:cancel.paused_hint')] };
  const prompt = flowOf(turn.flows, flow.flow).prompt(flow, ctx);
  const choice = choiceForTypedText(prompt, typed, ctx.locale, turn.i18n);
  return input(turn, choice !== undefined ? { type: 'choice', value: choice } : { type: 'text', text: typed })!;
}

function button(turn: Turn, data: string): StepOutcome {
  const { flow, ctx } = turn;
  const parsed = parseButtonData(data);
  const expired = andAsk(flow, say('common:button_expired'));
  if (!parsed || !flow || flow.paused || parsed.promptId !== flow.promptId) return expired;
  const prompt = flowOf(turn.flows, flow.flow).prompt(flow, ctx);
  if (!prompt.choices?.some((c) => c.value === parsed.value)) return expired;
  return input(turn, { type: 'choice', value: parsed.value })!;
}

function begin(turn: Turn, name: string, args: Record<string, unknown>): StepOutcome {
  return flowOf(turn.flows, name).begin(turn.ctx, { localeKnown: turn.localeKnown, ...args });
}

function command(turn: Turn, name: string, args: string): StepOutcome {
  const { flow, ctx } = turn;
  const registered = isRegistered(ctx.participant);
  switch (name) {
    case 'start': {
      if (args.startsWith('officer-')) return { state: flow, effects: [invoke(redeemOfficerCode, { code: args })] };
      if (args.startsWith('mentor-')) {
        if (registered) return andAsk(flow, say('common:start.already_registered'));
        const code = args.slice('mentor-'.length);
        if (!ctx.settings.mentorCodes.includes(code)) return andAsk(flow, say('common:start.bad_mentor_code'));
        return begin(turn, 'mentor-registration', {});
      }
      // "Welcome back" only to someone who stopped; in the middle of a question she gets the question.
      if (flow)
        return {
          state: { ...flow, paused: false },
          effects: flow.paused ? [say('common:start.resume'), ask] : [{ ...ask, full: true }],
        };
      if (registered) return { state: null, effects: [welcomeBack(ctx.participant!)] };
      return args === 'role' ? begin(turn, 'welcome', {}) : begin(turn, 'actor-registration', {});
    }
    case 'help':
      return andAsk(flow, say(helpFor(ctx.participant)));
    case 'whoami':
      return andAsk(flow, whoami(ctx.identity));
    case 'language':
      return begin(turn, 'language', { resume: flow && !flow.paused && flow.flow !== 'language' ? flow : undefined });
    case 'profile': {
      // Her answers so far are shown, and can be changed, at the end of the registration itself.
      if (flow && !flow.paused && REGISTRATIONS.has(flow.flow) && !registered)
        return andAsk(flow, say('common:profile.at_the_end'));
      if (flow && !flow.paused) return andAsk(flow, say('common:profile.finish_first'));
      if (!registered)
        return { state: flow, effects: [say(flow ? 'common:cancel.paused_hint' : 'common:profile.none')] };
      const role = ctx.participant!.role;
      if (role === 'officer') return { state: flow, effects: [say('common:profile.none')] };
      return begin(turn, `${role}-registration`, { mode: 'edit' });
    }
    case 'cancel': {
      if (!flow || flow.paused) return { state: flow, effects: [say('common:cancel.nothing')] };
      if (flowOf(turn.flows, flow.flow).pausable)
        return { state: { ...flow, paused: true }, effects: [say('common:cancel.paused')] };
      const resume =
        flow.flow === 'language' ? flowOf(turn.flows, 'language').back(flow, ctx) : { state: null, effects: [] };
      return {
        state: resume.state,
        effects: [say('common:cancel.discarded'), ...resume.effects.filter((e) => e.type === 'ask')],
      };
    }
    case 'back':
      if (!flow || flow.paused) return { state: flow, effects: [say('common:nothing_in_progress')] };
      return flowOf(turn.flows, flow.flow).back(flow, ctx);
    default:
      return andAsk(flow, say('common:unknown_command'));
  }
}

const REGISTRATIONS = new Set(['welcome', 'actor-registration', 'mentor-registration']);

/** Only the commands that do something for her now: no /meet without a pair, no /officerhelp for a member. */
function helpFor(p: Participant | null): string {
  if (!isRegistered(p)) return 'help:guest';
  if (p.role === 'officer') return 'help:officer';
  if (p.status !== 'paired') return p.role === 'actor' ? 'help:actor' : 'help:member';
  return p.role === 'actor' ? 'help:actor_paired' : 'help:mentor_paired';
}

/** Her id on this platform, as the officers' settings name it (OFFICER_TELEGRAM_IDS takes the number alone). */
function whoami(identity: string) {
  const platform = identity.slice(0, identity.indexOf(':'));
  const id = identity.slice(platform.length + 1);
  const setting = OFFICER_SETTINGS[platform];
  const text = [t('help:whoami', { platform, id }), ...(setting ? [t('help:whoami_officer', { setting, id })] : [])];
  return { type: 'say' as const, text };
}
const OFFICER_SETTINGS: Record<string, string> = { telegram: 'OFFICER_TELEGRAM_IDS', slack: 'OFFICER_SLACK_IDS' };

function welcomeBack(p: Participant) {
  // Officers have no profile: the name their platform shows, if any.
  const name = (p.actor?.firstName ?? p.mentor?.firstName ?? p.displayName ?? '').trim();
  const hello = name ? t('common:start.welcome_back', { name }) : t('common:start.welcome_back_unnamed');
  return { type: 'say' as const, text: [hello, t(`common:status.${p.role}.${p.status}`)] };
}

/** Replaces `begin` effects by the flows they start, so the engine sees only the final state. */
export function settle(outcome: StepOutcome, ctx: FlowContext, flows: FlowRegistry): StepOutcome {
  let state = outcome.state;
  const effects: StepOutcome['effects'] = [];
  for (const effect of outcome.effects) {
    if (effect.type !== 'begin') {
      effects.push(effect);
      continue;
    }
    const next = settle(flowOf(flows, effect.flow).begin(ctx, effect.args ?? {}), ctx, flows);
    state = next.state;
    effects.push(...next.effects);
  }
  return { state, effects };
}
