import { z } from 'zod';
import { hostname } from 'node:os';
import { CONSOLE_NAME, LOCALES } from './core/model.ts';
import { AI_FEATURES } from './core/ports.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from './services/health.ts';
import { DEFAULT_WEIGHTS, type MatchWeights } from './services/matching.ts';

const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const url = (what: string) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.url({ message: `expected ${what}` }).optional());
/** A comma-separated setting as its trimmed, non-empty items. */
const commaList = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : v;
const list = z.preprocess(
  commaList,
  z.array(
    z.string().regex(/^[A-Za-z0-9_-]{4,40}$/, {
      message: 'expected codes of 4-40 letters, digits, - or _, separated by commas',
    }),
  ),
);
export const DEFAULT_HTTP_PORT = 3000;
const port = z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535);

export const ConfigSchema = z.object({
  /** Unset: info, or warn in the console chat, where log lines would fall between the messages. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  HTTP_HOST: z.string().default('0.0.0.0'),
  /** Unset: 3000, and none at all in the console chat, which needs no port (see httpPort). */
  HTTP_PORT: port.optional(),
  /** Unset: /metrics answers anyone who reaches the port; set: only `Authorization: Bearer <token>`. */
  METRICS_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9._~+/=-]{16,256}$/, { message: 'expected 16-256 letters, digits or - . _ ~ + / =' })
      .optional(),
  ),
  MONGODB_URI: optionalString.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, { message: 'expected a mongodb:// or mongodb+srv:// connection string' })
      .optional(),
  ),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, { message: 'expected a database name of letters, digits, - or _' })
    .default('womento'),
  DATA_DIR: z.string().default('./data'),
  /** The embedded FerretDB's garbage collection ratio (Go's GOGC): higher spends memory to save CPU. */
  FERRETDB_GOGC: z.coerce.number().int().min(25).max(2000).default(300),
  TELEGRAM_BOT_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, { message: 'expected a token from BotFather, like 123456:ABC-DEF...' })
      .optional(),
  ),
  TELEGRAM_API_ROOT: z
    .url({ message: 'expected the Bot API address, like https://api.telegram.org' })
    .default('https://api.telegram.org'),
  TELEGRAM_SENDS_PER_SECOND: z.coerce
    .number({ message: 'expected messages per second' })
    .int()
    .min(1)
    .max(1000)
    .default(30),
  INBOX_DIRECT_MS: z.coerce.number({ message: 'expected milliseconds' }).int().min(0).max(2000).default(1000),
  TELEGRAM_WEBHOOK_URL: url('the public https address Telegram should post updates to'),
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, { message: 'expected 16-256 letters, digits, - or _' })
      .optional(),
  ),
  SLACK_BOT_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^xoxb-[A-Za-z0-9-]+$/, { message: 'expected a bot token starting with xoxb-' })
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString.pipe(
    z
      .string()
      .regex(/^[a-f0-9]{16,64}$/, { message: 'expected the signing secret (hex) from the app settings' })
      .optional(),
  ),
  SLACK_APP_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^xapp-[A-Za-z0-9-]+$/, { message: 'expected an app-level token starting with xapp-' })
      .optional(),
  ),
  SLACK_API_URL: url('the Slack Web API address ending in /api/'),
  SLACK_ALERT_CHANNEL: z
    .string()
    .regex(/^[CG][A-Z0-9]{2,20}$/, { message: 'expected a channel id such as C0123456789' })
    .optional(),
  SLACK_COMMAND: z
    .string()
    .regex(/^\/[a-z0-9_-]{1,31}$/)
    .default('/mentoring'),
  OFFICER_SLACK_IDS: z
    .preprocess(
      commaList,
      z.array(
        z.string().regex(/^T[A-Z0-9]+:[UW][A-Z0-9]+$/, {
          message: 'expected team:user ids such as T0123:U0456, separated by commas',
        }),
      ),
    )
    .default([]),
  MENTOR_CODES: list.default([]),
  DEFAULT_LOCALE: z.enum(LOCALES, { message: `expected one of ${LOCALES.join(', ')}` }).default('en'),
  DEFAULT_TIME_ZONE: z
    .string()
    .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', {
      message: 'expected an IANA time zone such as Europe/Helsinki',
    })
    .default('Europe/Helsinki'),
  CONSENT_VERSION: z.string().min(1).default('2026-11'),
  /** First month (1-12) of the programme year that /report offers. */
  PROGRAMME_YEAR_START_MONTH: z.coerce.number({ message: 'expected a month, 1-12' }).int().min(1).max(12).default(1),
  // Shown to every newcomer as the way to have her data deleted: an address she can write to.
  PROGRAMME_CONTACT: z
    .string()
    .trim()
    .max(200, { message: 'expected an e-mail address or a phone number (at most 200 characters)' })
    .optional(),
  /** Months after a pair ends until its free texts are erased and its members' profiles anonymised. */
  RETENTION_MONTHS: z.coerce.number({ message: 'expected months' }).int().min(1).max(120).default(24),
  OFFICER_TELEGRAM_IDS: z
    .preprocess(
      commaList,
      z.array(z.string().regex(/^\d{1,15}$/, { message: 'expected numeric Telegram user ids separated by commas' })),
    )
    .default([]),
  /** People of the console chat (`/as <name>`) who are officers; names are compared in lower case. */
  OFFICER_CONSOLE_NAMES: z
    .preprocess(
      (v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((s) => s.trim().toLowerCase())
              .filter(Boolean)
          : v,
      z.array(
        z.string().regex(CONSOLE_NAME, {
          message: 'expected console names of 1-32 letters, digits, - or _, separated by commas',
        }),
      ),
    )
    .default([]),
  REMINDER_OFFSETS_MINUTES: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.split(',').map((s) => Number(s.trim())) : v),
      z.array(z.number({ message: 'expected minutes such as 1440,60' }).int().min(5).max(20_160)).min(1),
    )
    .default([1440, 60]),
  QUIET_HOURS: z
    .string()
    .regex(/^([01]?\d|2[0-3])-([01]?\d|2[0-3])$/, { message: 'expected start-end hours such as 21-8' })
    .default('21-8')
    .transform((s) => {
      const [start, end] = s.split('-').map(Number);
      return { start: start!, end: end! };
    }),
  MATCH_WEIGHTS: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      try {
        return MatchWeightsSchema.parse(JSON.parse(s));
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `expected JSON with numbers for ${Object.keys(DEFAULT_WEIGHTS).join(', ')}`,
        });
        return z.NEVER;
      }
    }),
  CHECKIN_INTERVAL_DAYS: z.coerce.number({ message: 'expected days' }).int().min(1).max(90).default(14),
  ALERT_REMIND_DAYS: z.coerce.number({ message: 'expected days' }).int().min(1).max(60).default(3),
  /** Officers approve anonymous questions before they reach a cohort's group. */
  MODERATE_ANONYMOUS: z
    .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'], { message: 'expected true or false' })
    .default('true')
    .transform((v) => ['true', '1', 'on', 'yes'].includes(v)),
  TELEGRAM_OFFICERS_CHAT: z
    .string()
    .regex(/^-?\d{1,20}$/, { message: 'expected a Telegram chat id such as -1001234567890' })
    .optional(),
  ALERT_LOCALE: z.enum(LOCALES, { message: `expected one of ${LOCALES.join(', ')}` }).default('en'),
  STALL_THRESHOLDS: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      try {
        return { ...DEFAULT_THRESHOLDS, ...ThresholdsSchema.parse(JSON.parse(s)) } as Thresholds;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `expected JSON with whole numbers for ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}`,
        });
        return z.NEVER;
      }
    }),
  DISPATCH_EVERY_SECONDS: z.coerce.number({ message: 'expected seconds' }).int().min(1).max(59).default(5),
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .default(`${hostname()}-${process.pid}`),
  /** Without a key no AI feature runs and nothing is sent to any model; the fallbacks serve everyone. */
  OPENAI_API_KEY: optionalString.pipe(z.string().min(1).max(400).optional()),
  OPENAI_BASE_URL: url('an OpenAI-compatible API address, like https://api.openai.com/v1'),
  OPENAI_MODEL: z
    .string()
    .regex(/^[A-Za-z0-9._:/-]{1,100}$/, { message: 'expected a model or deployment name' })
    .default('gpt-4o-mini'),
  AI_FEATURES: z
    .preprocess(
      (v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s && s !== 'none')
          : v,
      z.array(
        z.enum(AI_FEATURES, { message: `expected some of ${AI_FEATURES.join(', ')} separated by commas, or none` }),
      ),
    )
    .default([...AI_FEATURES]),
  AI_DAILY_TOKENS: z.coerce
    .number({ message: 'expected a number of tokens' })
    .int()
    .min(0)
    .max(1_000_000_000)
    .default(200_000),
});

