import type { Locale } from '../../core/model.ts';
import { type PdfBlock, renderPdf } from './pdf.ts';

/** The Markdown the bot writes (headings, items, escapes) as PDF blocks: the marks go, the structure stays. */
export function markdownBlocks(lines: readonly string[], rtl: boolean): PdfBlock[] {
  const blocks: PdfBlock[] = [];
  let gap = 0;
  for (const raw of lines) {
    if (!raw.trim()) {
      gap = 6;
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(raw);
    const text = plainText(heading ? heading[2]! : raw.replace(/^- /, '• '));
    const style = heading ? (heading[1] === '#' ? 'title' : 'heading') : 'body';
    blocks.push({ text, style, rtl, ...(gap ? { gap } : {}) });
    gap = 0;
  }
  return blocks;
}

/** Markdown escapes (`\\*`) and emphasis marks read as plain text. */
const plainText = (s: string) => s.replace(/\*\*(.+?)\*\*/g, '$1').replace(/\\([\\`*_[\]<>#|~])/g, '$1');

/** A pair's record (rendered Markdown lines) as a PDF; Arabic right to left. */
export function markdownPdf(lines: readonly string[], locale: Locale): Promise<Buffer> {
  const blocks = markdownBlocks(lines, locale === 'ar');
  const title = blocks.find((b) => b.style === 'title')?.text ?? 'Womento';
  return renderPdf({ title, blocks });
}
