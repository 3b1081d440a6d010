import type { InboundEvent } from '../../src/core/messages.ts';

/** What she typed in her private chat, as the engine receives it: a command when it starts with `/`. */
export function typedEvent(id: string, identity: string, typed: string): InboundEvent {
  return {
    id,
    identity,
    conversationId: identity,
    conversationKind: 'private',
    languageHint: 'en',
    payload: typed.startsWith('/')
      ? { type: 'command', name: typed.slice(1), args: '' }
      : { type: 'text', text: typed },
  };
}
