import { z } from 'zod';
import { MAX_INBOUND_TEXT, type InboundEvent } from '../../src/core/messages.ts';

/**
 * Slack payloads -> the neutral model. Conversation ids: `slack:<channel>` for a channel or an open
 * DM, `slack:@<user>` for "the DM with this user" (opened on first send).
 */

interface MessageEvent {
  type: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  channel: string;
  channel_type?: string;
  ts?: string;
  files?: unknown[];
}

/** A DM from a person; bot messages, edits and other subtypes are not events for the engine. */
export function messageToEvent(eventId: string, teamId: string, e: MessageEvent): InboundEvent | null {
  if (e.type !== 'message' || e.bot_id || !e.user || (e.subtype && e.subtype !== 'file_share')) return null;
  const base = {
    id: `slack:${eventId}`,
    identity: `slack:${teamId}:${e.user}`,
    conversationId: `slack:${e.channel}`,
    conversationKind: e.channel_type === 'im' ? ('private' as const) : ('group' as const),
    ...(e.channel_type === 'im' ? {} : { privateConversationId: `slack:@${e.user}` }),
    // Slack's `ts` is Unix seconds with microseconds: the message's own time.
    ...(Number(e.ts) > 0 ? { sentAt: Math.round(Number(e.ts) * 1000) } : {}),
  };
  const text = (e.text ?? '').slice(0, MAX_INBOUND_TEXT);
  if (!text.trim()) return { ...base, payload: { type: 'unsupported', kind: e.files?.length ? 'file' : 'other' } };
  return { ...base, payload: { type: 'text', text } };
}

/** What a block action must carry to be a press: a body without them is not one (answered, and ignored). */
const ActionBody = z.object({
  trigger_id: z.string().optional(),
  team: z.object({ id: z.string() }).nullish(),
  user: z.object({
    id: z.string(),
    team_id: z.string().optional(),
    name: z.string().optional(),
    username: z.string().optional(),
  }),
  channel: z.object({ id: z.string() }).optional(),
  container: z.object({ message_ts: z.string().optional(), channel_id: z.string().optional() }).optional(),
  message: z.object({ ts: z.string() }).optional(),
});
type ActionBody = z.infer<typeof ActionBody>;

/** A slash command's fields the bot reads. */
const CommandBody = z.object({
  trigger_id: z.string(),
  team_id: z.string(),
  user_id: z.string(),
  user_name: z.string().optional(),
  text: z.string().optional(),
});
type CommandBody = z.infer<typeof CommandBody>;

/** A button press in a DM or a channel (an officers' alert). */
export function actionToEvent(body: ActionBody, value: string): InboundEvent | null {
  const channel = body.channel?.id ?? body.container?.channel_id;
  if (!channel) return null;
  const team = body.team?.id ?? body.user.team_id ?? 'T';
  const ts = body.message?.ts ?? body.container?.message_ts;
  return {
    id: `slack:action:${body.trigger_id ?? `${channel}:${ts}:${value}`}`,
    identity: `slack:${team}:${body.user.id}`,
    conversationId: `slack:${channel}`,
    conversationKind: channel.startsWith('D') ? 'private' : 'group',
    ...(channel.startsWith('D') ? {} : { privateConversationId: `slack:@${body.user.id}` }),
    ...(body.user.name || body.user.username ? { senderName: body.user.name ?? body.user.username } : {}),
    payload: { type: 'button', data: value, ...(ts ? { messageId: ts } : {}) },
  };
}

/** `/mentoring waiting`, `/mentoring start mentor-CODE`: the first word is the command, answered in her DM. */
export function commandToEvent(body: CommandBody): InboundEvent {
  const [name = 'help', ...rest] = (body.text ?? '').trim().split(/\s+/);
  return {
    id: `slack:command:${body.trigger_id}`,
    identity: `slack:${body.team_id}:${body.user_id}`,
    conversationId: `slack:@${body.user_id}`,
    conversationKind: 'private',
    ...(body.user_name ? { senderName: body.user_name } : {}),
    payload: { type: 'command', name: name.toLowerCase(), args: rest.join(' ') },
  };
}

/** A request body as Bolt parses it: an event callback, a block action or a slash command. */
export interface SlackBody {
  type?: string;
  event_id?: string;
  team_id?: string;
  event?: MessageEvent;
  actions?: { value?: string }[];
  command?: string;
}

/** The neutral event a request carries, or null for one the bot does not handle (its own messages, edits ...). */
export function inboundOf(body: SlackBody, command: string): InboundEvent | null {
  if (body.type === 'event_callback' && body.event?.type === 'message') {
    return messageToEvent(String(body.event_id), String(body.team_id), body.event);
  }
  if (body.type === 'block_actions') {
    const value = body.actions?.[0]?.value;
    const action = ActionBody.safeParse(body);
    return value && action.success ? actionToEvent(action.data, value) : null;
  }
  if (body.command !== command) return null;
  const parsed = CommandBody.safeParse(body);
  return parsed.success ? commandToEvent(parsed.data) : null;
}
