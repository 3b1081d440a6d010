import { randomInt } from 'node:crypto';
import type {
  GroupMovedOutcome,
  JoinRequestOutcome,
  SpaceOpening,
  SpacesStep,
  WithdrawStep,
} from '../../core/operations.ts';
import type { SpaceBinding } from '../../core/pairs.operations.ts';
import type { ActorContext } from '../../core/flow.ts';
import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import type {
  CohortRepository,
  GroupAdminPort,
  PairRepository,
  ParticipantRepository,
  RecordStore,
} from '../../core/ports.ts';
import type { BindCode, Cohort } from '../../core/programme.ts';
import { AppError } from '../../core/errors.ts';
import { nameOf } from './labels.ts';
import type { Notifier, Staff } from './notifier.ts';

const DAY = 86_400_000;
const PROMPTS = 6;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface SpacesDeps {
  participants: ParticipantRepository;
  pairs: PairRepository;
  cohorts: CohortRepository;
  codes: RecordStore<BindCode>;
  /** Claims of used codes: an insert per code, so two /bind at once bind once. */
  codeUses: RecordStore<{ id: string; at: Date }>;
  admins: ReadonlyMap<string, GroupAdminPort>;
  notifier: Notifier;
  /** Told of refused join requests. */
  staff: Staff;
}

