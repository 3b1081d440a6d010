import { MongoConversationRepository, MongoProcessedEventRepository } from '../adapters/mongo/conversation.repository.ts';
import { MongoCohortRepository, MongoMeetingRepository, MongoTimelineRepository } from '../adapters/mongo/meeting.repository.ts';
import type { Models } from '../adapters/mongo/models.ts';
import { MongoActionRepository, MongoOutboxRepository } from '../adapters/mongo/outbox.repository.ts';
import { MongoPairRepository } from '../adapters/mongo/pair.repository.ts';
import { MongoParticipantRepository } from '../adapters/mongo/participant.repository.ts';
import type { Config } from './config.ts';
import { CohortsService } from './services/programme/cohorts.service.ts';
import { CommitmentService } from './services/programme/commitment.service.ts';
import { MeetingsService } from './services/programme/meetings.service.ts';
import { Notifier } from './services/programme/notifier.ts';
import { OfficersService } from './services/programme/officers.service.ts';
import { PairsService } from './services/programme/pairs.service.ts';

/** The repositories on one connection and the programme's services over them. */
export function buildProgramme(m: Models, config: Config) {
  const repos = {
    participants: new MongoParticipantRepository(m),
    conversations: new MongoConversationRepository(m),
    processed: new MongoProcessedEventRepository(m),
    pairs: new MongoPairRepository(m),
    meetings: new MongoMeetingRepository(m),
    cohorts: new MongoCohortRepository(m),
    timeline: new MongoTimelineRepository(m),
    outbox: new MongoOutboxRepository(m),
    actions: new MongoActionRepository(m),
  };
  const notifier = new Notifier(repos.outbox, repos.actions);
  const meetings = new MeetingsService({ ...repos, notifier, reminderOffsetsMinutes: config.REMINDER_OFFSETS_MINUTES, quietHours: config.QUIET_HOURS });
  const services = {
    pairs: new PairsService({ ...repos, notifier, ...(config.MATCH_WEIGHTS ? { weights: config.MATCH_WEIGHTS } : {}) }),
    commitment: new CommitmentService({ ...repos, notifier }),
    meetings,
    cohorts: new CohortsService({ ...repos, notifier, meetingsService: meetings }),
    officers: new OfficersService(repos.participants, repos.actions, { locale: config.DEFAULT_LOCALE, timeZone: config.DEFAULT_TIME_ZONE }),
  };
  return { repos, services, notifier };
}
