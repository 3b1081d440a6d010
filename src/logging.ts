import { pino } from 'pino';
import type { Logger } from './core/ports.ts';

/** JSON logs to stderr (stdout belongs to the console chat). Tokens are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'womento-bot' },
      redact: { paths: ['token', '*.token', 'headers.authorization'], censor: '[redacted]' },
    },
    pino.destination(2),
  ) as unknown as Logger;
}
