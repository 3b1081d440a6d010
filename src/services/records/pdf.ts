import { createRequire } from 'node:module';
import type { Bidi } from 'bidi-js';
import PDFDocument from 'pdfkit';

/**
 * Plain PDF documents (a certificate, a pair's record) in any of our languages. One embedded font,
 * DejaVu Sans, covers Latin, Cyrillic and Arabic; fontkit (inside pdfkit) shapes Arabic and puts a
 * right-to-left run's glyphs in visual order. What fontkit does not do is the Unicode bidi algorithm
 * across runs ("شهادة Äänekoski 2026"), so each line is split into runs of one direction here and
 * the runs are drawn in visual order.
 */
const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
// A CommonJS module whose types declare an ES default export: required, so both agree.
const bidi = (require('bidi-js') as () => Bidi)();
const BIDI_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export interface PdfBlock {
  text: string;
  style?: 'title' | 'heading' | 'body' | 'small';
  /** Right to left (Arabic): aligned right, and the bidi paragraph direction. */
  rtl?: boolean;
  align?: 'start' | 'center';
  /** Space before, in points. */
  gap?: number;
}

export interface PdfContent {
  title: string;
  blocks: PdfBlock[];
  /** A frame around the page (a certificate). */
  framed?: boolean;
}

const SIZES = { title: 24, heading: 15, body: 11.5, small: 9 } as const;
const MARGIN = 64;

/** Runs of one embedding level in logical order, then reordered visually (rule L2 of the bidi algorithm). */
export function visualRuns(line: string, rtl: boolean): { text: string; rtl: boolean }[] {
  if (!line) return [];
  const { levels } = bidi.getEmbeddingLevels(line, rtl ? 'rtl' : 'ltr');
  const runs: { text: string; level: number }[] = [];
  for (let i = 0; i < line.length; i++) {
    const level = levels[i]!;
    const last = runs.at(-1);
    if (last && last.level === level) last.text += line[i];
    else runs.push({ text: line[i]!, level });
  }
  const max = Math.max(...runs.map((r) => r.level));
  const minOdd = Math.min(...runs.map((r) => (r.level % 2 ? r.level : r.level + 1)));
  for (let level = max; level >= minOdd; level--) {
    for (let i = 0; i < runs.length; i++) {
      if (runs[i]!.level < level) continue;
      let j = i;
      while (j + 1 < runs.length && runs[j + 1]!.level >= level) j++;
      runs.splice(i, j - i + 1, ...runs.slice(i, j + 1).reverse());
      i = j;
    }
  }
  // Marks (isolates from i18n) have done their work in the levels; the font has no glyph for them.
  // A mirrored character (brackets) in a right-to-left run shows its mirror image.
  return runs
    .map((r) => ({ level: r.level, text: r.text.replace(BIDI_MARKS, '') }))
    .filter((r) => r.text)
    .map((r) => ({
      rtl: r.level % 2 === 1,
      text: r.level % 2 ? [...r.text].map((c) => bidi.getMirroredCharacter(c) ?? c).join('') : r.text,
    }));
}

/** Wraps a paragraph by words to the width, in logical order. */
function wrap(doc: PDFKit.PDFDocument, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (line && doc.widthOfString(next) > width) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    lines.push(line);
  }
  return lines;
}

/** Renders the content as a PDF with the font embedded (subset), A4 portrait. */
export function renderPdf(content: PdfContent): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: content.title }, autoFirstPage: true });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const width = doc.page.width - 2 * MARGIN;
  if (content.framed)
    doc
      .lineWidth(2)
      .rect(MARGIN / 2, MARGIN / 2, doc.page.width - MARGIN, doc.page.height - MARGIN)
      .stroke('#5b3f8c');
  let y = MARGIN;
  for (const block of content.blocks) {
    const style = block.style ?? 'body';
    doc
      .font(style === 'title' || style === 'heading' ? 'bold' : 'body')
      .fontSize(SIZES[style])
      .fillColor('#222222');
    const height = doc.currentLineHeight(true) * 1.25;
    y += block.gap ?? 0;
    for (const line of wrap(doc, block.text, width)) {
      if (y + height > doc.page.height - MARGIN) {
        doc.addPage();
        y = MARGIN;
      }
      const runs = visualRuns(line, Boolean(block.rtl));
      const widths = runs.map((r) => doc.widthOfString(r.text, { features: [] }));
      const total = widths.reduce((a, b) => a + b, 0);
      let x = block.align === 'center' ? MARGIN + (width - total) / 2 : block.rtl ? MARGIN + width - total : MARGIN;
      runs.forEach((run, i) => {
        // With features given, pdfkit shapes the run as a whole; without, word by word in logical order.
        doc.text(run.text, x, y, { lineBreak: false, features: [] });
        x += widths[i]!;
      });
      y += height;
    }
  }
  doc.end();
  return done;
}
