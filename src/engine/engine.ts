import { randomBytes } from 'node:crypto';
import type {
  ActionHandler,
  CommandHandler,
  Effect,
  FlowContext,
  FlowSettings,
  StepOutcome,
  Text,
} from '../core/flow.ts';
import { type BoundOperation, mayCall } from '../core/operation.ts';
import { t } from '../core/flow.ts';
import { type Delivery, fileOf, type InboundEvent, platformOf } from '../core/messages.ts';
import { type ConversationState, type FlowState, type IdentityKey, Locale, type Participant } from '../core/model.ts';
import type { ActionRepository, ChannelPort, Clock, ConversationRepository, Logger, Metrics } from '../core/ports.ts';
import { NO_METRICS } from '../core/ports.ts';
import { perKey, secondsSince } from '../core/metrics.ts';
import type { ParticipantRepository, ProcessedEventRepository, ReplyPort } from '../core/ports.ts';
import { actionButtonData, parseActionButton } from '../core/action-buttons.ts';
import { OFFICERS } from '../core/programme.ts';
import { ConflictError, StorageUnavailableError } from '../core/errors.ts';
import { currentEventId, withEventIds } from '../core/ids.ts';
import type { Translator } from './i18n.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { consentGate } from './consent-gate.ts';
import { renderPrompt, renderTexts } from './render.ts';
import { type FlowRegistry, flowOf, isRegistered, route, settle } from './router.ts';

/**
 * How many event ids a conversation remembers: this is how a redelivery of an event handled already is known
 * (the inbox keeps only open events). Redeliveries arrive within seconds to minutes (a batch Telegram hands out
 * again after a crash, a Slack retry), well inside her last 30 messages.
 */
const RECENT_EVENTS = 30;
/** How often an event is decided again when another event changed the same conversation first. */
const CONFLICT_RETRIES = 3;
/** Reads begun ahead and not taken yet (events stored elsewhere leave theirs; the oldest go first). */
const READ_AHEAD_KEPT = 1_000;
/** People last found to be nobody, remembered to spare that read on their next events (some 100 bytes each). */
const NOBODIES_KEPT = 20_000;
/** A nobody is looked up again after this long whatever her conversation says, bounding what this misses. */
const NOBODY_READ_MS = 10 * 60_000;

export interface EngineDeps {
  /** The programme's operations by name; flows and handlers ask for them with `invoke` effects. */
  operations?: ReadonlyMap<string, BoundOperation>;
  commands?: ReadonlyMap<string, CommandHandler>;
  actions?: { repository: ActionRepository; handlers: ReadonlyMap<string, ActionHandler> };
  participants: ParticipantRepository;
  conversations: ConversationRepository;
  processed: ProcessedEventRepository;
  /** The platforms; without `replies`, each reply is sent through them before handle() resolves. */
  channels: ReadonlyMap<string, ChannelPort>;
  /**
   * Where replies go: handle() resolves once the outcome is stored and the replies are handed
   * over, and they are sent in the background (in order per conversation, under the rate limits).
   */
  replies?: ReplyPort;
  flows: FlowRegistry;
  i18n: Translator;
  clock: Clock;
  logger: Logger;
  settings: FlowSettings;
  defaultLocale: Locale;
  /** Commands also answered in a group (binding a group to a cohort), by name. */
  groupCommands?: ReadonlySet<string>;
  /** Lays out rendered Markdown lines as a PDF in her language (a pair's record); without it none is made. */
  textPdf?: (lines: readonly string[], locale: Locale) => Promise<Uint8Array>;
  /** Counts events received and handled and times their handling; none kept without it. */
  metrics?: Metrics;
}

type Outcome = 'ok' | 'duplicate' | 'error' | 'storage_unavailable';
const OUTCOMES: readonly Outcome[] = ['ok', 'duplicate', 'error', 'storage_unavailable'];

/** The engine's series of one platform, made once: counting costs a Map lookup. */
function engineMetrics(metrics: Metrics) {
  const received = metrics.counter({
    name: 'womento_updates_received_total',
    help: 'Inbound events (updates) given to the engine, by platform',
    labels: ['platform'],
  });
  const handled = metrics.counter({
    name: 'womento_updates_handled_total',
    help: 'Inbound events handled, by platform and outcome (ok, duplicate, error, storage_unavailable)',
    labels: ['platform', 'outcome'],
  });
  const seconds = metrics.histogram({
    name: 'womento_update_handling_seconds',
    help: 'Time from the start of an event handling to its outcome stored, by platform',
    labels: ['platform'],
  });
  return perKey((platform) => ({
    received: received.with({ platform }),
    handled: Object.fromEntries(OUTCOMES.map((outcome) => [outcome, handled.with({ platform, outcome })])) as Record<
      Outcome,
      ReturnType<typeof handled.with>
    >,
    seconds: seconds.with({ platform }),
  }));
}

