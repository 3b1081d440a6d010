import type { Effect, Flow, FlowContext, FlowInput, Text } from '../../src/core/flow.ts';
import type { FlowState, Participant } from '../../src/core/model.ts';
import type { Pair } from '../../src/core/programme.ts';

export const NOW = new Date('2026-11-25T10:00:00Z');

export function ctx(over: Partial<FlowContext> = {}): FlowContext {
  return {
    now: NOW,
    locale: 'en',
    identity: 'telegram:100',
    conversationId: 'telegram:100',
    participant: null,
    settings: { mentorCodes: ['GOODCODE'], consentVersion: 'v-test', defaultTimeZone: 'Europe/Helsinki' },
    ...over,
  };
}

export const keyOf = (text: Text) => ('key' in text ? text.key : text.literal);
export const said = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'say' ? e.text.map(keyOf) : []));

export type Step = string | { choice: string } | { text: string };
const toInput = (s: Step): FlowInput =>
  typeof s === 'string'
    ? { type: 'text', text: s }
    : 'choice' in s
      ? { type: 'choice', value: s.choice }
      : { type: 'text', text: s.text };

/** Feeds answers to a flow as the engine would, returning every intermediate state and effect. */
export function drive(flow: Flow, answers: Step[], c: FlowContext = ctx(), args: Record<string, unknown> = {}) {
  let out = flow.begin(c, args);
  let state: FlowState | null = out.state;
  const effects: Effect[] = [...out.effects];
  for (const a of answers) {
    if (!state) throw new Error(`flow ended before answer ${JSON.stringify(a)}`);
    out = flow.handle(state, toInput(a), c);
    state = out.state;
    effects.push(...out.effects);
  }
  return { state, last: out, effects };
}

/** A pair of actor a1 and mentor m1 proposed by officer o1, active unless told otherwise. */
export function pairOf(over: Partial<Pair> = {}): Pair {
  return {
    id: 'p1',
    actorId: 'a1',
    mentorId: 'm1',
    state: 'active',
    proposedBy: 'o1',
    actorAccepted: true,
    mentorAccepted: true,
    history: [],
    createdAt: NOW,
    ...over,
  };
}

export function registered(over: Partial<Participant>): Participant {
  return {
    id: 'p1',
    role: 'actor',
    identities: ['telegram:100'],
    addresses: { telegram: 'telegram:100' },
    locale: 'en',
    timeZone: 'Europe/Helsinki',
    status: 'waiting',
    consent: { given: true, textVersion: 'v-test', at: NOW },
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  };
}
