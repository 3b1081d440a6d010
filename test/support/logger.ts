import type { Logger } from '../../src/core/ports.ts';

/** A logger that records what it is given, so tests can check what would be logged. */
export function recordingLogger(
  records: { level: string; obj: object; msg?: string }[] = [],
): Logger & { records: typeof records } {
  const make = (bindings: Record<string, unknown>): Logger => ({
    debug: (obj, msg) => void records.push({ level: 'debug', obj: { ...bindings, ...obj }, ...(msg ? { msg } : {}) }),
    info: (obj, msg) => void records.push({ level: 'info', obj: { ...bindings, ...obj }, ...(msg ? { msg } : {}) }),
    warn: (obj, msg) => void records.push({ level: 'warn', obj: { ...bindings, ...obj }, ...(msg ? { msg } : {}) }),
    error: (obj, msg) => void records.push({ level: 'error', obj: { ...bindings, ...obj }, ...(msg ? { msg } : {}) }),
    child: (more) => make({ ...bindings, ...more }),
  });
  return Object.assign(make({}), { records });
}

export const silentLogger: Logger = recordingLogger();