const duplicate = (log: Logger): Outcome => {
  log.debug({}, 'duplicate event ignored');
  return 'duplicate';
};

/** The language a platform reports ("ru-RU"), if it is one we speak. */
export function localeFromHint(hint: string | undefined): Locale | undefined {
  const parsed = Locale.safeParse(hint?.toLowerCase().split(/[-_]/)[0]);
  return parsed.success ? parsed.data : undefined;
}

/** When someone was looked up: the participants' mark taken before, and the time. */
type Looked = { mark: number; readAt: number };
type Nobody = Looked & { revision: number };
/** Her conversation, her profile, and when that was looked up. */
type Reads = [ConversationState | null, Participant | null, Looked];

/**
 * Runs one inbound event: dedupe -> load -> flow step -> save -> reply.
 * Events of one person run one at a time; a step that throws saves nothing.
 */
export class ConversationEngine {
  private readonly queue = new KeyedQueue();
  /** Reads begun for events being stored (see readAhead), by event id. */
  private readonly early = new Map<string, Promise<Reads>>();
  /**
   * People with no participant, by the revision of her conversation this process saved after finding none, the
   * participants' mark of that lookup, and when it was read. While her conversation is at that revision nothing
   * of hers was handled elsewhere (a registration elsewhere saves her conversation), and the mark tells whether
   * a participant holding her identity was saved here since (an operation such as an accepted invitation).
   */
  private readonly nobodies = new Map<IdentityKey, Nobody>();

  private readonly replies: ReplyPort;
  private readonly metrics: ReturnType<typeof engineMetrics>;

  constructor(private readonly deps: EngineDeps) {
    this.replies = deps.replies ?? new InlineReplies(deps.channels, deps.logger);
    this.metrics = engineMetrics(deps.metrics ?? NO_METRICS);
  }

  /** Resolves once the event's outcome is stored; rejects with StorageUnavailableError if it could not be. */
  handle(event: InboundEvent): Promise<void> {
    this.metrics(platformOf(event.conversationId)).received.inc();
    if (!this.answers(event)) return Promise.resolve();
    return this.queue.run(event.identity, () => this.process(event));
  }

  /**
   * Begins the reads of an event's first handling (her conversation and profile) while the intake is still
   * storing it: the two round trips overlap instead of following each other. Only when nothing of hers is
   * being handled here, so that what is read is what her event will find; if it changes anyway (elsewhere),
   * the save is refused and the handling decides again on fresh reads, as for any conflict.
   */
  readAhead(event: InboundEvent): void {
    if (!this.answers(event) || this.queue.has(event.identity) || this.early.has(event.id)) return;
    if (this.early.size >= READ_AHEAD_KEPT) this.early.delete(this.early.keys().next().value!);
    const reads = this.read(event.identity);
    reads.catch(() => undefined);
    this.early.set(event.id, reads);
  }

  /** Forgets the reads begun for an event that will not be handled here (it was stored before). */
  dropReadAhead(eventId: string): void {
    this.early.delete(eventId);
  }

  /**
   * In groups the bot stays quiet unless addressed: the buttons of posted messages (officers' alerts), a group
   * command (/bind), and join requests.
   */
  private answers(event: InboundEvent): boolean {
    const p = event.payload;
    const addressed =
      (p.type === 'button' && parseActionButton(p.data) !== null) ||
      (p.type === 'command' && this.deps.groupCommands?.has(p.name)) ||
      p.type === 'join_request' ||
      p.type === 'group_moved';
    return event.conversationKind === 'private' || addressed;
  }

  /**
   * Her conversation and her profile, read side by side: one round trip of waiting, not two. Someone known to
   * be nobody has her conversation read first, and her profile only if it moved on since.
   */
  private async read(identity: IdentityKey): Promise<Reads> {
    const { conversations, participants } = this.deps;
    const known = this.nobodies.get(identity);
    const lookingNow = () => ({ mark: participants.savesMark(), readAt: performance.now() });
    if (known && performance.now() - known.readAt < NOBODY_READ_MS) {
      const conv = await conversations.load(identity);
      if (conv?.revision === known.revision)
        return [conv, await participants.findByIdentity(identity, known.mark), known];
      const looked = lookingNow();
      return [conv, await participants.findByIdentity(identity), looked];
    }
    const looked = lookingNow();
    const [conv, participant] = await Promise.all([
      conversations.load(identity),
      participants.findByIdentity(identity),
    ]);
    return [conv, participant, looked];
  }

