import { z } from 'zod';

/** Control characters never belong in a profile; they are removed before checking. */
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000B-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/g, '').trim().replace(/\s+/g, ' ');

const plainText = (max: number) =>
  z
    .string()
    .transform(clean)
    .pipe(z.string().min(2).max(max).regex(/\p{L}/u));

export const firstName = z
  .string()
  .transform(clean)
  .pipe(z.string().min(1).max(50).regex(/^[\p{L}\p{M}' .-]+$/u));

export const city = plainText(60);
export const profession = plainText(100);
export const organisation = plainText(100);
export const spokenLanguage = plainText(40);

/** Arabic-Indic and Persian digits, as Arabic and Persian keyboards type them, read as 0-9. */
const westernDigits = (s: string) => s.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) & 0xf));

/** Accepts "5", "5 years", "5,5" (rounded down), "٥"; rejects what has no number in 0..60. */
export const yearsExperience = z
  .string()
  .transform((s) => {
    const match = westernDigits(clean(s)).match(/^(\d{1,2})(?:[.,]\d+)?(?:\s*\p{L}+)?$/u);
    return match ? Number(match[1]) : Number.NaN;
  })
  .pipe(z.number().int().min(0).max(60));
