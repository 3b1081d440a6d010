/** Buttons of outbox messages: `a|<actionId>|<value>`, answered by the action's owner only. */
export const ACTION_PREFIX = 'a|';

export function actionButtonData(actionId: string, value: string): string {
  const data = `${ACTION_PREFIX}${actionId}|${value}`;
  if (Buffer.byteLength(data, 'utf8') > 64) throw new Error(`action button data too long: ${value}`);
  return data;
}

export function parseActionButton(data: string): { actionId: string; value: string } | null {
  if (!data.startsWith(ACTION_PREFIX)) return null;
  const rest = data.slice(ACTION_PREFIX.length);
  const bar = rest.indexOf('|');
  if (bar <= 0) return null;
  return { actionId: rest.slice(0, bar), value: rest.slice(bar + 1) };
}
