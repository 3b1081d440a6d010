import { join, resolve } from 'node:path';
import type { Connection } from 'mongoose';
import { allFlows } from '../../flows/index.ts';
import { buildProgramme } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Clock, ConversationRepository } from '../../src/core/ports.ts';
import { ConversationEngine } from '../../src/engine/engine.ts';
import { createTranslator, loadResources } from '../../src/engine/i18n.ts';
import { programmeActions, programmeCommands, programmeUseCases } from '../../src/services/programme/wiring.ts';
import { testModels } from './database.ts';
import { recordingLogger } from './logger.ts';
import { RecordingChannel } from './recording-channel.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The programme's engine on a test database with a recording channel for one platform, wired as the
 * composition root wires it; `conversations` can be swapped to make a save fail.
 */
export async function programmeEngine(
  name: string,
  opts: { clock: Clock; env?: Record<string, string>; platform?: string; conversations?: (real: ConversationRepository) => ConversationRepository },
) {
  const { connection, m } = await testModels(name);
  const config = loadConfig(opts.env ?? {});
  const { repos, services } = buildProgramme(m, config);
  const channel = new RecordingChannel(opts.platform ?? 'telegram');
  const logger = recordingLogger();
  const engine = new ConversationEngine({
    useCases: programmeUseCases(services),
    commands: programmeCommands(services),
    actions: { repository: repos.actions, handlers: programmeActions(services) },
    participants: repos.participants,
    conversations: opts.conversations ? opts.conversations(repos.conversations) : repos.conversations,
    processed: repos.processed,
    channels: new Map([[channel.platform, channel]]),
    flows: allFlows,
    i18n: createTranslator(loadResources(join(ROOT, 'locales'))),
    clock: opts.clock,
    logger,
    settings: { mentorCodes: config.MENTOR_CODES, consentVersion: config.CONSENT_VERSION, defaultTimeZone: config.DEFAULT_TIME_ZONE },
    defaultLocale: config.DEFAULT_LOCALE,
    groupCommands: new Set(['bind']),
  });
  return { connection: connection as Connection, repos, services, engine, channel, logger, close: () => connection.close() };
}
