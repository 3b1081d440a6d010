import { z } from 'zod';
import { LOCALES } from './core/model.ts';

const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const url = (what: string) => z.preprocess((v) => (v === '' ? undefined : v), z.url({ message: `expected ${what}` }).optional());
const list = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.string().regex(/^[A-Za-z0-9_-]{4,40}$/, { message: 'expected codes of 4-40 letters, digits, - or _, separated by commas' })),
);
const port = z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535);

export const ConfigSchema = z
  .object({
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HTTP_HOST: z.string().default('0.0.0.0'),
    HTTP_PORT: port.default(3000),
    MONGODB_URI: optionalString.pipe(
      z.string().regex(/^mongodb(\+srv)?:\/\//, { message: 'expected a mongodb:// or mongodb+srv:// connection string' }).optional(),
    ),
    MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, { message: 'expected a database name of letters, digits, - or _' }).default('womento'),
    DATA_DIR: z.string().default('./data'),
    TELEGRAM_BOT_TOKEN: optionalString.pipe(
      z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, { message: 'expected a token from BotFather, like 123456:ABC-DEF...' }).optional(),
    ),
    TELEGRAM_API_ROOT: z.url({ message: 'expected the Bot API address, like https://api.telegram.org' }).default('https://api.telegram.org'),
    TELEGRAM_WEBHOOK_URL: url('the public https address Telegram should post updates to'),
    TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
      z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, { message: 'expected 16-256 letters, digits, - or _' }).optional(),
    ),
    MENTOR_CODES: list.default([]),
    DEFAULT_LOCALE: z.enum(LOCALES, { message: `expected one of ${LOCALES.join(', ')}` }).default('en'),
    DEFAULT_TIME_ZONE: z
      .string()
      .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', { message: 'expected an IANA time zone such as Europe/Helsinki' })
      .default('Europe/Helsinki'),
    CONSENT_VERSION: z.string().min(1).default('2026-11'),
  });

/** Rules between variables, checked on the raw environment so they are reported with all the others. */
function crossProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set');
  return problems;
}

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Parses the environment once. Problems are reported one line per variable, never with its value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`)), ...crossProblems(env)];
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}
