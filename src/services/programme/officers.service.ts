import { randomBytes } from 'node:crypto';
import type { IdentityKey, Locale, Participant } from '../../core/model.ts';
import type { OfficerRedeemed } from '../../core/operations.ts';
import type { OfficerInvitation } from '../../core/pairs.operations.ts';
import type { ActionRepository, ParticipantRepository } from '../../core/ports.ts';

const DAY = 86_400_000;

/** Officers: the first from configuration, more by one-time invitation codes. */
export class OfficersService {
  constructor(
    private readonly participants: ParticipantRepository,
    private readonly actions: ActionRepository,
    private readonly defaults: { locale: Locale; timeZone: string },
  ) {}

  /** Makes each configured identity an officer (an existing participant keeps her data). */
  async ensure(identities: readonly { identity: IdentityKey; address: string }[], now: Date): Promise<void> {
    for (const { identity, address } of identities)
      await this.makeOfficer(identity, address, this.defaults.locale, now);
  }

  private async makeOfficer(identity: IdentityKey, address: string, locale: Locale, now: Date): Promise<Participant> {
    const existing = await this.participants.findByIdentity(identity);
    if (existing) {
      if (existing.role !== 'officer') await this.participants.setRole(existing.id, 'officer', now);
      return { ...existing, role: 'officer' };
    }
    return this.participants.save(
      {
        role: 'officer',
        identities: [identity],
        addresses: { [identity.split(':')[0]!]: address },
        locale,
        timeZone: this.defaults.timeZone,
        status: 'waiting',
        consent: { given: true, textVersion: 'officer', at: now },
      },
      now,
    );
  }

  /** /invite: a one-time code, valid seven days, as a deep link for the new officer. */
  async invite(officer: Participant, now: Date): Promise<OfficerInvitation> {
    const code = `officer-${randomBytes(9).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + 7 * DAY);
    await this.actions.create({
      id: code,
      participantId: '*',
      kind: 'officer-invite',
      ref: { by: officer.id },
      values: ['redeem'],
      expiresAt,
      once: true,
    });
    return { code, expiresAt };
  }

  /** `/start officer-<code>`: a valid, unused code makes the speaker an officer. */
  async redeem(
    code: string,
    ctx: { identity: IdentityKey; conversationId: string; locale: Locale; now: Date },
  ): Promise<OfficerRedeemed> {
    const invite = await this.actions.get(code);
    if (
      invite?.kind !== 'officer-invite' ||
      new Date(invite.expiresAt) < ctx.now ||
      !(await this.actions.use(code, ctx.now))
    ) {
      return { outcome: 'invalid' };
    }
    return {
      outcome: 'officer',
      officer: await this.makeOfficer(ctx.identity, ctx.conversationId, ctx.locale, ctx.now),
    };
  }
}
