import type { z } from 'zod';
import type { ActorContext, Effect, Text } from './flow.ts';
import type { Participant, Role } from './model.ts';

/**
 * Who may call an operation, checked against the stored participant, never the payload:
 * `anyone` includes people not registered yet (redeeming an officer's invitation).
 */
export type Callers = readonly Role[] | 'anyone';

/**
 * An operation's contract: its name, its input as a zod schema, who may call it, and the domain result it
 * returns (a meeting, an outcome), which a presenter turns into chat effects, so that a dashboard or a report
 * can show the same result its own way.
 */
export interface Operation<Name extends string = string, Input extends z.ZodType = z.ZodType, Result = unknown> {
  readonly name: Name;
  readonly input: Input;
  readonly callers: Callers;
  /** Never set: carries the result's type. */
  readonly result?: Result;
}

// biome-ignore lint/suspicious/noExplicitAny: any result, for constraints only
export type AnyOperation = Operation<string, z.ZodType, any>;
export type ResultOf<O extends AnyOperation> = NonNullable<O['result']>;
/** What a caller passes: the schema's input type, so a wrong field is a compile error. */
export type InputOf<O extends AnyOperation> = z.input<O['input']>;
/** What the implementation receives: parsed, with defaults filled in. */
export type ParsedOf<O extends AnyOperation> = z.output<O['input']>;

/** Declares an operation and the domain result it returns: `returning<Meeting>()('meetings.x', input, callers)`. */
export function returning<Result>() {
  return <Name extends string, Input extends z.ZodType>(
    name: Name,
    input: Input,
    callers: Callers,
  ): Operation<Name, Input, Result> => ({
    name,
    input,
    callers,
  });
}

export const MEMBERS = ['actor', 'mentor'] as const satisfies readonly Role[];
export const OFFICER = ['officer'] as const satisfies readonly Role[];

/** Asks the engine to run the operation; the name travels as data, the arguments are checked here. */
export function invoke<O extends AnyOperation>(op: O, args: InputOf<O>): Effect {
  return { type: 'invoke', operation: op.name, args: args as Record<string, unknown> };
}

/**
 * For the small generic flows (pick one, pick several, write a text): the answer becomes `argName`
 * of the operation's input, `args` the rest. Both are checked against the operation's input. The name
 * is stored in the flow's data as `useCase` (its key before operations), so questions in progress still resume.
 */
export function handoff<O extends AnyOperation, K extends keyof InputOf<O> & string>(
  op: O,
  argName: K,
  args: Omit<InputOf<O>, K>,
): { useCase: O['name']; argName: K; args: Record<string, unknown> } {
  return { useCase: op.name, argName, args: args as Record<string, unknown> };
}

/** One question with a button per option; the pressed option's value goes to the operation `to` names. */
export function askToPick(
  question: Text,
  options: readonly { value: string; label: Text }[],
  to: ReturnType<typeof handoff>,
): Effect {
  return { type: 'begin', flow: 'pick', args: { question, options, ...to } };
}

/** Whether the stored participant may call an operation of these callers. */
export function mayCall(callers: Callers, participant: Participant | null): boolean {
  if (callers === 'anyone') return true;
  if (!participant || participant.status === 'registering' || participant.status === 'declined') return false;
  return callers.includes(participant.role);
}

/** An implementation: the parsed input, the caller as stored (null only for `anyone`), the event's context. */
export type Implementation<O extends AnyOperation> = (
  input: ParsedOf<O>,
  me: O['callers'] extends 'anyone' ? Participant | null : Participant,
  ctx: ActorContext,
) => Promise<ResultOf<O>>;

/** Turns an operation's domain result into what the chat says. */
export type Presenter<O extends AnyOperation> = (result: ResultOf<O>, ctx: ActorContext) => Effect[];

/** One implementation for each operation, by name: a missing or misspelt one is a compile error. */
export type ImplementationsOf<Ops extends AnyOperation> = { [O in Ops as O['name']]: Implementation<O> };

/** A presenter for each operation, by name: a missing one, or one taking another result, is a compile error. */
export type PresentersOf<Ops extends AnyOperation> = { [O in Ops as O['name']]: Presenter<O> };

/** An operation with its implementation and presenter, as the engine runs it. */
export interface BoundOperation {
  readonly operation: AnyOperation;
  run(input: unknown, me: Participant | null, ctx: ActorContext): Promise<unknown>;
  present(result: unknown, ctx: ActorContext): Effect[];
}

/** The typed tables, erased to a lookup by name for the engine (the compiler checked them above). */
export function bindOperations<Ops extends AnyOperation>(
  ops: readonly Ops[],
  implementations: ImplementationsOf<Ops>,
  presenters: PresentersOf<Ops>,
): Map<string, BoundOperation> {
  // The tables are checked above, per name; the engine looks them up by the name it was given.
  const run: Record<string, unknown> = implementations;
  const shown: Record<string, unknown> = presenters;
  return new Map(
    ops.map((operation) => {
      const implementation = run[operation.name] as BoundOperation['run'];
      const present = shown[operation.name] as BoundOperation['present'];
      return [operation.name, { operation, run: implementation, present }];
    }),
  );
}
