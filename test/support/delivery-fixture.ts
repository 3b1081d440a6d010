import type { Connection } from 'mongoose';
import { connect } from '../../adapters/mongo/connection.ts';
import { ensureIndexes, models } from '../../adapters/mongo/models.ts';
import { TelegramAdapter } from '../../adapters/telegram/telegram.adapter.ts';
import { buildProgramme } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Clock, Logger } from '../../src/core/ports.ts';
import { createTranslator, loadResources } from '../../src/engine/i18n.ts';
import { OutboxDispatcher } from '../../src/services/delivery/dispatcher.ts';
import { TELEGRAM_POLICY } from '../../adapters/telegram/rate-policy.ts';
import type { RatePolicy } from '../../src/core/ports.ts';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * One "bot instance" for delivery tests: its own connection, its own real telegraf client, its own
 * dispatcher, as a separate process of the bot would have.
 */
export async function deliveryInstance(opts: {
  mongoUri: string;
  apiRoot: string;
  token: string;
  instanceId: string;
  clock: Clock;
  logger: Logger;
  policy?: RatePolicy;
  leaseMs?: number;
  batchSize?: number;
}) {
  const connection: Connection = await connect(opts.mongoUri);
  const m = models(connection);
  await ensureIndexes(m);
  const { repos, notifier } = buildProgramme(m, loadConfig({}));
  const telegram = new TelegramAdapter({
    token: opts.token,
    apiRoot: opts.apiRoot,
    logger: opts.logger,
    onEvent: async () => {},
  });
  const dispatcher = new OutboxDispatcher({
    ...repos,
    channels: new Map([['telegram', telegram]]),
    policies: { telegram: opts.policy ?? TELEGRAM_POLICY },
    renderer: createTranslator(loadResources(join(ROOT, 'locales'))),
    clock: opts.clock,
    logger: opts.logger,
    instanceId: opts.instanceId,
    ...(opts.leaseMs ? { leaseMs: opts.leaseMs } : {}),
    ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
  });
  return { connection, repos, notifier, dispatcher, close: () => connection.close() };
}
