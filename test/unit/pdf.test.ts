import { describe, expect, it } from 'vitest';
import { renderPdf, visualRuns } from '../../src/services/records/pdf.ts';
import { pdfPageImage, pdfText } from '../support/pdf-text.ts';

describe('bidi runs', () => {
  it('an Arabic line with a Latin name and dates: runs in visual order, right to left', () => {
    const runs = visualRuns('شاركت في Äänekoski من 1.3.2026.', true);
    expect(runs).toEqual([
      { rtl: true, text: '.' },
      { rtl: false, text: '1.3.2026' },
      { rtl: true, text: ' من ' },
      { rtl: false, text: 'Äänekoski' },
      { rtl: true, text: 'شاركت في ' },
    ]);
  });

  it('a Latin line is one run; isolate marks are dropped after they set the levels', () => {
    expect(visualRuns('Äänekoski, Ольга', false)).toEqual([{ rtl: false, text: 'Äänekoski, Ольга' }]);
    expect(visualRuns('في \u2068Maija Mäkinen\u2069', true)).toEqual([
      { rtl: false, text: 'Maija Mäkinen' },
      { rtl: true, text: 'في ' },
    ]);
  });

  it('brackets in a right-to-left run are mirrored', () => {
    expect(visualRuns('(مرحبا)', true)).toEqual([{ rtl: true, text: ')مرحبا(' }]);
  });
});

describe('PDF rendering', () => {
  it('Finnish, Russian and shaped Arabic text extract back from the rendered file', async () => {
    const pdf = await renderPdf({
      title: 'Todistus',
      framed: true,
      blocks: [
        { text: 'Osallistumistodistus', style: 'title', align: 'center' },
        { text: 'Äänekoski: Ольга Иванова ja Maija Mäkinen', align: 'center' },
        { text: 'شهادة مشاركة', style: 'title', rtl: true, align: 'center', gap: 20 },
        { text: 'شاركت فاطمة الزهراء في برنامج Womento في Äänekoski.', rtl: true },
      ],
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('Osallistumistodistus');
    expect(text).toContain('Äänekoski: Ольга Иванова ja Maija Mäkinen');
    // Shaped (joined) letters map back to the letters typed, in reading order.
    expect(text).toContain('شهادة مشاركة');
    expect(text).toContain('شاركت فاطمة الزهراء في برنامج');
    const png = await pdfPageImage(pdf);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('a long paragraph wraps onto more lines and pages instead of running off the page', async () => {
    const long = Array.from({ length: 3000 }, (_, i) => `sana${i}`).join(' ');
    const text = await pdfText(await renderPdf({ title: 'x', blocks: [{ text: long }] }));
    expect(text).toContain('sana0');
    expect(text).toContain('sana2999');
    // pdftotext ends every page with a form feed.
    expect(text.split('\f').length - 1).toBeGreaterThan(1);
  });
});
