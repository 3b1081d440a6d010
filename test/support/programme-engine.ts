import { join, resolve } from 'node:path';
import { buildEngine, buildProgramme } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Clock, ConversationRepository } from '../../src/core/ports.ts';
import { createTranslator, loadResources } from '../../src/engine/i18n.ts';
import { testModels } from './database.ts';
import { recordingLogger } from './logger.ts';
import { RecordingChannel } from './recording-channel.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ProgrammeEngineOptions {
  clock: Clock;
  env?: Record<string, string>;
  platform?: string;
  /** The database of another engine (two instances), else one of its own. */
  uri?: string;
  /** Wraps the real conversation store, e.g. to make a save fail. */
  conversations?: (real: ConversationRepository) => ConversationRepository;
}

/** The programme's engine on a test database, wired as the composition root wires it, with a recording channel. */
export async function programmeEngine(name: string, opts: ProgrammeEngineOptions) {
  const { connection, m } = await testModels(name, opts.uri);
  const config = loadConfig(opts.env ?? {});
  const built = buildProgramme(m, config);
  const repos = opts.conversations
    ? { ...built.repos, conversations: opts.conversations(built.repos.conversations) }
    : built.repos;
  const channel = new RecordingChannel(opts.platform ?? 'telegram');
  const logger = recordingLogger();
  const i18n = createTranslator(loadResources(join(ROOT, 'locales')));
  const engine = buildEngine(repos, built.services, {
    config,
    channels: new Map([[channel.platform, channel]]),
    i18n,
    clock: opts.clock,
    logger,
    mentorCodes: config.MENTOR_CODES,
  });
  return { connection, m, repos, services: built.services, engine, channel, logger, close: () => connection.close() };
}
