import { newId } from '../../core/ids.ts';
import type { Text } from '../../core/flow.ts';
import type { ActionRepository, OutboxRepository, ParticipantRepository } from '../../core/ports.ts';
import type { OutboxMessage } from '../../core/programme.ts';

export interface Notice {
  key: string;
  recipientId: string;
  due: Date;
  text: Text[];
  /** Buttons the recipient (and only she) can press, handled by the action handler of `kind`. */
  buttons?: {
    kind: string;
    ref: Record<string, string>;
    choices: { value: string; label: Text }[];
    once: boolean;
    expiresAt: Date;
    columns?: number;
    owner?: string;
  };
  guard?: OutboxMessage['guard'];
  category?: OutboxMessage['category'];
  /** To a group of many languages: rendered in each of these. */
  locales?: string[];
  /** A file made at send time (a certificate); the text goes as its caption. */
  attachment?: OutboxMessage['attachment'];
}

/** The one way a message to someone other than the speaker leaves: through the durable outbox. */
export class Notifier {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly actions: ActionRepository,
  ) {}

  /** Enqueues the notice; a second notice with the same key is ignored (false). */
  async send(n: Notice, now: Date): Promise<boolean> {
    let action: OutboxMessage['action'];
    if (n.buttons) {
      const id = newId();
      await this.actions.create({
        id,
        participantId: n.buttons.owner ?? n.recipientId,
        kind: n.buttons.kind,
        ref: n.buttons.ref,
        values: n.buttons.choices.map((c) => c.value),
        expiresAt: n.buttons.expiresAt,
        once: n.buttons.once,
      });
      action = { id, choices: n.buttons.choices, ...(n.buttons.columns ? { columns: n.buttons.columns } : {}) };
    }
    return this.outbox.enqueue(
      {
        key: n.key,
        recipientId: n.recipientId,
        due: n.due,
        text: n.text,
        category: n.category ?? 'essential',
        ...(action ? { action } : {}),
        ...(n.guard ? { guard: n.guard } : {}),
        ...(n.locales?.length ? { locales: n.locales } : {}),
        ...(n.attachment ? { attachment: n.attachment } : {}),
      },
      now,
    );
  }
}

/**
 * Where notices for the staff go: their shared chats and channels (`conv:` recipients), or, when
 * none is configured, each officer in her own chat, so that no request waits unseen.
 */
export class Staff {
  constructor(
    private readonly targets: readonly string[],
    private readonly participants: ParticipantRepository,
  ) {}

  async recipients(): Promise<string[]> {
    if (this.targets.length) return this.targets.map((t) => `conv:${t}`);
    return (await this.participants.list('officer', ['waiting', 'paired'])).map((o) => o.id);
  }
}
