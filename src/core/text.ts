/** Folds case, width and spacing so a typed "  helsinki " matches the button "Helsinki". */
export const normalise = (s: string): string => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
