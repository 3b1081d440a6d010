import { describe, expect, it } from 'vitest';
import { markdownBlocks, markdownPdf } from '../../src/services/records/markdown-pdf.ts';
import { pdfText } from '../support/pdf-text.ts';

describe("a pair's record as a PDF", () => {
  it('headings and items keep their structure; Markdown marks and escapes are gone', () => {
    const blocks = markdownBlocks(['# Pair: Amira', '', '## Meetings', '- Practise \\*job\\* interviews'], false);
    expect(blocks).toEqual([
      { text: 'Pair: Amira', style: 'title', rtl: false },
      { text: 'Meetings', style: 'heading', rtl: false, gap: 6 },
      { text: '• Practise *job* interviews', style: 'body', rtl: false },
    ]);
  });

  it('in Arabic the record reads right to left and its text extracts back', async () => {
    // Words without the lam-alef ligature, which pdftotext reads back with its two letters swapped.
    const lines = ['# ثنائي فاطمة و Liisa', '', '## المواعيد', '- عقد في 12.5.2027 – المكتبة'];
    const text = await pdfText(await markdownPdf(lines, 'ar'));
    expect(text).toContain('ثنائي فاطمة و Liisa');
    expect(text).toContain('المواعيد');
    expect(text).toContain('المكتبة');
    expect(text).not.toContain('##');
  });
});
