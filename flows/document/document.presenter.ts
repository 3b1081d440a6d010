import type { Effect } from '../../src/core/flow.ts';
import { literal, t } from '../../src/core/flow.ts';
import { askToPick, handoff, type Presenter } from '../../src/core/operation.ts';
import { documentPair } from '../../src/core/operations.ts';
import { pairRecordMarkdown } from './document.markdown.ts';

const say = (key: string): Effect => ({ type: 'say', text: [t(key)] });

/** The record as a Markdown file in her language; a partner of several pairs picks one first. */
export const presentDocument: Presenter<typeof documentPair> = (r) => {
  switch (r.outcome) {
    case 'usage':
      return [say('documents:usage')];
    case 'no_pair':
      return [say('documents:no_pair')];
    case 'not_found':
      return [say('documents:not_found')];
    case 'not_allowed':
      return [say('common:not_allowed')];
    case 'choose':
      return [
        askToPick(
          t('documents:choose'),
          r.pairs.map((p) => ({ value: p.id, label: literal(p.label) })),
          handoff(documentPair, 'pairId', { withPrivateNotes: false }),
        ),
      ];
    case 'record': {
      const suffix = r.record.withPrivateNotes ? '-private' : '';
      return [
        {
          type: 'textFile',
          name: `pair-${r.record.pairId}${suffix}.md`,
          mimeType: 'text/markdown; charset=utf-8',
          lines: pairRecordMarkdown(r.record),
          pdf: `pair-${r.record.pairId}${suffix}.pdf`,
          caption: [t(r.record.withPrivateNotes ? 'documents:caption_private' : 'documents:caption')],
        },
      ];
    }
  }
};
