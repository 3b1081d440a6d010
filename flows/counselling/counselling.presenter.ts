import type { Choice, Effect, Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { nameOf, when } from '../../src/core/labels.ts';
import { askToPick, handoff, type Presenter } from '../../src/core/operation.ts';
import {
  type CounsellingStep,
  counsellingTopic,
  counsellingUrgency,
  requestCounselling,
} from '../../src/core/operations.ts';
import { URGENCY } from '../../src/core/programme.ts';
import type { handleCounselling, listCounselling } from '../../src/core/support.operations.ts';
import { counsellingAlert, counsellingChoices } from '../../src/core/support.texts.ts';

const say = (...text: Text[]): Effect => ({ type: 'say', text });

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
      return [say(t('counselling:sent'))];
  }
};

/** The officer's message rewritten: who took or resolved it and when, and what is left to do. */
export const presentCounsellingHandled: Presenter<typeof handleCounselling> = (r) => {
  switch (r.outcome) {
    case 'not_found':
      return [say(t('common:button_expired'))];
    case 'already_resolved':
      return [say(t('counselling:already_resolved'))];
    case 'already_taken':
      return [say(t('counselling:already_taken', { name: r.request.takenByName ?? '' }))];
    default: {
      const line = t(r.outcome === 'taken' ? 'counselling:taken_by' : 'counselling:resolved_by', {
        name: nameOf(r.by),
        when: when(r.at, r.by.timeZone),
      });
      const choices = counsellingChoices(r.request.state);
      return [
        {
          type: 'update',
          text: counsellingAlert(r.request, r.requester, [line]),
          ...(choices.length ? { buttons: { choices, columns: 2 } } : {}),
        },
      ];
    }
  }
};

/** /requests: one line per request still open or taken. */
export const presentOpenCounselling: Presenter<typeof listCounselling> = ({ requests }) => {
  if (!requests.length) return [say(t('counselling:list_empty'))];
  const lines = requests.map(({ request: r, requester }) =>
    t('counselling:list_item', {
      name: nameOf(requester),
      topic: t(`counselling:topic.${r.topic}`),
      urgency: t(`counselling:urgency.${r.urgency}`),
      state:
        r.state === 'taken' ? t('counselling:state.taken', { name: r.takenByName ?? '' }) : t('counselling:state.open'),
    }),
  );
  return [say(t('counselling:list_title'), ...lines)];
};