  /** After her conversation was saved at `revision` (none: not saved): whether she is remembered as nobody. */
  private rememberNobody(identity: IdentityKey, someone: boolean, looked: Looked, revision?: number): void {
    this.nobodies.delete(identity);
    if (someone || revision === undefined) return;
    this.nobodies.set(identity, { ...looked, revision });
    if (this.nobodies.size > NOBODIES_KEPT) this.nobodies.delete(this.nobodies.keys().next().value!);
  }

  /** Waits for every event in flight and every reply not yet sent; used at shutdown. */
  async idle(): Promise<void> {
    await this.queue.idle();
    await this.replies.idle();
  }

  private async process(event: InboundEvent): Promise<void> {
    const metrics = this.metrics(platformOf(event.conversationId));
    const started = performance.now();
    let outcome: Outcome = 'ok';
    try {
      outcome = await this.processOnce(event);
    } catch (err) {
      outcome = err instanceof StorageUnavailableError ? 'storage_unavailable' : 'error';
      throw err;
    } finally {
      metrics.handled[outcome].inc();
      metrics.seconds.observe(secondsSince(started));
    }
  }

  private async processOnce(event: InboundEvent): Promise<Outcome> {
    const { deps } = this;
    const log = deps.logger.child({ event: event.id, kind: event.payload.type });
    const turn = { locale: localeFromHint(event.languageHint) ?? deps.defaultLocale };
    try {
      const claim = await this.claim(event);
      if (claim.done) return duplicate(log);
      for (let attempt = 1; ; attempt++) {
        try {
          const handled = await withEventIds(event.id, () => this.handleOnce(event, claim.at, turn));
          if (handled === null) return duplicate(log);
          // A saved conversation holds the event's id, which is how a second handling knows it was done.
          if (!handled.recorded) await deps.processed.markProcessed(event.id, claim.at);
          await this.deliver(handled.deliveries, event);
          return 'ok';
        } catch (err) {
          // Someone else's event changed her conversation first: decide again on what is stored now.
          if (!(err instanceof ConflictError) || attempt >= CONFLICT_RETRIES) throw err;
          log.debug({ attempt }, 'conversation changed concurrently; handling again');
        }
      }
    } catch (err) {
      if (err instanceof StorageUnavailableError) throw err;
      log.error({ err: errorSummary(err) }, 'event failed; nothing was saved');
      const text = deps.i18n.render(t('common:errors.generic'), turn.locale);
      await this.deliver([{ conversationId: event.conversationId, message: { type: 'text', text } }], event);
      return 'error';
    }
  }

  /**
   * The time the event's handling goes by, kept from its first handling so that an event handled again decides
   * and keys everything alike. An event the intake has just stored is not being handled anywhere else (the insert
   * says so) and takes the time it was stored: no claim is written; if it was handled before, her conversation
   * says so. Any other (a recovery, an event fed directly) is claimed by an insert.
   */
  private claim(event: InboundEvent): Promise<{ at: Date; done: boolean }> {
    const accepted = event.accepted;
    if (accepted?.first) return Promise.resolve({ at: new Date(accepted.at), done: false });
    return this.deps.processed.begin(event.id, accepted ? new Date(accepted.at) : this.deps.clock.now());
  }

  /** One handling on what is stored now; null when the conversation shows the event handled already. */
  private async handleOnce(
    event: InboundEvent,
    now: Date,
    turn: { locale: Locale },
  ): Promise<{ deliveries: Delivery[]; recorded: boolean } | null> {
    const { deps } = this;
    const blank = { identity: event.identity, recentEventIds: [], revision: 0 };
    // Read ahead at most once: a handling again after a conflict reads what is stored now.
    const early = this.early.get(event.id);
    this.early.delete(event.id);
    const [stored, found, looked] = await (early ?? this.read(event.identity));
    const conv: ConversationState = stored ?? blank;
    if (conv.recentEventIds.includes(event.id)) return null;
    // A conversation saved by another version of its flow may name steps that no longer exist: it is not resumed.
    if (conv.flow && deps.flows.get(conv.flow.flow)?.version !== conv.flow.version) delete conv.flow;
    let participant = found;
    // Officers have no profile: the name their platform shows is what partners and alerts read.
    const shown = event.senderName?.trim().slice(0, 64);
    if (participant?.role === 'officer' && shown && participant.displayName !== shown) {
      await deps.participants.setDisplayName(participant.id, shown, now);
      participant = { ...participant, displayName: shown };
    }
    turn.locale = participant?.locale ?? conv.locale ?? turn.locale;
    return this.apply(event, conv, participant, turn.locale, now, looked);
  }

