/** Small helpers shared by the rule validators so every message reads the same way. */

export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A value as it appears after "got" in a message: strings bare, everything else as JSON, cut at 80. */
export function shown(value: unknown): string {
  const text =
    typeof value === 'string' ? (value === '' ? "''" : value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** "A, B or C" */
export function oneOf(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

/** Values that occur more than once, compared by `key`, each reported once in first-seen order. */
export function duplicates<T>(values: readonly T[], key: (v: T) => string): T[] {
  const seen = new Set<string>();
  const reported = new Set<string>();
  const out: T[] = [];
  for (const v of values) {
    const k = key(v);
    if (seen.has(k) && !reported.has(k)) {
      reported.add(k);
      out.push(v);
    }
    seen.add(k);
  }
  return out;
}
