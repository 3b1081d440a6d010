import type { Effect } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { nameOf, when } from '../../src/core/labels.ts';
import { handoff, type Presenter } from '../../src/core/operation.ts';
import { askAnonymously } from '../../src/core/operations.ts';
import type { beginAnonymous, decideAnonymous } from '../../src/core/support.operations.ts';
import { moderationText } from '../../src/core/support.texts.ts';

const KEYS = { posted: 'peer:ask_posted', in_review: 'peer:ask_review', no_cohort: 'peer:no_cohort' } as const;
const say = (key: string): Effect => ({ type: 'say', text: [t(key)] });

/** The asker hears where her question went; it never carries her name. */
export const presentAsked: Presenter<typeof askAnonymously> = (r) => [say(KEYS[r.outcome])];

/** /ask: her question, or why her cohort cannot be asked yet. */
export const presentAnonymousStart: Presenter<typeof beginAnonymous> = (r) => {
  if (r.outcome === 'no_cohort') return [say('peer:no_cohort')];
  if (r.outcome === 'no_space') return [say('peer:no_space')];
  return [
    {
      type: 'begin',
      flow: 'ask-text',
      args: { question: t('peer:ask_prompt'), ...handoff(askAnonymously, 'text', {}), max: 1000 },
    },
  ];
};

/** The review message rewritten with who decided and when. */
export const presentAnonymousDecided: Presenter<typeof decideAnonymous> = (r) => {
  switch (r.outcome) {
    case 'not_found':
      return [say('common:button_expired')];
    case 'already_decided':
      return [say('peer:already_decided')];
    default: {
      const decided = t(r.outcome === 'approved' ? 'peer:approved_by' : 'peer:rejected_by', {
        name: nameOf(r.by),
        when: when(r.at, r.by.timeZone),
      });
      return [{ type: 'update', text: [moderationText(r.cohort.name, r.question.text), decided] }];
    }
  }
};