  /** Computes the step, stores its outcome, and returns the replies to send. */
  private async apply(
    event: InboundEvent,
    conv: ConversationState,
    participant: Participant | null,
    initialLocale: Locale,
    now: Date,
    looked: Looked,
  ): Promise<{ deliveries: Delivery[]; recorded: boolean }> {
    const { deps } = this;
    const ctx: FlowContext = {
      now,
      locale: initialLocale,
      identity: event.identity,
      conversationId: event.conversationId,
      participant,
      settings: deps.settings,
      inGroup: event.conversationKind === 'group',
    };
    const outcome = promiseOnlyWhatFollows(
      await this.expand(await this.decide(event, conv, participant, ctx), ctx),
      event,
    );

    let locale = initialLocale;
    let state = outcome.state;
    const saves: Effect[] = [];
    const messages: Delivery[] = [];
    const replaces = event.payload.type === 'button' ? event.payload.messageId : undefined;
    for (const effect of outcome.effects) {
      if (effect.type === 'setLocale') locale = effect.locale;
      else if (effect.type === 'saveParticipant') saves.push(effect);
      else if (effect.type === 'say')
        messages.push({
          conversationId: event.conversationId,
          message: { type: 'text', text: renderTexts(effect.text, locale, deps.i18n) },
        });
      else if (effect.type === 'update') messages.push(this.updateOf(effect, event, locale));
      else if (effect.type === 'file') {
        const own = event.conversationKind === 'private' ? event.conversationId : event.privateConversationId;
        const text = effect.caption ? renderTexts(effect.caption, locale, deps.i18n) : '';
        if (own) messages.push({ conversationId: own, message: { type: 'document', text, file: effect.file } });
      } else if (effect.type === 'textFile') {
        const own = event.conversationKind === 'private' ? event.conversationId : event.privateConversationId;
        const text = effect.caption ? renderTexts(effect.caption, locale, deps.i18n) : '';
        const body = effect.lines
          .map((line) => line.map((piece) => deps.i18n.render(piece, locale)).join(''))
          .join('\n');
        if (own) {
          messages.push({
            conversationId: own,
            message: { type: 'document', text, file: fileOf(effect.name, effect.mimeType, `${body}\n`) },
          });
          if (effect.pdf && deps.textPdf) {
            const pdf = await deps.textPdf(body.split('\n'), locale);
            messages.push({
              conversationId: own,
              message: { type: 'document', text: '', file: fileOf(effect.pdf, 'application/pdf', pdf) },
            });
          }
        }
      } else if (effect.type === 'ask' && state) {
        const promptId = promptIdFor(state, conv.flow);
        const repeated = !effect.full && promptId === conv.flow?.promptId;
        // A new question may be offered again once more.
        state = repeated ? { ...state, promptId } : { ...withoutReoffer(state), promptId };
        // A question is hers alone: from a group it goes to her own chat, or nowhere if that is unknown.
        const own = event.conversationKind === 'private' ? event.conversationId : event.privateConversationId;
        if (!own) continue;
        const prompt = flowOf(deps.flows, state.flow).prompt(state, { ...ctx, locale });
        messages.push({
          conversationId: own,
          message: renderPrompt(prompt, state.promptId, locale, deps.i18n, repeated),
          ...(effect.replace && replaces ? { replaces } : {}),
        });
      }
    }

    // Erased: nothing of hers is written again, not even this conversation; the replies still go.
    if (outcome.effects.some((e) => e.type === 'forget')) {
      this.rememberNobody(event.identity, true, looked);
      return { deliveries: messages, recorded: false };
    }
    for (const save of saves) {
      if (save.type !== 'saveParticipant') continue;
      const addresses = { ...participant?.addresses, [platformOf(event.conversationId)]: event.conversationId };
      await deps.participants.save(
        { ...save.participant, locale, identities: participant?.identities ?? [event.identity], addresses },
        now,
      );
    }
    if (participant && participant.locale !== locale && !saves.length)
      await deps.participants.setLocale(participant.id, locale, now);
    const revision = await deps.conversations.save({
      identity: event.identity,
      locale,
      ...(state ? { flow: state } : {}),
      recentEventIds: [...conv.recentEventIds, event.id].slice(-RECENT_EVENTS),
      revision: conv.revision,
    });
    this.rememberNobody(event.identity, participant !== null || saves.length > 0, looked, revision);
    return { deliveries: messages, recorded: true };
  }

