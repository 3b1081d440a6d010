import { type App, createApp } from '../../src/app.ts';
import type { Clock } from '../../src/core/ports.ts';
import { loadConfig } from '../../src/config.ts';
import type { FakeTelegram } from '../fakes/telegram-bot-api.ts';
import { testDbUri } from './database.ts';
import { recordingLogger } from './logger.ts';

/**
 * The whole app against a started fake Telegram, on its own test database, with the clock the test moves
 * and no scheduler (the test runs the jobs); `env` adds or overrides settings.
 */
export async function startTelegramApp(
  fake: FakeTelegram,
  database: string,
  opts: { clock?: Clock; env?: NodeJS.ProcessEnv } = {},
): Promise<App> {
  const apiRoot = await fake.start();
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: apiRoot,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    ...opts.env,
  });
  const app = await createApp({
    config,
    logger: recordingLogger(),
    mongoUri: testDbUri(database),
    ...(opts.clock ? { clock: opts.clock } : {}),
    scheduler: false,
  });
  await app.start();
  return app;
}
