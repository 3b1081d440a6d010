import type { Choice, Effect } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { askToPick, handoff } from '../../src/core/operation.ts';
import {
  type CounsellingStep,
  counsellingTopic,
  counsellingUrgency,
  requestCounselling,
} from '../../src/core/operations.ts';
import { URGENCY } from '../../src/core/programme.ts';

const options = (values: readonly string[], ns: string): Choice[] =>
  values.map((v) => ({ value: v, label: t(`counselling:${ns}.${v}`) }));

/** Each step of /counselling, all of them with the same result: the next question, or "sent". */
export const presentCounselling = (r: CounsellingStep): Effect[] => {
  switch (r.outcome) {
    case 'ask_topic':
      return [
        askToPick(t('counselling:topic_ask'), options(r.topics, 'topic'), handoff(counsellingTopic, 'topic', {})),
      ];
    case 'ask_urgency':
      return [
        askToPick(
          t('counselling:urgency_ask'),
          options(URGENCY, 'urgency'),
          handoff(counsellingUrgency, 'urgency', { topic: r.topic }),
        ),
      ];
    case 'ask_message':
      return [
        {
          type: 'begin',
          flow: 'ask-text',
          args: {
            question: t('counselling:message_ask'),
            ...handoff(requestCounselling, 'message', { topic: r.topic, urgency: r.urgency }),
            optional: true,
            max: 1000,
          },
        },
      ];
    case 'sent':
      return [{ type: 'say', text: [t('counselling:sent')] }];
  }
};
