import { launchDatabase } from '../adapters/mongo/launcher.ts';
import { createApp, PROJECT_ROOT } from './app.ts';
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
  const logger = createLogger(config.LOG_LEVEL);
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
