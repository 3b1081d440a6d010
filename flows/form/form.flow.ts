import type { Effect, Flow, FlowContext, FlowInput, Prompt, StepOutcome, Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { typedNumber } from '../../src/core/text.ts';

/** A form's answers so far. `returnTo` makes an edited answer go back to the summary. */
export type FormData = Record<string, unknown> & { returnTo?: string };

export type Answer =
  | { kind: 'next'; data: FormData; goto?: string; effects?: Effect[] }
  /** The answer changed the question itself (a multi-select toggle): ask again in place, after `notice` if any. */
  | { kind: 'stay'; data: FormData; notice?: Text[] }
  /** Something to read before she answers (what to write for "Other"); the question stays open as it is. */
  | { kind: 'hint'; text: Text }
  | { kind: 'invalid'; error: Text }
  | { kind: 'end'; effects: Effect[] };

export interface FormStep {
  prompt(data: FormData, ctx: FlowContext): Prompt;
  answer(input: Exclude<FlowInput, { type: 'unsupported' }>, data: FormData, ctx: FlowContext): Answer;
}

export interface FormDefinition {
  name: string;
  version: number;
  pausable: boolean;
  steps: Record<string, FormStep>;
  /** The default successor of each step. */
  order: readonly string[];
  begin(ctx: FlowContext, args: Record<string, unknown>): { step: string; data: FormData };
}

/** Builds a flow of named questions: validate an answer, keep it, go to the next question. */
export function defineForm(def: FormDefinition): Flow {
  const stepOf = (name: string): FormStep => {
    const step = def.steps[name];
    if (!step) throw new Error(`${def.name}: unknown step "${name}"`);
    return step;
  };
  const successor = (name: string): string => {
    const next = def.order[def.order.indexOf(name) + 1];
    if (!next) throw new Error(`${def.name}: step "${name}" has no successor`);
    return next;
  };
  const ask: Effect = { type: 'ask' };

  return {
    name: def.name,
    version: def.version,
    pausable: def.pausable,
    begin(ctx, args): StepOutcome {
      const { step, data } = def.begin(ctx, args);
      return {
        state: { flow: def.name, version: def.version, step, data, history: [], promptId: '', paused: false },
        effects: [ask],
      };
    },
    handle(state, input, ctx): StepOutcome {
      if (input.type === 'unsupported')
        return { state, effects: [{ type: 'say', text: [t('common:unsupported')] }, ask] };
      const answer = answerTyped(stepOf(state.step), input, state.data as FormData, ctx);
      switch (answer.kind) {
        case 'invalid':
          return { state, effects: [{ type: 'say', text: [answer.error] }, ask] };
        case 'hint':
          return { state, effects: [{ type: 'say', text: [answer.text] }] };
        case 'stay':
          if (answer.notice)
            return { state: { ...state, data: answer.data }, effects: [{ type: 'say', text: answer.notice }, ask] };
          return { state: { ...state, data: answer.data }, effects: [{ type: 'ask', replace: true }] };
        case 'end':
          return { state: null, effects: answer.effects };
        case 'next': {
          const { returnTo, ...data } = answer.data;
          const next = answer.goto ?? returnTo ?? successor(state.step);
          const keepReturn = answer.goto !== undefined && returnTo !== undefined;
          return {
            state: {
              ...state,
              step: next,
              data: keepReturn ? { ...data, returnTo } : data,
              history: [...state.history, state.step],
            },
            effects: [...(answer.effects ?? []), ask],
          };
        }
      }
    },
    back(state): StepOutcome {
      const previous = state.history.at(-1);
      if (previous === undefined) return { state, effects: [{ type: 'say', text: [t('common:back.first')] }, ask] };
      const { returnTo: _dropped, ...data } = state.data as FormData;
      return { state: { ...state, step: previous, data, history: state.history.slice(0, -1) }, effects: [ask] };
    },
    prompt(state, ctx): Prompt {
      return stepOf(state.step).prompt(state.data as FormData, ctx);
    },
  };
}

/**
 * A typed number is a button's number (the console numbers them): kept as text where the step takes it
 * as text ("3" as an answer of her own), else it presses that button, else there is no such button.
 */
export function answerTyped(
  step: FormStep,
  input: Exclude<FlowInput, { type: 'unsupported' }>,
  data: FormData,
  ctx: FlowContext,
): Answer {
  const number = input.type === 'text' ? typedNumber(input.text) : undefined;
  const choices = number === undefined ? [] : (step.prompt(data, ctx).choices ?? []);
  if (number === undefined || !choices.length) return step.answer(input, data, ctx);
  const asText = step.answer(input, data, ctx);
  if (asText.kind !== 'invalid') return asText;
  const pressed = choices[number - 1];
  if (pressed) return step.answer({ type: 'choice', value: pressed.value }, data, ctx);
  return {
    kind: 'invalid',
    error: t('common:no_such_button', { number: String(number), last: String(choices.length) }),
  };
}

/** A step whose valid answer ends the form, with effects built from all the answers. */
export function finishing(step: FormStep, finish: (data: FormData) => Effect[]): FormStep {
  return {
    prompt: step.prompt,
    answer(input, data, ctx) {
      const answer = step.answer(input, data, ctx);
      return answer.kind === 'next' ? { kind: 'end', effects: finish(answer.data) } : answer;
    },
  };
}

/** A step whose question is built from the data its flow was begun with (options a service loaded). */
export function fromData(build: (data: FormData) => FormStep): FormStep {
  return {
    prompt: (data, ctx) => build(data).prompt(data, ctx),
    answer: (input, data, ctx) => build(data).answer(input, data, ctx),
  };
}