  /**
   * Rewrites the message whose button was pressed; without a message id it is sent anew. Its buttons belong to
   * the action that was pressed unless they name another: read from the event, since the rewrite may come from
   * an operation the button's handler invoked.
   */
  private updateOf(effect: Extract<Effect, { type: 'update' }>, event: InboundEvent, locale: Locale): Delivery {
    const text = renderTexts(effect.text, locale, this.deps.i18n);
    const replaces = event.payload.type === 'button' ? event.payload.messageId : undefined;
    const b = effect.buttons;
    const columns = b?.columns ?? 1;
    // Without its own id the buttons are the pressed action's: this event's, never another's, also when an
    // operation the handler invoked rewrote the message.
    const pressed = event.payload.type === 'button' ? parseActionButton(event.payload.data)?.actionId : undefined;
    const actionId = b?.actionId ?? pressed;
    const choices = actionId ? (b?.choices ?? []) : [];
    const buttons = choices.map((c) => ({
      label: this.deps.i18n.render(c.label, locale),
      data: actionButtonData(actionId!, c.value),
    }));
    const rows = [];
    for (let i = 0; i < buttons.length; i += columns) rows.push(buttons.slice(i, i + columns));
    return {
      conversationId: event.conversationId,
      message: rows.length ? { type: 'choice', text, rows } : { type: 'text', text },
      ...(replaces ? { replaces } : {}),
    };
  }

  /** Programme commands and outbox buttons are async handlers; everything else is the pure router. */
  private async decide(
    event: InboundEvent,
    conv: ConversationState,
    participant: Participant | null,
    ctx: FlowContext,
  ): Promise<StepOutcome> {
    const { deps } = this;
    const flow = conv.flow ?? null;
    const payload = event.payload;
    // A new privacy notice is answered before anything else she sends is handled.
    const gate = consentGate(payload, flow, participant, ctx);
    if (gate) return settle(gate, ctx, deps.flows);
    const reask = async (effects: Effect[]): Promise<StepOutcome> => {
      // The operations run first, so a question one of them begins is seen: it replaces hers, once.
      const done = await this.expand(settle({ state: flow, effects }, ctx, deps.flows), ctx);
      const begun = done.state !== flow;
      // Her open question is offered again once after something unrelated, in her own chat only.
      const again = !begun && flow && !flow.paused && !flow.reoffered && !ctx.inGroup;
      if (!again) return done;
      return { state: { ...flow, reoffered: true }, effects: [...done.effects, { type: 'ask' }] };
    };
    if (payload.type === 'command' && deps.commands?.has(payload.name)) {
      const handler = deps.commands.get(payload.name)!;
      if (!isRegistered(participant) || !handler.roles.includes(participant.role))
        return reask([{ type: 'say', text: [t('common:not_allowed')] }]);
      return reask(await handler.run(payload.args.trim(), ctx));
    }
    if (payload.type === 'button' && deps.actions) {
      const pressed = parseActionButton(payload.data);
      if (pressed) return reask(await this.pressAction(pressed.actionId, pressed.value, participant, ctx));
    }
    const localeKnown = Boolean(participant?.locale ?? conv.locale ?? localeFromHint(event.languageHint));
    return settle(route({ flow, event, ctx, flows: deps.flows, i18n: deps.i18n, localeKnown }), ctx, deps.flows);
  }

  /** An outbox button: valid only for its owner, before it expires, and once if it is a once-only action. */
  private async pressAction(
    actionId: string,
    value: string,
    participant: Participant | null,
    ctx: FlowContext,
  ): Promise<Effect[]> {
    const { repository, handlers } = this.deps.actions!;
    const expired: Effect[] = [{ type: 'say', text: [t('common:button_expired')] }];
    const action = await repository.get(actionId);
    const handler = action && handlers.get(action.kind);
    const mine =
      participant &&
      (action?.participantId === OFFICERS ? participant.role === 'officer' : action?.participantId === participant.id);
    if (!action || !handler || !participant || !mine)
      return action?.participantId === OFFICERS ? [{ type: 'say', text: [t('common:not_allowed')] }] : expired;
    if (new Date(action.expiresAt) < ctx.now || !action.values.includes(value)) return expired;
    if (action.once && !(await repository.use(action.id, ctx.now, currentEventId())))
      return [{ type: 'say', text: [t('common:already_answered')] }];
    // A rewritten message keeps the buttons of the action that was pressed (see `updateOf`).
    return handler(action, value, { ...ctx, participant });
  }

