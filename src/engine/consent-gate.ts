import type { StepOutcome } from '../core/flow.ts';
import { t } from '../core/flow.ts';
import type { InboundPayload } from '../core/messages.ts';
import type { FlowState, Participant } from '../core/model.ts';
import { handoff } from '../core/operation.ts';
import { needsConsent } from '../core/privacy.ts';
import { answerConsent } from '../core/privacy.operations.ts';

/** What she may still do while her consent is out of date or refused: see or erase her data, read the help. */
const ALWAYS = new Set(['mydata', 'delete', 'help']);

/**
 * When the privacy notice has a new version (or she refused it), her messages are not handled: she is
 * asked to agree first, in her own chat. Her answer and the /delete confirmations pass through.
 */
export function consentGate(
  payload: InboundPayload,
  flow: FlowState | null,
  participant: Participant | null,
  ctx: { inGroup?: boolean; settings: { consentVersion: string } },
): StepOutcome | null {
  if (ctx.inGroup || !participant || !needsConsent(participant, ctx.settings.consentVersion)) return null;
  if (payload.type === 'command' && ALWAYS.has(payload.name)) return null;
  if (flow && !flow.paused && String(flow.data.useCase ?? '').startsWith('privacy.')) return null;
  const version = ctx.settings.consentVersion;
  const refused = !participant.consent.given && participant.consent.textVersion === version;
  const notice = t(`registration:consent.notice_${participant.role}`);
  const question = t(refused ? 'privacy:consent.still_refused' : 'privacy:consent.renewed', { notice });
  return {
    state: flow,
    effects: [
      {
        type: 'begin',
        flow: 'pick',
        args: {
          question,
          options: [
            { value: 'yes', label: t('privacy:consent.accept') },
            { value: 'no', label: t('privacy:consent.decline') },
          ],
          ...handoff(answerConsent, 'answer', { version }),
        },
      },
    ],
  };
}
