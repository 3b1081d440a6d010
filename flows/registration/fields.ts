import { z } from 'zod';
import { westernDigits } from '../../src/core/text.ts';

/** Control characters never belong in a profile; they are removed before checking. */
const clean = (s: string) =>
  s
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control and direction characters are what is removed
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/g, '')
    .trim()
    .replace(/\s+/g, ' ');

const plainText = (max: number) => z.string().transform(clean).pipe(z.string().min(2).max(max).regex(/\p{L}/u));

export const firstName = z
  .string()
  .transform(clean)
  .pipe(
    z
      .string()
      .min(1)
      .max(50)
      .regex(/^[\p{L}\p{M}' .-]+$/u),
  );

export const city = plainText(60);
export const profession = plainText(100);
export const organisation = plainText(100);
export const spokenLanguage = plainText(40);

/** Accepts "5", "5 years", "7,5" and "7.5" (half a year counts), "٥", "٧٫٥"; rejects no number in 0..60. */
export const yearsExperience = z
  .string()
  .transform((s) => {
    // U+066B is the Arabic decimal separator.
    const match = westernDigits(clean(s)).match(/^(\d{1,2})(?:[.,\u066B](\d+))?(?:\s*\p{L}+)?$/u);
    if (!match) return Number.NaN;
    // One decimal is plenty for years of experience; more would only look exact.
    return Math.round(Number(`${match[1]}.${match[2] ?? '0'}`) * 10) / 10;
  })
  .pipe(z.number().min(0).max(60));

/** A goal in her own words, when none of the listed ones fits. */
export const ownGoal = plainText(100);
