/** A form's stored answer as a list of strings (a multi-select), whatever else is stored there. */
export const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
