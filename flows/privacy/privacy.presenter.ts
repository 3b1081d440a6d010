import type { Effect, Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { fileOf } from '../../src/core/messages.ts';
import { handoff, type Presenter } from '../../src/core/operation.ts';
import type { answerAiConsent } from '../../src/core/operations.ts';
import {
  type answerConsent,
  type beginDeletion,
  confirmDeletion,
  deleteMyData,
  type exportMyData,
  type listAudit,
  type showPrivacy,
} from '../../src/core/privacy.operations.ts';

const say = (...text: Text[]): Effect => ({ type: 'say', text });

/** The file, and beside it what the data is for, who sees it, how long it is kept and her rights. */
export const presentExport: Presenter<typeof exportMyData> = (r) => [
  say(t('privacy:export.intro'), t('privacy:export.explain', { months: r.retentionMonths })),
  {
    type: 'file',
    file: fileOf(r.file.name, r.file.mimeType, r.file.contents),
    caption: [t('privacy:export.caption')],
  },
];

/** What erasure does, with a button; after "yes", the word to type, so a slip of the thumb erases nothing. */
export const presentDeletionStep: Presenter<typeof beginDeletion | typeof confirmDeletion> = (step) => {
  if (step === 'kept') return [say(t('privacy:delete.kept'))];
  if (step === 'ask_word') {
    const question = t('privacy:delete.type_word', { word: t('privacy:delete.word') });
    return [{ type: 'begin', flow: 'ask-text', args: { question, ...handoff(deleteMyData, 'word', {}), max: 50 } }];
  }
  const options = [
    { value: 'yes', label: t('privacy:delete.yes') },
    { value: 'no', label: t('privacy:delete.no') },
  ];
  const args = { question: t('privacy:delete.explain'), options, ...handoff(confirmDeletion, 'answer', {}) };
  return [{ type: 'begin', flow: 'pick', args }];
};

/** Erased: she is told what remains in the platform's own history, and the conversation is forgotten. */
export const presentDeletion: Presenter<typeof deleteMyData> = (outcome) =>
  outcome === 'word_wrong'
    ? [say(t('privacy:delete.word_wrong'))]
    : [say(t('privacy:delete.done'), t('privacy:delete.telegram_history')), { type: 'forget' }];

export const presentConsent: Presenter<typeof answerConsent> = (r) => {
  if (r.outcome === 'unknown_answer') return [say(t('common:use_buttons'))];
  return [say(t(r.outcome === 'given' ? 'privacy:consent.thanks' : 'privacy:consent.refused'))];
};

export const presentAiConsent: Presenter<typeof answerAiConsent> = (r) => {
  if (r.outcome === 'unknown_answer') return [say(t('common:use_buttons'))];
  return [say(t(r.outcome === 'given' ? 'privacy:ai.given' : 'privacy:ai.refused'))];
};

/** One line per read, in the officer's own time zone. */
export const presentAudit: Presenter<typeof listAudit> = (log, ctx) => {
  if (!log.length) return [say(t('privacy:audit.empty'))];
  // The operation is open to stored officers only, so she is there; Helsinki is the programme's own zone.
  const timeZone = ctx.participant?.timeZone ?? 'Europe/Helsinki';
  const lines = log.map(({ entry, officerName }) =>
    t('privacy:audit.line', {
      when: { date: entry.at.toISOString(), timeZone },
      officer: officerName,
      subject: entry.subjectId,
      what: entry.what,
    }),
  );
  return [say(t('privacy:audit.title'), ...lines)];
};

/** What she agreed to, then the AI question again to change it (while AI is on). */
export const presentPrivacy: Presenter<typeof showPrivacy> = (r) => {
  const lines = [t('privacy:summary'), t(`privacy:ai.state_${r.aiConsent}`)];
  if (!r.aiAvailable) return [say(...lines, t('privacy:ai.unavailable'))];
  return [say(...lines), { type: 'begin', flow: 'ai-consent' }];
};
