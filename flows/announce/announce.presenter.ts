import type { Effect, Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { handoff, type Presenter } from '../../src/core/operation.ts';
import {
  type AnnounceDraft,
  type AnnounceStep,
  announceConfirm,
  announceMode,
  announceSegment,
  announceTarget,
  announceText,
  announcementPreference,
} from '../../src/core/operations.ts';
import type { announcementSetting } from '../../src/core/support.operations.ts';
import { SEGMENTS } from '../../src/core/programme.ts';

const ALL = 'all';
const say = (...text: Text[]): Effect => ({ type: 'say', text });
const pick = (args: Record<string, unknown>): Effect => ({ type: 'begin', flow: 'pick', args });

function askText(draft: AnnounceDraft, lang: string): Effect {
  const question =
    lang === ALL
      ? t('announce:text_ask')
      : t('announce:text_ask_language', { language: t(`common:language_name.${lang}`) });
  return {
    type: 'begin',
    flow: 'ask-text',
    args: { question, ...handoff(announceText, 'text', { ...draft, lang }), optional: lang !== ALL, max: 3000 },
  };
}

/** Every step of /announce: segment, city or cohort, one text or one per language, the count to confirm. */
export const presentAnnouncement = (r: AnnounceStep): Effect[] => {
  switch (r.outcome) {
    case 'ask_segment': {
      const options = SEGMENTS.map((s) => ({ value: s, label: t(`announce:segment.${s}`) }));
      return [pick({ question: t('announce:segment_ask'), options, ...handoff(announceSegment, 'kind', {}) })];
    }
    case 'ask_city': {
      const options = r.cities.map((c) => ({ value: c, label: { literal: c } }));
      const target = handoff(announceTarget, 'value', { kind: 'city' });
      return [pick({ question: t('announce:city_ask'), options, ...target })];
    }
    case 'ask_cohort': {
      const options = r.cohorts.map((c) => ({ value: c.id, label: t('cohorts:name', { name: c.name }) }));
      const target = handoff(announceTarget, 'value', { kind: 'cohort' });
      return [pick({ question: t('announce:cohort_ask'), options, ...target })];
    }
    case 'no_cohorts':
      return [say(t('cohorts:none'))];
    case 'ask_mode': {
      const options = ['one', 'per_language'].map((m) => ({ value: m, label: t(`announce:mode.${m}`) }));
      const mode = handoff(announceMode, 'mode', { kind: r.kind, ...(r.value ? { value: r.value } : {}) });
      return [pick({ question: t('announce:mode_ask'), options, ...mode })];
    }
    case 'ask_text':
      return r.again ? [say(t('announce:need_text')), askText(r.draft, r.lang)] : [askText(r.draft, r.lang)];
    case 'confirm': {
      const options = [
        { value: 'yes', label: t('announce:yes') },
        { value: 'no', label: t('announce:no') },
      ];
      const confirm = handoff(announceConfirm, 'answer', r.draft);
      return [pick({ question: t('announce:confirm', { count: r.count }), options, ...confirm, columns: 2 })];
    }
    case 'nobody':
      return [say(t('announce:nobody'))];
    case 'cancelled':
      return [say(t('announce:cancelled'))];
    case 'queued':
      return [say(t('announce:queued', { count: r.count }))];
  }
};

export const presentPreference: Presenter<typeof announcementPreference> = (r) => [
  say(t(r.on ? 'announce:prefs_saved_on' : 'announce:prefs_saved_off')),
];

/** /announcements: on or off; what she has now changes nothing in the question. */
export const presentSetting: Presenter<typeof announcementSetting> = () => [
  pick({
    question: t('announce:prefs_ask'),
    options: ['on', 'off'].map((v) => ({ value: v, label: t(`announce:prefs.${v}`) })),
    ...handoff(announcementPreference, 'value', {}),
    columns: 2,
  }),
];
