/** Folds case, width and spacing so a typed "  helsinki " matches the button "Helsinki". */
export const normalise = (s: string): string => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();

/** Arabic-Indic and Persian digits, as Arabic and Persian keyboards type them, read as 0-9. */
export const westernDigits = (s: string): string =>
  s.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) & 0xf));

/** A typed "4", "٤" or "۴" (a button's number in the console); undefined for anything else. */
export function typedNumber(s: string): number | undefined {
  const digits = westernDigits(s.normalize('NFKC').trim());
  return /^\d{1,3}$/.test(digits) ? Number(digits) : undefined;
}

/** The text as a literal part of a regular expression. */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
