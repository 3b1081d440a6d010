import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'mongoose';
import { ConsoleAdapter } from '../adapters/console/console.adapter.ts';
import { CONSOLE_POLICY } from '../adapters/console/rate-policy.ts';
import { connect } from '../adapters/mongo/connection.ts';
import { ensureIndexes, models } from '../adapters/mongo/models.ts';
import { CronScheduler } from '../adapters/scheduler/cron.scheduler.ts';
import { SLACK_POLICY } from '../adapters/slack/rate-policy.ts';
import { SlackAdapter } from '../adapters/slack/slack.adapter.ts';
import { telegramPolicy } from '../adapters/telegram/rate-policy.ts';
import { TelegramAdapter } from '../adapters/telegram/telegram.adapter.ts';
import { MongoParticipantRepository } from '../adapters/mongo/participant.repository.ts';
import { MongoPairRepository } from '../adapters/mongo/pair.repository.ts';
import { MongoCheckInRepository } from '../adapters/mongo/checkin.repository.ts';
import { MongoAlertRepository } from '../adapters/mongo/alert.repository.ts';
import { MongoHealthQueue } from '../adapters/mongo/health.queue.ts';
import { MongoActionRepository, MongoOutboxRepository } from '../adapters/mongo/outbox.repository.ts';
import type { Models } from '../adapters/mongo/models.ts';
import {
  MongoCohortRepository,
  MongoMeetingRepository,
  MongoTimelineRepository,
} from '../adapters/mongo/meeting.repository.ts';
import {
  MongoConversationRepository,
  MongoProcessedEventRepository,
} from '../adapters/mongo/conversation.repository.ts';
import { OpenAiAdapter } from '../adapters/openai/openai.adapter.ts';
import { PrometheusMetrics } from '../adapters/metrics/prometheus.adapter.ts';
import { allFlows, presenters, programmeActions, programmeCommands } from '../flows/index.ts';
import { type Config, httpPort } from './config.ts';
import { type ClockShift, ConsoleChat } from './console-chat.ts';
import { VirtualClock } from './services/virtual-time.ts';
import { DEMO_START_SHIFT, seedDemo } from './services/demo/demo-programme.ts';
import { z } from 'zod';
import {
  type AiPort,
  type ActionRepository,
  type ChannelPort,
  type Clock,
  type ConversationRepository,
  type GroupAdminPort,
  type Logger,
  type Metrics,
  NO_AI,
  NO_METRICS,
  type ParticipantRepository,
  type ProcessedEventRepository,
  type ReplyPort,
} from './core/ports.ts';
import { ConversationEngine } from './engine/engine.ts';
import { createTranslator, loadResources, type Translator } from './engine/i18n.ts';
import { startHttpServer } from './http-server.ts';
import { compactTimeline, DEFAULT_THRESHOLDS } from './services/health.ts';
import { PairsService } from './services/programme/pairs.service.ts';
import { OfficersService } from './services/programme/officers.service.ts';
import { Notifier, Staff } from './services/programme/notifier.ts';
import { MeetingsService } from './services/programme/meetings.service.ts';
import { CommitmentService } from './services/programme/commitment.service.ts';
import { AlertsService } from './services/programme/alerts.service.ts';
import { CheckinsService } from './services/programme/checkins.service.ts';
import { CohortsService } from './services/programme/cohorts.service.ts';
import { OutboxDispatcher } from './services/delivery/dispatcher.ts';
import { RateLimiter } from './services/delivery/rate-limiter.ts';
import { ReplySender } from './services/delivery/reply-sender.ts';
import { SpacesService } from './services/programme/spaces.service.ts';
import { AnonymousService } from './services/programme/anonymous.service.ts';
import { CounsellingService } from './services/programme/counselling.service.ts';
import { AnnouncementsService } from './services/programme/announcements.service.ts';
import { CompletionService } from './services/programme/completion.service.ts';
import { EndingService } from './services/programme/ending.service.ts';
import { OverviewService } from './services/programme/overview.service.ts';
import { MongoDocuments } from '../adapters/mongo/documents.ts';
import { MongoEventInbox } from '../adapters/mongo/inbox.repository.ts';
import { MongoReportSource } from '../adapters/mongo/report.reader.ts';
import { MongoDocumentationSource } from '../adapters/mongo/documentation.reader.ts';
import { ReportsService } from './services/reports/reports.service.ts';
import { DocumentationService } from './services/programme/documentation.service.ts';
import { InboxIntake } from './services/inbox-intake.ts';
import {
  AnonymousQuestion,
  Announcement,
  BindCode,
  CounsellingRequest,
  FinalSurvey,
  Occurrence,
  Preferences,
  Triage,
} from './core/programme.ts';
import { LOCALES } from './core/model.ts';
import { type KeywordLists, TriageService } from './services/programme/triage.service.ts';
import { DigestService } from './services/programme/digest.service.ts';
import { MongoPersonalDataStore } from '../adapters/mongo/privacy.repository.ts';
import { AuditEntry, ConsentRecord } from './core/privacy.ts';
import type { TextRenderer } from './core/ports.ts';
import { AuditService } from './services/programme/audit.service.ts';
import { ErasureService } from './services/programme/erasure.service.ts';
import { PrivacyService } from './services/programme/privacy.service.ts';
import { AiConsentService } from './services/programme/ai-consent.service.ts';
import { VocabService } from './services/programme/vocab.service.ts';
import { curatedVocab } from './services/programme/vocab.curated.ts';
import { MongoVocabProgressRepository } from '../adapters/mongo/vocab.repository.ts';
import { markdownPdf } from './services/records/markdown-pdf.ts';
import { type ProgrammeServices, programmeOperations } from './services/programme/operations.ts';

