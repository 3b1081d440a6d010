import type { Effect } from '../../core/flow.ts';
import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import type { AiFeature, ParticipantRepository } from '../../core/ports.ts';

export interface AiConsentDeps {
  participants: ParticipantRepository;
  consentVersion: string;
  /** A model is configured and at least one AI feature is on. */
  aiAvailable: boolean;
}

/**
 * The AI notice as it is now: the first that names her profession, sent for `/vocab`. A consent given to an
 * earlier notice still covers what that one named (check-in notes), not the profession.
 */
export const AI_NOTICE_VERSION = 'ai-2';

/** Her separate, optional consent to AI processing: given, withdrawn, shown. */
export class AiConsentService {
  constructor(private readonly d: AiConsentDeps) {}

  /** Whether anything of hers may be sent to the model: only with her consent, and only while AI is on. */
  static allowsAi(p: Participant | null | undefined, feature?: AiFeature): boolean {
    if (!p?.aiConsent?.given) return false;
    return feature !== 'vocab' || p.aiConsent.textVersion.endsWith(`+${AI_NOTICE_VERSION}`);
  }

  async answer(answer: string, me: Participant, now: Date): Promise<Effect[]> {
    if (answer !== 'yes' && answer !== 'no') return [{ type: 'say', text: [t('common:use_buttons')] }];
    await this.d.participants.setAiConsent(
      me.id,
      { given: answer === 'yes', textVersion: `${this.d.consentVersion}+${AI_NOTICE_VERSION}`, at: now },
      now,
    );
    return [{ type: 'say', text: [t(answer === 'yes' ? 'privacy:ai.given' : 'privacy:ai.refused')] }];
  }

  /** `/privacy`: what she agreed to, and the AI question again to change it. */
  async show(me: Participant): Promise<Effect[]> {
    const state = me.aiConsent ? (me.aiConsent.given ? 'on' : 'off') : 'unset';
    const lines = [t('privacy:summary'), t(`privacy:ai.state_${state}`)];
    if (!this.d.aiAvailable) return [{ type: 'say', text: [...lines, t('privacy:ai.unavailable')] }];
    return [
      { type: 'say', text: lines },
      { type: 'begin', flow: 'ai-consent' },
    ];
  }
}
