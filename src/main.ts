import { launchDatabase } from '../adapters/mongo/launcher.ts';
import { createApp, LOCAL_MENTOR_CODE, PROJECT_ROOT } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { errorSummary } from './engine/engine.ts';
import { createLogger } from './logging.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`womento-bot cannot start; fix these settings:\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  const consoleChat = !config.TELEGRAM_BOT_TOKEN && !config.SLACK_BOT_TOKEN;
  const logger = createLogger(config.LOG_LEVEL ?? (consoleChat ? 'warn' : 'info'));
  if (consoleChat) {
    process.stderr.write(
      `womento-bot: a local chat in this terminal (no TELEGRAM_BOT_TOKEN or SLACK_BOT_TOKEN set).\n` +
        `Type a number to press a button. Mentors register with the code ${config.MENTOR_CODES[0] ?? LOCAL_MENTOR_CODE}. Ctrl-D quits.\n` +
        `Starting the local database (the first start builds it, which takes a minute or two)...\n`,
    );
  }
  const db = await launchDatabase({ ...(config.MONGODB_URI ? { uri: config.MONGODB_URI } : {}), dataDir: config.DATA_DIR, projectRoot: PROJECT_ROOT, logger });
  logger.info({ database: db.kind }, 'database ready');

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason }, 'stopping');
      await app.stop().catch((err) => logger.error({ err: errorSummary(err) }, 'stop failed'));
      await db.stop();
      process.exit(0);
    })();
    return stopping;
  };

  const app = await createApp({
    config,
    logger,
    mongoUri: db.uriFor(config.MONGODB_DB),
    console: { input: process.stdin, output: process.stdout, onClose: () => void stop('console closed') },
  });
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.on('unhandledRejection', (err) => logger.error({ err: errorSummary(err) }, 'unhandled rejection'));
  await app.start();
  logger.info({}, 'womento-bot is running');
}

main().catch((err) => {
  process.stderr.write(`womento-bot failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
