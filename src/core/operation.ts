import type { z } from 'zod';
import type { ActorContext, Effect } from './flow.ts';
import type { Participant, Role } from './model.ts';

/**
 * Who may call an operation, checked against the stored participant, never the payload:
 * `anyone` includes people not registered yet (redeeming an officer's invitation).
 */
export type Callers = readonly Role[] | 'anyone';

/** An operation's contract: its name, its input as a zod schema, and who may call it. */
export interface Operation<Name extends string = string, Input extends z.ZodType = z.ZodType> {
  readonly name: Name;
  readonly input: Input;
  readonly callers: Callers;
}

export type AnyOperation = Operation<string, z.ZodType>;
/** What a caller passes: the schema's input type, so a wrong field is a compile error. */
export type InputOf<O extends AnyOperation> = z.input<O['input']>;
/** What the implementation receives: parsed, with defaults filled in. */
export type ParsedOf<O extends AnyOperation> = z.output<O['input']>;

export function defineOperation<Name extends string, Input extends z.ZodType>(
  name: Name,
  input: Input,
  callers: Callers,
): Operation<Name, Input> {
  return { name, input, callers };
}

export const MEMBERS = ['actor', 'mentor'] as const satisfies readonly Role[];
export const OFFICER = ['officer'] as const satisfies readonly Role[];

/** Asks the engine to run the operation; the name travels as data, the arguments are checked here. */
export function invoke<O extends AnyOperation>(op: O, args: InputOf<O>): Effect {
  return { type: 'invoke', useCase: op.name, args: args as Record<string, unknown> };
}

/**
 * For the small generic flows (pick one, pick several, write a text): the answer becomes `argName`
 * of the operation's input, `args` the rest. Both are checked against the operation's input.
 */
export function handoff<O extends AnyOperation, K extends keyof InputOf<O> & string>(
  op: O,
  argName: K,
  args: Omit<InputOf<O>, K>,
): { useCase: O['name']; argName: K; args: Record<string, unknown> } {
  return { useCase: op.name, argName, args: args as Record<string, unknown> };
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
) => Promise<Effect[]>;

/** One implementation for each operation, by name: a missing or misspelt one is a compile error. */
export type ImplementationsOf<Ops extends AnyOperation> = { [O in Ops as O['name']]: Implementation<O> };

/** An operation with its implementation, as the engine runs it. */
export interface BoundOperation {
  readonly operation: AnyOperation;
  run(input: unknown, me: Participant | null, ctx: ActorContext): Promise<Effect[]>;
}

export function bindOperations<Ops extends AnyOperation>(
  ops: readonly Ops[],
  impls: ImplementationsOf<NoInfer<Ops>>,
): Map<string, BoundOperation> {
  const table = impls as unknown as Record<string, (input: unknown, me: Participant | null, ctx: ActorContext) => Promise<Effect[]>>;
  return new Map(ops.map((operation) => [operation.name, { operation, run: table[operation.name]! }]));
}
