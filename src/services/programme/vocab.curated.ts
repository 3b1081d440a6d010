import { LOCALES, type Locale } from '../../core/model.ts';
import { VOCAB_FIELDS, type VocabEntry, type VocabField } from '../../core/vocab.ts';
import type { CuratedVocab } from './vocab.service.ts';

type Tree = Record<string, unknown>;
const tree = (v: unknown): Tree => (v && typeof v === 'object' ? (v as Tree) : {});

/**
 * The curated lists from `locales/<lng>/vocab.json` (`lists.<field>.<Finnish word>` = its meaning in that
 * language, in Finnish a plain explanation) with the examples of `locales/fi/vocab-examples.json`, and the
 * field keywords of every language (`keywords.<field>`, `|`-separated).
 */
export function curatedVocab(resources: Record<string, Record<string, unknown>>): CuratedVocab {
  const examples = tree(tree(resources.fi?.['vocab-examples']).examples);
  const lists: CuratedVocab['lists'] = {};
  const keywords: Partial<Record<VocabField, string[]>> = {};
  for (const lng of LOCALES) {
    const vocab = tree(resources[lng]?.vocab);
    const byField: Partial<Record<VocabField, VocabEntry[]>> = {};
    for (const field of VOCAB_FIELDS) {
      const meanings = tree(tree(vocab.lists)[field]);
      byField[field] = Object.entries(meanings).map(([fi, meaning]) => ({
        fi,
        meaning: String(meaning),
        example: String(tree(examples[field])[fi] ?? ''),
      }));
      const words = String(tree(vocab.keywords)[field] ?? '')
        .split('|')
        .map((w) => w.trim())
        .filter(Boolean);
      keywords[field] = [...(keywords[field] ?? []), ...words];
    }
    lists[lng as Locale] = byField;
  }
  return { lists, keywords };
}
