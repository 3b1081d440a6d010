import { type DatabaseServer, launchDatabase } from '../adapters/mongo/launcher.ts';
import { type App, createApp, LOCAL_MENTOR_CODE, PROJECT_ROOT } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { errorSummary } from './engine/engine.ts';
import { createLogger } from './logging.ts';

const say = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    say(`womento-bot cannot start; fix these settings:\n${err.problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  const consoleChat = !config.TELEGRAM_BOT_TOKEN && !config.SLACK_BOT_TOKEN;
  const demo = consoleChat && process.argv.includes('--demo');
  const logger = createLogger(config.LOG_LEVEL ?? (consoleChat ? 'warn' : 'info'));
  if (consoleChat) {
    say(
      `womento-bot: a local chat in this terminal (no TELEGRAM_BOT_TOKEN or SLACK_BOT_TOKEN set).\n` +
        `Type a number to press a button; /as <name> speaks as someone else (a new name registers), /people lists\n` +
        `everyone, /clock +3d moves the programme's time. Mentors register with the code ` +
        `${config.MENTOR_CODES[0] ?? LOCAL_MENTOR_CODE}. Ctrl-D quits.`,
    );
    say(demo ? 'Starting the local database and a fresh demo programme...' : 'Starting the local database...');
  }
  let building = false;
  const db = await launchDatabase({
    ...(config.MONGODB_URI ? { uri: config.MONGODB_URI } : {}),
    dataDir: config.DATA_DIR,
    gogc: config.FERRETDB_GOGC,
    projectRoot: PROJECT_ROOT,
    logger,
    // Said only when it happens: a build takes minutes, a cached database starts in a second.
    onBuild: () => {
      if (!building) say('Building the local database once for this machine; this takes a few minutes...');
      building = true;
    },
  });
  logger.info({ database: db.kind }, 'database ready');

  let app: App | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (reason: string, code = 0) => {
    stopping ??= (async () => {
      logger.info({ reason }, 'stopping');
      await app?.stop().catch((err) => logger.error({ err: errorSummary(err) }, 'stop failed'));
      await db.stop();
      process.exit(code);
    })();
    return stopping;
  };

  try {
    app = await createApp({
      config,
      logger,
      mongoUri: db.uriFor(demo ? `${config.MONGODB_DB}-demo` : config.MONGODB_DB),
      console: { input: process.stdin, output: process.stdout, onClose: () => void stop('console closed'), demo },
    });
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.on('unhandledRejection', (err) => logger.error({ err: errorSummary(err) }, 'unhandled rejection'));
    await app.start();
  } catch (err) {
    await failed(err, db, app);
  }
  if (consoleChat && app?.http) {
    const address = app.http.address();
    if (address && typeof address === 'object')
      say(`Health checks at http://${config.HTTP_HOST}:${address.port}/healthz`);
  }
  logger.info({}, 'womento-bot is running');
}

/** One line saying why, and nothing left running: the app's connections and the embedded database stop. */
async function failed(err: unknown, db: DatabaseServer, app: App | undefined): Promise<never> {
  // A busy port is the one failure a newcomer meets often; its message names the port and HTTP_PORT.
  say(`womento-bot failed to start: ${err instanceof Error ? err.message : String(err)}`);
  await app?.stop().catch(() => undefined);
  await db.stop().catch(() => undefined);
  process.exit(1);
}

main().catch((err) => {
  say(`womento-bot failed to start: ${(err as Error).message}`);
  process.exit(1);
});