const platformOf = (identity: string) => identity.slice(0, identity.indexOf(':'));
const identityOn = (p: Participant, platform: string) => p.identities.find((i) => platformOf(i) === platform);
/** A created space's name: readable, and unique even when two cohorts share a name. */
const spaceName = (cohort: Cohort) =>
  `womento-cohort-${cohort.name}-${cohort.id.slice(0, 6)}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
/** `slack` -> `Slack`: the platforms' own names, the same in every language. */
const platformName = (platform: string) => platform.charAt(0).toUpperCase() + platform.slice(1);
const reason = (err: unknown) => (err instanceof AppError ? err.code : 'error');

/** A cohort's peer-support spaces: a group a person creates and binds by code, or a private channel the bot creates; weekly prompts. */
export class SpacesService {
  constructor(private readonly d: SpacesDeps) {}

  async members(cohort: Cohort): Promise<Participant[]> {
    const pairs = (await Promise.all(cohort.pairIds.map((id) => this.d.pairs.get(id)))).filter((p) => p !== null);
    const found = await this.d.participants.findByIds(pairs.flatMap((p) => [p.actorId, p.mentorId]));
    return [...found.values()].filter((p) => p.status !== 'left');
  }

  cohort(id: string): Promise<Cohort | null> {
    return this.d.cohorts.get(id);
  }

  async cohortOf(participantId: string): Promise<Cohort | null> {
    const pair = (await this.d.pairs.openFor(participantId)).find((p) => p.cohortId);
    return pair?.cohortId ? this.d.cohorts.get(pair.cohortId) : null;
  }

  /** /peergroup: pick a cohort, then open its spaces. */
  async begin(): Promise<SpacesStep> {
    const cohorts = await this.d.cohorts.list();
    return cohorts.length ? { outcome: 'pick_cohort', cohorts } : { outcome: 'no_cohorts' };
  }

  /**
   * Where the bot can create a space (Slack), creates it with the members of that platform; where a
   * person must create it (Telegram), gives a code to bind it, or, once bound, invites newcomers.
   */
  async open(cohortId: string, officer: Participant, now: Date): Promise<SpacesStep> {
    const cohort = await this.d.cohorts.get(cohortId);
    if (!cohort) return { outcome: 'not_found' };
    const spaces: SpaceOpening[] = [];
    for (const [platform, admin] of this.d.admins) {
      if (admin.createSpace) {
        spaces.push(await this.openCreated(cohort, platform, admin, now));
        continue;
      }
      if (!admin.inviteLink) continue;
      const bound = cohort.spaces?.[platform];
      // Asked again: members who joined the cohort since get their invitation.
      if (bound) {
        const invited = await this.inviteToGroup(cohort, admin, bound, now).catch(() => 0);
        spaces.push({ platform, outcome: 'already_bound', invited });
      } else {
        const code = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
        await this.d.codes.insert({
          id: code,
          cohortId,
          createdBy: officer.id,
          expiresAt: new Date(now.getTime() + 7 * DAY),
        });
        spaces.push({ platform, outcome: 'bind_code', code });
      }
    }
    return { outcome: 'opened', cohort, spaces };
  }

  /** Creates the space once; adds the cohort's members on its platform (again: those who joined since). */
  private async openCreated(cohort: Cohort, platform: string, admin: GroupAdminPort, now: Date): Promise<SpaceOpening> {
    const members = (await this.members(cohort)).filter((m) => identityOn(m, platform));
    try {
      let space = cohort.spaces?.[platform];
      if (!space) {
        space = await admin.createSpace!(spaceName(cohort));
        await this.saveSpace(cohort, platform, space);
        await this.welcome(cohort, space, now);
      }
      if (members.length)
        await admin.addMembers?.(
          space,
          members.map((m) => identityOn(m, platform)!),
        );
      let invited = 0;
      for (const m of members) if (await this.invite(m, cohort, platform, space, undefined, now)) invited++;
      return { platform, outcome: 'created', invited };
    } catch (err) {
      return { platform, outcome: 'create_failed', reason: reason(err) };
    }
  }

  private async saveSpace(cohort: Cohort, platform: string, conversationId: string): Promise<Cohort> {
    const fresh = (await this.d.cohorts.get(cohort.id)) ?? cohort;
    const updated = { ...fresh, spaces: { ...fresh.spaces, [platform]: conversationId } };
    await this.d.cohorts.save(updated);
    return updated;
  }

  private welcome(cohort: Cohort, space: string, now: Date): Promise<boolean> {
    return this.d.notifier.send(
      {
        key: `space:${space}:welcome`,
        recipientId: `conv:${space}`,
        due: now,
        text: [t('peer:welcome_space', { name: cohort.name })],
        locales: ['fi', 'en'],
      },
      now,
    );
  }

  /** Tells a member where her space is; where her partner's platform differs, says that the other space exists. */
  /** True when she had no invitation to this space yet. */
  private async invite(
    m: Participant,
    cohort: Cohort,
    platform: string,
    space: string,
    link: string | undefined,
    now: Date,
  ): Promise<boolean> {
    const others = Object.keys(cohort.spaces ?? {}).filter((p) => p !== platform);
    const text = [
      link ? t('peer:invite', { link }) : t('peer:invite_slack', { channel: spaceName(cohort) }),
      ...others.map((p) => t('peer:other_platform', { platform: platformName(p) })),
    ];
    return this.d.notifier.send({ key: `space:${space}:invite:${m.id}`, recipientId: m.id, due: now, text }, now);
  }

  /** A personal link that asks to join, for each member on the group's platform; returns how many were new. */
  private async inviteToGroup(cohort: Cohort, admin: GroupAdminPort, space: string, now: Date): Promise<number> {
    let invited = 0;
    for (const m of (await this.members(cohort)).filter((x) => identityOn(x, platformOf(space)))) {
      const link = await admin.inviteLink!(space, `${nameOf(m)} · ${cohort.name}`.slice(0, 32));
      if (await this.invite(m, cohort, platformOf(space), space, link, now)) invited++;
    }
    return invited;
  }

  /** /bind <code>, sent by an officer in the group she created. */
  async bind(code: string, officer: Participant, ctx: ActorContext): Promise<SpaceBinding> {
    if (!ctx.inGroup) return { outcome: 'not_in_group' };
    if (!code) return { outcome: 'no_code' };
    const stored = await this.d.codes.get(code.trim().toUpperCase());
    const cohort = stored && new Date(stored.expiresAt) > ctx.now ? await this.d.cohorts.get(stored.cohortId) : null;
    if (!stored || !cohort) return { outcome: 'bad_code' };
    const platform = platformOf(ctx.conversationId);
    const admin = this.d.admins.get(platform);
    if (!admin?.inviteLink) return { outcome: 'bad_code' };
    const members = (await this.members(cohort)).filter((m) => identityOn(m, platform));
    // The first link tells whether the bot may invite; nothing is stored before that.
    const links = new Map<string, string>();
    try {
      for (const m of members)
        links.set(m.id, await admin.inviteLink(ctx.conversationId, `${nameOf(m)} · ${cohort.name}`.slice(0, 32)));
    } catch {
      return { outcome: 'not_admin', code: stored.id };
    }
    if (!(await this.d.codeUses.insert({ id: stored.id, at: ctx.now }))) return { outcome: 'bad_code' };
    await this.d.codes.delete(stored.id);
    const bound = await this.saveSpace(cohort, platform, ctx.conversationId);
    for (const m of members) await this.invite(m, bound, platform, ctx.conversationId, links.get(m.id), ctx.now);
    // Members who use the other platform hear that their partners meet here.
    for (const m of await this.members(cohort)) {
      if (identityOn(m, platform) || !Object.keys(bound.spaces ?? {}).some((p) => identityOn(m, p))) continue;
      await this.d.notifier.send(
        {
          key: `space:${ctx.conversationId}:other:${m.id}`,
          recipientId: m.id,
          due: ctx.now,
          text: [t('peer:other_platform', { platform: platformName(platform) })],
        },
        ctx.now,
      );
    }
    await this.d.notifier.send(
      {
        key: `space:${ctx.conversationId}:bound`,
        recipientId: officer.id,
        due: ctx.now,
        text: [t('peer:bound_officer', { name: cohort.name, count: members.length })],
      },
      ctx.now,
    );
    return { outcome: 'bound', cohort: bound, invited: members.length };
  }

  /** The platform gave the group a new id (a group that became a supergroup): the cohort follows it. */
  async moved(from: string, to: string): Promise<GroupMovedOutcome> {
    const cohortIds: string[] = [];
    for (const cohort of await this.d.cohorts.list()) {
      const platform = Object.entries(cohort.spaces ?? {}).find(([, space]) => space === from)?.[0];
      if (!platform) continue;
      await this.saveSpace(cohort, platform, to);
      cohortIds.push(cohort.id);
    }
    return { cohortIds };
  }

  /** A join request to a cohort's group: approved for its members only; officers hear of the others. */
  async joinRequest(
    conversationId: string,
    identity: string,
    participant: Participant | null,
    now: Date,
  ): Promise<JoinRequestOutcome> {
    const cohort = (await this.d.cohorts.list()).find((c) => Object.values(c.spaces ?? {}).includes(conversationId));
    const admin = this.d.admins.get(platformOf(conversationId));
    if (!cohort || !admin?.approveJoin || !admin.declineJoin) return 'ignored';
    const member = participant !== null && (await this.members(cohort)).some((m) => m.id === participant.id);
    if (member) {
      await admin.approveJoin(conversationId, identity);
      return 'approved';
    }
    await admin.declineJoin(conversationId, identity);
    const who = participant ? nameOf(participant) : identity;
    for (const recipientId of await this.d.staff.recipients()) {
      await this.d.notifier.send(
        {
          key: `space:${conversationId}:declined:${identity}:${now.getTime()}:${recipientId}`,
          recipientId,
          due: now,
          text: [t('peer:join_declined', { name: cohort.name, who })],
        },
        now,
      );
    }
    return 'declined';
  }

  /** /withdraw: pick a cohort, then the person who leaves. */
  async beginWithdraw(cohortId?: string): Promise<WithdrawStep> {
    if (!cohortId) {
      const cohorts = await this.d.cohorts.list();
      return cohorts.length ? { outcome: 'pick_cohort', cohorts } : { outcome: 'no_cohorts' };
    }
    const cohort = await this.d.cohorts.get(cohortId);
    if (!cohort) return { outcome: 'not_found' };
    return { outcome: 'pick_member', cohortId, members: await this.members(cohort) };
  }

  /** She leaves the programme: no more messages, and out of every cohort space. */
  async withdraw(cohortId: string, participantId: string, now: Date): Promise<WithdrawStep> {
    const cohort = await this.d.cohorts.get(cohortId);
    const person = await this.d.participants.findById(participantId);
    if (!cohort || !person) return { outcome: 'not_found' };
    await this.d.notifier.send(
      { key: `withdrawn:${person.id}`, recipientId: person.id, due: now, text: [t('peer:withdrawn_self')] },
      now,
    );
    await this.removeFrom(cohort, person);
    await this.d.participants.setStatus(person.id, 'left', now);
    return { outcome: 'withdrawn', person };
  }

  /** Out of the groups and channels of every cohort she was ever in (her data is being erased). */
  async leaveSpaces(person: Participant): Promise<void> {
    for (const cohort of await this.d.cohorts.list()) {
      const pairs = await Promise.all(cohort.pairIds.map((id) => this.d.pairs.get(id)));
      if (pairs.some((p) => p && (p.actorId === person.id || p.mentorId === person.id)))
        await this.removeFrom(cohort, person);
    }
  }

  private async removeFrom(cohort: Cohort, person: Participant): Promise<void> {
    for (const [platform, space] of Object.entries(cohort.spaces ?? {})) {
      const identity = identityOn(person, platform);
      if (identity && space)
        await this.d.admins
          .get(platform)
          ?.remove(space, identity)
          .catch(() => undefined);
    }
  }

  /** The weekly question, the same for every cohort that week; group sends go through the rate-limited outbox. */
  async weeklyPrompt(now: Date): Promise<number> {
    const week = Math.floor(now.getTime() / (7 * DAY));
    let posted = 0;
    for (const cohort of await this.d.cohorts.list()) {
      const locales = await this.localesOf(cohort);
      for (const space of Object.values(cohort.spaces ?? {})) {
        if (!space) continue;
        const text = [t('peer:prompt_title'), t(`peer:prompts.${week % PROMPTS}`)];
        if (
          await this.d.notifier.send(
            {
              key: `prompt:${space}:${week}`,
              recipientId: `conv:${space}`,
              due: now,
              text,
              locales,
              category: 'announcement',
            },
            now,
          )
        )
          posted++;
      }
    }
    return posted;
  }

  /** Finnish first (the language they practise), then each member's own. */
  async localesOf(cohort: Cohort): Promise<string[]> {
    return [...new Set(['fi', ...(await this.members(cohort)).map((m) => m.locale)])];
  }
}
