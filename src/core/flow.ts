import { z } from 'zod';
import type { FlowState, IdentityKey, Locale, Participant, Role } from './model.ts';
import type { PendingAction } from './programme.ts';
import type { NewParticipant } from './ports.ts';
import type { FileAttachment } from './messages.ts';

/** Text to be rendered in the reader's language: an i18n key with params, or a literal (a city name). */
export type Text = { key: string; params?: Record<string, Param> } | { literal: string };
/** A param may itself be text to translate (a goal's label), or a list joined in the reader's language. */
export type Param = string | number | Text | Text[] | DateParam;
/** A moment shown in the reader's language, in the given zone. */
export type DateParam = { date: string; timeZone: string; dayOnly?: boolean };

const DateParam = z.object({ date: z.string(), timeZone: z.string(), dayOnly: z.boolean().optional() });
/** Text as stored (outbox messages): checked when read back, the type above stays the one code writes. */
export const Text: z.ZodType<Text> = z.lazy(() =>
  z.union([
    z.object({ key: z.string(), params: z.record(z.string(), Param).optional() }),
    z.object({ literal: z.string() }),
  ]),
);
const Param: z.ZodType<Param> = z.lazy(() => z.union([z.string(), z.number(), Text, z.array(Text), DateParam]));

export interface Choice {
  value: string;
  label: Text;
  /** Shown as ticked in a multi-select question. */
  selected?: boolean;
}

export interface Prompt {
  /** Read once, before the question (a privacy notice); the question asked again after a mistake leaves it out. */
  intro?: Text[];
  text: Text[];
  choices?: Choice[];
  /** Buttons per row. */
  columns?: number;
}

/** What a person gave a step, after the engine has resolved buttons and typed labels. */
export type FlowInput =
  | { type: 'text'; text: string }
  | { type: 'choice'; value: string }
  | { type: 'unsupported'; kind: string };

export type Effect =
  | { type: 'say'; text: Text[] }
  /**
   * Ask the current step's question (the engine renders its prompt). `replace`: edit the pressed message.
   * `full`: with its intro even when it is the same question again (she asked for it with /start).
   */
  | { type: 'ask'; replace?: boolean; full?: boolean }
  /** Create or update the speaker; the engine adds her identity and address. */
  | { type: 'saveParticipant'; participant: Omit<NewParticipant, 'identities' | 'addresses'> }
  | { type: 'setLocale'; locale: Locale }
  /** Replace this flow with another one, begun with these args. */
  | { type: 'begin'; flow: string; args?: Record<string, unknown> }
  /**
   * Rewrite the message whose button was pressed (an alert showing who did what). Without an `actionId`
   * the buttons belong to the action that was pressed.
   */
  | { type: 'update'; text: Text[]; buttons?: { actionId?: string; choices: Choice[]; columns?: number } }
  /** Send her a file, always to her own chat (never into a group); `caption` goes with it. */
  | { type: 'file'; file: FileAttachment; caption?: Text[] }
  /**
   * A text file written in her language (a pair's record as Markdown): each line's pieces are rendered
   * and joined, lines by a newline, UTF-8; it goes to her own chat as `file` does.
   */
  | {
      type: 'textFile';
      name: string;
      mimeType: string;
      lines: Text[][];
      caption?: Text[];
      /** The same lines also as a PDF of this name (Markdown marks dropped), where the engine can make one. */
      pdf?: string;
    }
  /** Her data was erased: her conversation is not stored again (the engine would otherwise save it anew). */
  | { type: 'forget' }
  /** Run an operation (see src/core/operations.ts; build it with `invoke`); its effects follow. */
  | { type: 'invoke'; operation: string; args: Record<string, unknown> };

export interface StepOutcome {
  /** null ends the flow. */
  state: FlowState | null;
  effects: Effect[];
}

export interface FlowContext {
  now: Date;
  locale: Locale;
  identity: IdentityKey;
  /** Where replies go (`telegram:<chat>`); kept with a participant as her address. */
  conversationId: string;
  participant: Participant | null;
  settings: FlowSettings;
  /** The event came from a group (a cohort's space), not her own chat. */
  inGroup?: boolean;
}

export interface Flow {
  readonly name: string;
  readonly version: number;
  /** A /cancel keeps the answers (true) or throws the flow away (false). */
  readonly pausable: boolean;
  begin(ctx: FlowContext, args: Record<string, unknown>): StepOutcome;
  handle(state: FlowState, input: FlowInput, ctx: FlowContext): StepOutcome;
  back(state: FlowState, ctx: FlowContext): StepOutcome;
  /** The question of the current step. */
  prompt(state: FlowState, ctx: FlowContext): Prompt;
}

export const t = (key: string, params?: Record<string, Param>): Text => (params ? { key, params } : { key });
export const literal = (text: string): Text => ({ literal: text });

/** Settings flows may read; filled from configuration by the composition root. */
export interface FlowSettings {
  mentorCodes: readonly string[];
  consentVersion: string;
  defaultTimeZone: string;
  /** A model is configured: the separate AI consent is asked after registration. */
  aiAvailable?: boolean;
  /** Whom to write to about her data (PROGRAMME_CONTACT), named in the privacy notice. */
  programmeContact?: string;
  /** A /delete command exists, so the notice names it. */
  deleteCommand?: boolean;
}

/** What a use case, command or action handler knows of the person acting. */
export interface ActorContext {
  now: Date;
  locale: Locale;
  identity: IdentityKey;
  conversationId: string;
  participant: Participant | null;
  /** The event came from a group (a cohort's space), not her own chat. */
  inGroup?: boolean;
}

/** A slash command beyond the built-in ones; `roles` are checked against the stored participant. */
export interface CommandHandler {
  roles: readonly Role[];
  run(args: string, ctx: ActorContext): Promise<Effect[]>;
}

/** Handles presses of an outbox message's buttons (see PendingAction). */
export type ActionHandler = (
  action: PendingAction,
  value: string,
  ctx: ActorContext & { participant: Participant },
) => Promise<Effect[]>;