const ClockShiftDocument: z.ZodType<ClockShift> = z.object({ id: z.string(), shiftMs: z.number() });

/** The folder with package.json (locales/, scripts/): one up from src/ under tsx, two up from dist/src/ when built. */
export const PROJECT_ROOT = projectRoot(dirname(fileURLToPath(import.meta.url)));

function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return join(from, '..');
  }
}
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const systemClock: Clock = { now: () => new Date() };

/** A mentor code for trying the bot locally when none is configured. */
export const LOCAL_MENTOR_CODE = 'local-trial';

export interface AppOptions {
  config: Config;
  logger: Logger;
  /** Full connection string including the database name. */
  mongoUri: string;
  clock?: Clock;
  /** Used when no platform token is configured: a chat on these streams (its clock is a VirtualClock). */
  console?: { input: Readable; output: Writable; onClose?: () => void; demo?: boolean };
  /** Run node-cron jobs (dispatch, pruning). Tests that move the clock call the dispatcher themselves. */
  scheduler?: boolean;
}

export interface App {
  engine: ConversationEngine;
  replies: ReplySender;
  dispatcher: OutboxDispatcher;
  /** What GET /metrics serves. */
  metrics: PrometheusMetrics;
  connection: Connection;
  repositories: ReturnType<typeof buildProgramme>['repos'];
  services: ReturnType<typeof buildProgramme>['services'];
  http: Server | undefined;
  /** The console chat's people and clock, when the app runs one. */
  consoleChat: ConsoleChat | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The model behind the AI features, or none: without a key nothing is sent anywhere. */
export function buildAi(config: Config, clock: Clock, logger: Logger, metrics: Metrics = NO_METRICS): AiPort {
  if (!config.OPENAI_API_KEY) return NO_AI;
  return new OpenAiAdapter({
    apiKey: config.OPENAI_API_KEY,
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    model: config.OPENAI_MODEL,
    features: config.AI_FEATURES,
    dailyTokens: config.AI_DAILY_TOKENS,
    clock,
    logger,
    metrics,
  });
}

/** The composition root: the one place that wires adapters, flows and services together. */
export async function createApp(opts: AppOptions): Promise<App> {
  const { config, logger } = opts;
  const useConsole = Boolean(!config.TELEGRAM_BOT_TOKEN && !config.SLACK_BOT_TOKEN && opts.console);
  // The console's time can be moved forward (`/clock`); everywhere else it is real time (or a test's).
  // A demo's past is made on the same clock, so it starts weeks back and is moved to now.
  const demo = useConsole && Boolean(opts.console?.demo);
  const clock = opts.clock ?? (useConsole ? new VirtualClock(demo ? DEMO_START_SHIFT : 0) : systemClock);
  const connection = await connect(opts.mongoUri);
  // The demo always starts fresh: its own database (main.ts names it), emptied.
  if (demo) await connection.dropDatabase();
  const m = models(connection);
  await ensureIndexes(m);

  const channels = new Map<string, ChannelPort>();
  const groupAdmins = new Map<string, GroupAdminPort>();
  const metrics = new PrometheusMetrics();
  const ai = buildAi(config, clock, logger, metrics);
  const i18n = createTranslator(loadResources(join(PROJECT_ROOT, 'locales')));
  const extras = { ai, logger: logger.child({ component: 'triage' }), renderer: i18n, metrics, clock };
  const { repos, services } = buildProgramme(m, config, groupAdmins, extras);
  await repos.reportSource.ensureIndexes();
  await repos.documentationSource.ensureIndexes();
  await repos.inbox.upgrade();
  await repos.outbox.upgrade(clock.now());
  const { processed } = repos;
  const mentorCodes = config.MENTOR_CODES.length || !useConsole ? config.MENTOR_CODES : [LOCAL_MENTOR_CODE];

  // One limiter per platform, shared by the replies to people and the outbox: the platform counts them together.
  const limiters = new Map([
    ['telegram', new RateLimiter(telegramPolicy(config.TELEGRAM_SENDS_PER_SECOND))],
    ['slack', new RateLimiter(SLACK_POLICY)],
  ]);
  const replies = new ReplySender({ channels, limiters, logger: logger.child({ component: 'replies' }), metrics });
  const engine = buildEngine(repos, services, { config, channels, replies, i18n, clock, logger, mentorCodes, metrics });
  const onEvent = (event: Parameters<ConversationEngine['handle']>[0]) => engine.handle(event);
  // Platforms are acknowledged once an event is stored (Slack's answer, Telegram's next poll or webhook reply),
  // or once its outcome is: an event handled at once within INBOX_DIRECT_MS is not stored itself.
  const intake = new InboxIntake({
    inbox: repos.inbox,
    handle: onEvent,
    directMs: config.INBOX_DIRECT_MS,
    readAhead: { begin: (event) => engine.readAhead(event), drop: (id) => engine.dropReadAhead(id) },
    clock,
    logger,
    instanceId: config.INSTANCE_ID,
    metrics,
  });

  const adapters: { start(): Promise<void>; stop(): Promise<void> }[] = [];
  let telegram: TelegramAdapter | undefined;
  if (config.TELEGRAM_BOT_TOKEN) {
    telegram = new TelegramAdapter({
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      logger,
      // Acknowledged by the next poll once stored or handled; under load stored first, then handled in turn.
      onEvent: (event) => intake.receive(event).then(() => undefined),
      backlog: () => intake.backlog,
      ...(config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET
        ? { webhook: { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET } }
        : {}),
    });
    channels.set(telegram.platform, telegram);
    groupAdmins.set(telegram.platform, telegram);
    adapters.push(telegram);
  }
  let slack: SlackAdapter | undefined;
  if (config.SLACK_BOT_TOKEN) {
    slack = new SlackAdapter({
      token: config.SLACK_BOT_TOKEN,
      ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
      ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
      ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
      command: config.SLACK_COMMAND,
      logger,
      intake,
    });
    channels.set(slack.platform, slack);
    groupAdmins.set(slack.platform, slack);
    adapters.push(slack);
  }
  // What the outbox sends the console is held to Telegram's limits on the console's own clock (no real wait);
  // its replies are not limited, as before.
  const dispatchLimiters = new Map(limiters);
  let consoleChat: ConsoleChat | undefined;
  let chat: ConsoleAdapter | undefined;
  if (useConsole && opts.console) {
    const nowMs = () => clock.now().getTime();
    const advance = async (ms: number) =>
      void (clock instanceof VirtualClock
        ? clock.advanceTo(nowMs() + ms)
        : await new Promise((r) => setTimeout(r, ms)));
    dispatchLimiters.set('console', new RateLimiter(CONSOLE_POLICY, nowMs, advance));
    consoleChat = new ConsoleChat({
      participants: repos.participants,
      clock,
      shifts: new MongoDocuments(m.Timeline.db.db!, 'console_clock', ClockShiftDocument),
      runDue: (now) => runDue(now),
      nextDue: (after) => repos.outbox.nextDue(after),
      timeZone: config.DEFAULT_TIME_ZONE,
      officerNames: config.OFFICER_CONSOLE_NAMES,
    });
    await consoleChat.restoreClock();
    chat = new ConsoleAdapter({
      ...opts.console,
      logger,
      onEvent,
      first: consoleChat.first,
      opening: (person) => consoleChat!.opening(person),
      render: (text) => i18n.render(text, config.DEFAULT_LOCALE),
      people: () => consoleChat!.people(),
      clock: (args) => consoleChat!.clock(args),
      filesDir: join(config.DATA_DIR, 'files'),
    });
    channels.set(chat.platform, chat);
    adapters.push(chat);
  }

  const dispatcher = new OutboxDispatcher({
    ...repos,
    channels,
    limiters: dispatchLimiters,
    renderer: i18n,
    clock,
    channelLocale: config.ALERT_LOCALE,
    onUnreachable: async (participantId, now) => {
      for (const pair of await repos.pairs.openFor(participantId))
        await repos.timeline.append({ pairId: pair.id, type: 'member_unreachable', at: now, data: { participantId } });
    },
    logger: logger.child({ component: 'dispatcher' }),
    instanceId: config.INSTANCE_ID,
    metrics,
    attachments: (a, recipient) => services.completion.certificate(a.pairId, recipient, i18n),
  });
  const scheduler = new CronScheduler(
    [
      { name: 'dispatch', schedule: `*/${config.DISPATCH_EVERY_SECONDS} * * * * *`, run: () => dispatcher.drain() },
      { name: 'checkins', schedule: '7 * * * *', run: () => services.checkins.tick(clock.now()) },
      // Notices before a pair's end, the final survey at it, the officers' alert a week after.
      { name: 'completion', schedule: '23 * * * *', run: () => services.completion.tick(clock.now()) },
      { name: 'stall-evaluation', schedule: '*/15 * * * *', run: () => services.alerts.evaluate(clock.now()) },
      // Notes whose background triage was lost with a stopped instance are read here.
      { name: 'triage-sweep', schedule: '*/10 * * * *', run: () => services.triage.sweep(clock.now()) },
      // Each daily vocabulary practice is queued ahead for her 17:00 (one a day, by its key).
      { name: 'vocab-daily', schedule: '41 * * * *', run: () => services.vocab.tick(clock.now()) },
      { name: 'announcement-reports', schedule: '30 * * * * *', run: () => services.announcements.report(clock.now()) },
      {
        name: 'weekly-digest',
        schedule: '0 8 * * 1',
        timeZone: config.DEFAULT_TIME_ZONE,
        run: () => services.digest.weekly(clock.now()),
      },
      {
        name: 'weekly-peer-prompt',
        schedule: '0 10 * * 1',
        timeZone: config.DEFAULT_TIME_ZONE,
        run: () => services.spaces.weeklyPrompt(clock.now()),
      },
      // Free texts of pairs that ended RETENTION_MONTHS ago, and profiles nobody needs any more.
      {
        name: 'retention',
        schedule: '37 2 * * *',
        timeZone: config.DEFAULT_TIME_ZONE,
        run: () => services.erasure.retention(clock.now()),
      },
      { name: 'prune-health-queue', schedule: '47 3 * * *', run: () => repos.health.prune(clock.now()) },
      // Erased conversations are emptied at once and deleted minutes later; these a restart left behind.
      {
        name: 'prune-erased-conversations',
        schedule: '7 3 * * *',
        run: () => repos.conversations.deleteErased(new Date(+clock.now() - HOUR)),
      },
      {
        name: 'prune-processed-events',
        schedule: '17 3 * * *',
        run: () => processed.prune(new Date(clock.now().getTime() - 7 * 86_400_000)),
      },
      // Stored events whose instance died are handled by whoever claims them once their lease ran out.
      { name: 'inbox-recovery', schedule: '*/15 * * * * *', run: () => intake.recover(clock.now()) },
      // A Slack retry comes within the hour; a day of handled ids is plenty.
      { name: 'prune-inbox', schedule: '27 3 * * *', run: () => repos.inbox.prune(new Date(+clock.now() - DAY)) },
    ],
    logger,
  );

  /** The scheduler's time-driven jobs at one moment, then the outbox (the console's `/clock` runs them). */
  const runDue = async (now: Date) => {
    await services.checkins.tick(now);
    await services.alerts.evaluate(now);
    await services.announcements.report(now);
    await services.vocab.tick(now);
    await dispatcher.drain();
  };

  // One ping at a time: while the database does not answer, probes share the one in flight
  // instead of each holding a pooled connection (the server answers 503 after its own timeout).
  let ping: Promise<boolean> | undefined;
  const pingDatabase = async () => (await connection.db?.admin().ping())?.ok === 1;

  const app: App = {
    engine,
    replies,
    dispatcher,
    metrics,
    connection,
    repositories: repos,
    services,
    http: undefined,
    consoleChat,
    async start() {
      const consoleOfficers = (await consoleChat?.officers()) ?? [];
      await services.officers.ensure(
        [
          ...config.OFFICER_TELEGRAM_IDS.map((id) => ({ identity: `telegram:${id}`, address: `telegram:${id}` })),
          ...config.OFFICER_SLACK_IDS.map((id) => ({ identity: `slack:${id}`, address: `slack:@${id.split(':')[1]}` })),
          ...consoleOfficers.map((name) => ({ identity: `console:${name}`, address: `console:${name}` })),
        ],
        clock.now(),
      );
      const webhook = telegram?.webhookHandler();
      const slackEvents = slack?.requestHandler();
      const port = httpPort(config, useConsole);
      if (port !== undefined) {
        app.http = await startHttpServer({
          host: config.HTTP_HOST,
          port,
          logger,
          ready: () => (ping ??= pingDatabase().finally(() => (ping = undefined))),
          metrics: {
            exposition: () => metrics.exposition(),
            ...(config.METRICS_TOKEN ? { token: config.METRICS_TOKEN } : {}),
          },
          routes: {
            ...(webhook ? { '/telegram/webhook': webhook } : {}),
            ...(slackEvents ? { '/slack/events': slackEvents } : {}),
          },
        });
      }
      if (demo && clock instanceof VirtualClock) {
        const officer = await repos.participants.findByIdentity(`console:${consoleChat!.first}`);
        chat?.mute(true);
        await seedDemo({ ...repos, services, clock, officer: officer!, drain: () => dispatcher.drain() });
        chat?.mute(false);
      }
      for (const adapter of adapters) await adapter.start();
      // The demo's stall evaluation runs as the console opens, so its alerts reach the officer on screen
      // (in the background: what she types meanwhile is answered).
      if (demo)
        void runDue(clock.now()).catch((err) =>
          logger.warn({ err: (err as Error).message }, 'demo evaluation stopped'),
        );
      // Events this instance stored but had not handled when it last stopped (a crash) are handled now.
      await intake.recover(clock.now(), { resume: true });
      if (!adapters.length) logger.warn({}, 'no chat platform configured: set TELEGRAM_BOT_TOKEN or SLACK_BOT_TOKEN');
      if (opts.scheduler !== false) scheduler.start();
    },
    /** Stops intake first, lets events in flight finish, then closes the database. */
    async stop() {
      await scheduler.stop();
      await Promise.all(adapters.map((a) => a.stop()));
      await new Promise<void>((resolve) => (app.http ? app.http.close(() => resolve()) : resolve()));
      await intake.idle();
      await engine.idle();
      await services.triage.idle();
      await connection.close();
    },
  };
  return app;
}

export interface EngineRepositories {
  actions: ActionRepository;
  participants: ParticipantRepository;
  conversations: ConversationRepository;
  processed: ProcessedEventRepository;
}

export interface EngineOptions {
  config: Config;
  channels: ReadonlyMap<string, ChannelPort>;
  /** How replies leave; without it they are sent inline (tests). */
  replies?: ReplyPort;
  i18n: Translator;
  clock: Clock;
  logger: Logger;
  mentorCodes: readonly string[];
  metrics?: Metrics;
}

/** The conversation engine over the programme's services. */
export function buildEngine(repos: EngineRepositories, services: ProgrammeServices, o: EngineOptions) {
  const commands = programmeCommands();
  return new ConversationEngine({
    operations: programmeOperations(services, presenters),
    commands,
    actions: { repository: repos.actions, handlers: programmeActions() },
    participants: repos.participants,
    conversations: repos.conversations,
    processed: repos.processed,
    channels: o.channels,
    ...(o.replies ? { replies: o.replies } : {}),
    flows: allFlows,
    i18n: o.i18n,
    clock: o.clock,
    logger: o.logger.child({ component: 'engine' }),
    settings: {
      mentorCodes: o.mentorCodes,
      consentVersion: o.config.CONSENT_VERSION,
      defaultTimeZone: o.config.DEFAULT_TIME_ZONE,
      aiAvailable: Boolean(o.config.OPENAI_API_KEY) && o.config.AI_FEATURES.length > 0,
      ...(o.config.PROGRAMME_CONTACT ? { programmeContact: o.config.PROGRAMME_CONTACT } : {}),
      deleteCommand: commands.has('delete'),
    },
    defaultLocale: o.config.DEFAULT_LOCALE,
    groupCommands: new Set(['bind']),
    textPdf: markdownPdf,
    ...(o.metrics ? { metrics: o.metrics } : {}),
  });
}

/** The repositories on one connection and the programme's services over them. */
/** Keyword lists of the triage fallback, per language, from `locales/<lng>/triage.json`. */
export function triageKeywords(resources = loadResources(join(PROJECT_ROOT, 'locales'))): KeywordLists {
  const split = (v: unknown) =>
    typeof v === 'string'
      ? v
          .split('|')
          .map((w) => w.trim())
          .filter(Boolean)
      : [];
  return Object.fromEntries(
    LOCALES.map((l) => {
      const k = (resources[l]?.triage as { keywords?: { high?: unknown; low?: unknown } } | undefined)?.keywords;
      return [l, { high: split(k?.high), low: split(k?.low) }];
    }),
  );
}

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => SILENT };

