import type { ConsentAnswered, PrivacySummary } from '../../core/privacy.operations.ts';
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

  async answer(answer: string, me: Participant, now: Date): Promise<ConsentAnswered> {
    if (answer !== 'yes' && answer !== 'no') return { outcome: 'unknown_answer' };
    const consent = { given: answer === 'yes', textVersion: `${this.d.consentVersion}+${AI_NOTICE_VERSION}`, at: now };
    await this.d.participants.setAiConsent(me.id, consent, now);
    return { outcome: consent.given ? 'given' : 'refused', consent };
  }

  /** `/privacy`: what she agreed to; while AI is on, she is asked the AI question again to change it. */
  show(me: Participant): PrivacySummary {
    const aiConsent = me.aiConsent ? (me.aiConsent.given ? 'on' : 'off') : 'unset';
    return { aiConsent, aiAvailable: this.d.aiAvailable };
  }
}