  /** Runs `invoke` effects in order; what they return takes their place. */
  private async expand(outcome: StepOutcome, ctx: FlowContext): Promise<StepOutcome> {
    let state = outcome.state;
    const effects: Effect[] = [];
    for (const effect of outcome.effects) {
      if (effect.type !== 'invoke') {
        effects.push(effect);
        continue;
      }
      const next = await this.expand(
        settle({ state, effects: await this.runOperation(effect, ctx) }, ctx, this.deps.flows),
        ctx,
      );
      state = next.state;
      effects.push(...next.effects);
    }
    return { state, effects };
  }

  /** Checks the caller's stored role and parses the input once, here at the boundary, then runs it. */
  private async runOperation(effect: Extract<Effect, { type: 'invoke' }>, ctx: FlowContext): Promise<Effect[]> {
    const bound = this.deps.operations?.get(effect.operation);
    if (!bound) throw new Error(`unknown operation ${effect.operation}`);
    if (!mayCall(bound.operation.callers, ctx.participant)) return [{ type: 'say', text: [t('common:not_allowed')] }];
    const input = bound.operation.input.safeParse(effect.args);
    if (!input.success) {
      const fields = input.error.issues.map((i) => i.path.join('.'));
      this.deps.logger.warn({ operation: effect.operation, fields }, 'operation input refused');
      return [{ type: 'say', text: [t('common:errors.invalid_input')] }];
    }
    return bound.present(await bound.run(input.data, ctx.participant, ctx), ctx);
  }

  /** The outcome is already stored: replies are handed over, and a failure to send them never undoes it. */
  private async deliver(deliveries: Delivery[], event: InboundEvent): Promise<void> {
    if (deliveries.length)
      await this.replies.send(deliveries, event.id, {
        ...(event.sentAt ? { sentAt: event.sentAt } : {}),
        ...(event.hurry ? { hurry: event.hurry } : {}),
      });
  }
}

/** Sends each reply at once and waits for it: best effort, a failure is logged. */
class InlineReplies implements ReplyPort {
  constructor(
    private readonly channels: ReadonlyMap<string, ChannelPort>,
    private readonly log: Logger,
  ) {}

  async send(deliveries: readonly Delivery[], eventId?: string): Promise<void> {
    for (const delivery of deliveries) {
      const channel = this.channels.get(platformOf(delivery.conversationId));
      if (!channel) {
        this.log.error({ event: eventId, platform: platformOf(delivery.conversationId) }, 'no channel for reply');
        continue;
      }
      try {
        await channel.deliver(delivery);
      } catch (err) {
        this.log.warn({ event: eventId, err: errorSummary(err) }, 'reply not delivered');
      }
    }
  }

  async idle(): Promise<void> {}
}

/** Error fields safe to log: never the message text a person typed. */
export function errorSummary(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { value: String(err) };
  return { name: err.name, code: (err as { code?: unknown }).code, message: err.message, stack: err.stack };
}

/** "Here is the current question again" is said only where a question does follow. */
function promiseOnlyWhatFollows(outcome: StepOutcome, event: InboundEvent): StepOutcome {
  const own = event.conversationKind === 'private' || event.privateConversationId;
  const asks = Boolean(own && outcome.state && outcome.effects.some((e) => e.type === 'ask'));
  if (asks) return outcome;
  const gone = (x: Text): Text => ('key' in x && x.key === 'common:button_expired' ? t('common:button_gone') : x);
  return { ...outcome, effects: outcome.effects.map((e) => (e.type === 'say' ? { ...e, text: e.text.map(gone) } : e)) };
}

function withoutReoffer(state: FlowState): FlowState {
  const { reoffered: _, ...rest } = state;
  return rest;
}

/**
 * A question asked again (after a typo, or a toggle) keeps its id, so the buttons she already sees still work;
 * a new question gets a new id, which retires the buttons of every earlier one.
 */
function promptIdFor(next: FlowState, previous: FlowState | undefined): string {
  const sameQuestion =
    previous?.promptId && previous.flow === next.flow && previous.step === next.step && !previous.paused;
  return sameQuestion ? previous.promptId : randomBytes(6).toString('base64url');
}