export interface ProgrammeExtras {
  ai?: AiPort;
  logger?: Logger;
  /** Renders what /mydata explains and queued messages as she would read them. */
  renderer?: TextRenderer;
  metrics?: Metrics;
  /** What the conversations' copies and delayed deletes go by (a test's or the console's clock moves them). */
  clock?: Clock;
}

export function buildProgramme(
  m: Models,
  config: Config,
  groupAdmins: ReadonlyMap<string, GroupAdminPort> = new Map(),
  extras: ProgrammeExtras = {},
) {
  const renderer = extras.renderer ?? createTranslator(loadResources(join(PROJECT_ROOT, 'locales')));
  const db = m.Timeline.db.db!;
  const thresholds = config.STALL_THRESHOLDS ?? DEFAULT_THRESHOLDS;
  const health = new MongoHealthQueue(db, (events) => compactTimeline(events, thresholds));
  const clock = extras.clock ?? systemClock;
  const conversations = new MongoConversationRepository(m, { now: () => clock.now().getTime() });
  const repos = {
    health,
    participants: new MongoParticipantRepository(m),
    conversations,
    processed: new MongoProcessedEventRepository(m),
    inbox: new MongoEventInbox(m),
    pairs: new MongoPairRepository(m),
    meetings: new MongoMeetingRepository(m),
    cohorts: new MongoCohortRepository(m),
    timeline: new MongoTimelineRepository(m, health),
    outbox: new MongoOutboxRepository(m),
    actions: new MongoActionRepository(m),
    checkins: new MongoCheckInRepository(m),
    alerts: new MongoAlertRepository(m),
    bindCodes: new MongoDocuments(db, 'bind_codes', BindCode),
    bindCodeUses: new MongoDocuments(db, 'bind_code_uses', Occurrence),
    questions: new MongoDocuments(db, 'anonymous_questions', AnonymousQuestion),
    counselling: new MongoDocuments(db, 'counselling_requests', CounsellingRequest),
    announcements: new MongoDocuments(db, 'announcements', Announcement),
    preferences: new MongoDocuments(db, 'preferences', Preferences),
    reports: new MongoDocuments(db, 'reports_sent', Occurrence),
    surveys: new MongoDocuments(db, 'final_surveys', FinalSurvey),
    completionMarks: new MongoDocuments(db, 'completion_marks', Occurrence),
    triages: new MongoDocuments(db, 'triages', Triage),
    reportSource: new MongoReportSource(db),
    documentationSource: new MongoDocumentationSource(db),
    personal: new MongoPersonalDataStore(db, conversations),
    consents: new MongoDocuments(db, 'consent_log', ConsentRecord),
    auditLog: new MongoDocuments(db, 'audit', AuditEntry),
    retained: new MongoDocuments(db, 'retention_done', Occurrence),
    vocab: new MongoVocabProgressRepository(db),
  };
  const officerTargets = [
    ...(config.SLACK_ALERT_CHANNEL ? [`slack:${config.SLACK_ALERT_CHANNEL}`] : []),
    ...(config.TELEGRAM_OFFICERS_CHAT ? [`telegram:${config.TELEGRAM_OFFICERS_CHAT}`] : []),
  ];
  const notifier = new Notifier(repos.outbox, repos.actions);
  const staff = new Staff(officerTargets, repos.participants);
  const meetings = new MeetingsService({
    ...repos,
    notifier,
    reminderOffsetsMinutes: config.REMINDER_OFFSETS_MINUTES,
    quietHours: config.QUIET_HOURS,
  });
  // The alerts service is made below; triage reaches it through this closure to alert at once.
  let alertsRef: AlertsService | undefined;
  const triage = new TriageService({
    ...repos,
    ai: extras.ai ?? NO_AI,
    keywords: triageKeywords(),
    officersLocale: config.ALERT_LOCALE,
    evaluate: (now) => alertsRef?.evaluate(now) ?? Promise.resolve(),
    logger: extras.logger ?? SILENT,
  });
  const checkins = new CheckinsService({
    ...repos,
    notifier,
    intervalDays: config.CHECKIN_INTERVAL_DAYS,
    afterAnswer: (c, by, now) => triage.schedule(c, by, now),
  });
  const alerts = new AlertsService({
    ...repos,
    notifier,
    staff,
    remindDays: config.ALERT_REMIND_DAYS,
    thresholds,
    markTriageWrong: (id, officer, now) => triage.markWrong(id, officer, now),
    ...(extras.metrics ? { metrics: extras.metrics } : {}),
  });
  alertsRef = alerts;
  const spaces = new SpacesService({
    ...repos,
    codes: repos.bindCodes,
    codeUses: repos.bindCodeUses,
    admins: groupAdmins,
    notifier,
    staff,
  });
  const audit = new AuditService(repos.auditLog, repos.participants);
  const pairs = new PairsService({
    ...repos,
    notifier,
    ...(config.MATCH_WEIGHTS ? { weights: config.MATCH_WEIGHTS } : {}),
  });
  const retentionMonths = config.RETENTION_MONTHS;
  const privacy = new PrivacyService({ ...repos, audit, renderer, retentionMonths });
  const services = {
    privacy,
    audit,
    erasure: new ErasureService({ ...repos, privacy, pairsService: pairs, spaces, retentionMonths }),
    spaces,
    anonymous: new AnonymousService({
      questions: repos.questions,
      spaces,
      notifier,
      staff,
      moderate: config.MODERATE_ANONYMOUS,
    }),
    counselling: new CounsellingService({
      requests: repos.counselling,
      participants: repos.participants,
      notifier,
      staff,
    }),
    announcements: new AnnouncementsService({ ...repos, spaces, notifier }),
    checkins,
    alerts,
    triage,
    digest: new DigestService({ ...repos, ai: extras.ai ?? NO_AI, notifier, logger: extras.logger ?? SILENT }),
    pairs,
    commitment: new CommitmentService({ ...repos, notifier }),
    meetings,
    cohorts: new CohortsService({ ...repos, notifier, meetingsService: meetings }),
    completion: new CompletionService({ ...repos, notifier, alerts, marks: repos.completionMarks }),
    ending: new EndingService({ ...repos, notifier, staff }),
    aiConsent: new AiConsentService({
      participants: repos.participants,
      consentVersion: config.CONSENT_VERSION,
      aiAvailable: Boolean(config.OPENAI_API_KEY) && config.AI_FEATURES.length > 0,
    }),
    vocab: new VocabService({
      ...repos,
      ai: extras.ai ?? NO_AI,
      notifier,
      curated: curatedVocab(loadResources(join(PROJECT_ROOT, 'locales'))),
      dailyHour: 17,
      logger: extras.logger ?? SILENT,
    }),
    overview: new OverviewService({ ...repos, notifier, thresholds }),
    reports: new ReportsService({ source: repos.reportSource, yearStartMonth: config.PROGRAMME_YEAR_START_MONTH }),
    documentation: new DocumentationService({ ...repos, source: repos.documentationSource, audit: audit.asPort() }),
    officers: new OfficersService(repos.participants, repos.actions, {
      locale: config.DEFAULT_LOCALE,
      timeZone: config.DEFAULT_TIME_ZONE,
    }),
  };
  return { repos, services, notifier };
}