const ThresholdsSchema = z
  .object(
    Object.fromEntries(Object.keys(DEFAULT_THRESHOLDS).map((k) => [k, z.number().int().min(1).max(365).optional()])),
  )
  .strict();

const MatchWeightsSchema = z
  .object(
    Object.fromEntries(Object.keys(DEFAULT_WEIGHTS).map((k) => [k, z.number().min(0).max(1000).optional()])) as Record<
      keyof MatchWeights,
      z.ZodOptional<z.ZodNumber>
    >,
  )
  .strict()
  .transform(
    (w) =>
      ({
        ...DEFAULT_WEIGHTS,
        ...Object.fromEntries(Object.entries(w).filter(([, v]) => v !== undefined)),
      }) as MatchWeights,
  );

/** Rules between variables, checked on the raw environment so they are reported with all the others. */
function crossProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET)
    problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set');
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN)
    problems.push('SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
  if (env.OPENAI_BASE_URL && !env.OPENAI_API_KEY)
    problems.push('OPENAI_API_KEY: required with OPENAI_BASE_URL (any value for a local server without keys)');
  return problems;
}

export type Config = z.infer<typeof ConfigSchema>;

/** The port to listen on: HTTP_PORT, else 3000; the console chat listens only when HTTP_PORT is set. */
export function httpPort(config: Config, consoleChat: boolean): number | undefined {
  return config.HTTP_PORT ?? (consoleChat ? undefined : DEFAULT_HTTP_PORT);
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Parses the environment once. Problems are reported one line per variable, never with its value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty `NAME=` line in .env means "not set", so the default applies.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = ConfigSchema.safeParse(set);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`)),
    ...crossProblems(set),
  ];
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}
