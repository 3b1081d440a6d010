import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/core/flow.ts';
import type { Participant } from '../../src/core/model.ts';
import {
  presentAiConsent,
  presentAudit,
  presentConsent,
  presentDeletion,
  presentDeletionStep,
  presentExport,
  presentPrivacy,
} from '../../flows/privacy/privacy.presenter.ts';
import { ctx, NOW, said } from '../support/flow-driver.ts';

const begun = (effects: Effect[]) => effects.find((e) => e.type === 'begin');
const officer = { id: 'o1', role: 'officer', timeZone: 'Asia/Tokyo' } as Participant;

describe('the privacy presenters', () => {
  it('an export: the explanation with the retention months, then the JSON file with its caption', () => {
    const contents = '{\n  "profile": {}\n}\n';
    const file = { name: 'womento-my-data-2026-11-25.json', mimeType: 'application/json' as const, contents };
    const effects = presentExport({ data: { profile: {} }, file, retentionMonths: 24 }, ctx());
    expect(effects[0]).toEqual({
      type: 'say',
      text: [{ key: 'privacy:export.intro' }, { key: 'privacy:export.explain', params: { months: 24 } }],
    });
    expect(effects[1]).toEqual({
      type: 'file',
      file: { name: file.name, mimeType: 'application/json', base64: Buffer.from(contents).toString('base64') },
      caption: [{ key: 'privacy:export.caption' }],
    });
  });

  it('/delete asks with a button, then for the word; any other answer keeps her data', () => {
    const asked = begun(presentDeletionStep('ask_confirmation', ctx()));
    expect(asked).toMatchObject({
      flow: 'pick',
      args: { question: { key: 'privacy:delete.explain' }, useCase: 'privacy.deleteConfirm', argName: 'answer' },
    });
    expect(asked?.type === 'begin' && asked.args?.options).toEqual([
      { value: 'yes', label: { key: 'privacy:delete.yes' } },
      { value: 'no', label: { key: 'privacy:delete.no' } },
    ]);
    expect(presentDeletionStep('ask_word', ctx())).toEqual([
      {
        type: 'begin',
        flow: 'ask-text',
        args: {
          question: { key: 'privacy:delete.type_word', params: { word: { key: 'privacy:delete.word' } } },
          useCase: 'privacy.delete',
          argName: 'word',
          args: {},
          max: 50,
        },
      },
    ]);
    expect(said(presentDeletionStep('kept', ctx()))).toEqual(['privacy:delete.kept']);
  });

  it('erased: done, what the platform keeps, and the conversation forgotten; a wrong word erases nothing', () => {
    const erased = presentDeletion('erased', ctx());
    expect(said(erased)).toEqual(['privacy:delete.done', 'privacy:delete.telegram_history']);
    expect(erased.at(-1)).toEqual({ type: 'forget' });
    expect(presentDeletion('word_wrong', ctx())).toEqual([
      { type: 'say', text: [{ key: 'privacy:delete.word_wrong' }] },
    ]);
  });

  it('a consent answer, to the notice or to AI: thanks, refused, or use the buttons', () => {
    const consent = { given: true, textVersion: 'v2', at: NOW };
    expect(said(presentConsent({ outcome: 'given', consent }, ctx()))).toEqual(['privacy:consent.thanks']);
    expect(said(presentConsent({ outcome: 'refused', consent }, ctx()))).toEqual(['privacy:consent.refused']);
    expect(said(presentConsent({ outcome: 'unknown_answer' }, ctx()))).toEqual(['common:use_buttons']);
    expect(said(presentAiConsent({ outcome: 'given', consent }, ctx()))).toEqual(['privacy:ai.given']);
    expect(said(presentAiConsent({ outcome: 'refused', consent }, ctx()))).toEqual(['privacy:ai.refused']);
    expect(said(presentAiConsent({ outcome: 'unknown_answer' }, ctx()))).toEqual(['common:use_buttons']);
  });

  it("the audit log: one line per read in the officer's time zone, or that it is empty", () => {
    const entry = { id: 'e1', at: NOW, officerId: 'o1', subjectId: 'pair:p1', what: 'timeline' };
    const effects = presentAudit([{ entry, officerName: 'Outi' }], ctx({ participant: officer }));
    expect(effects).toEqual([
      {
        type: 'say',
        text: [
          { key: 'privacy:audit.title' },
          {
            key: 'privacy:audit.line',
            params: {
              when: { date: NOW.toISOString(), timeZone: 'Asia/Tokyo' },
              officer: 'Outi',
              subject: 'pair:p1',
              what: 'timeline',
            },
          },
        ],
      },
    ]);
    expect(said(presentAudit([], ctx({ participant: officer })))).toEqual(['privacy:audit.empty']);
  });

  it('/privacy: her AI consent, then the AI question again, or that AI is off', () => {
    const on = presentPrivacy({ aiConsent: 'on', aiAvailable: true }, ctx());
    expect(said(on)).toEqual(['privacy:summary', 'privacy:ai.state_on']);
    expect(on.at(-1)).toEqual({ type: 'begin', flow: 'ai-consent' });
    const off = presentPrivacy({ aiConsent: 'unset', aiAvailable: false }, ctx());
    expect(off).toEqual([
      {
        type: 'say',
        text: [{ key: 'privacy:summary' }, { key: 'privacy:ai.state_unset' }, { key: 'privacy:ai.unavailable' }],
      },
    ]);
  });
});
