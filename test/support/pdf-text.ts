import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The text poppler's `pdftotext` reads out of a PDF, without the bidi marks it adds around
 * right-to-left runs: what a reader (or a screen reader) gets, not what the code meant to draw.
 */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'womento-pdf-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', join(dir, 'in.pdf'), '-']);
    return stdout.replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The PDF drawn as an image (PNG bytes of page 1), to check that something was drawn at all. */
export async function pdfPageImage(pdf: Uint8Array): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'womento-pdf-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    const { stdout } = await run('pdftoppm', ['-r', '40', '-png', '-singlefile', join(dir, 'in.pdf')], {
      encoding: 'buffer',
      maxBuffer: 20e6,
    });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
