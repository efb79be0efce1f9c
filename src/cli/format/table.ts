/** Rows as aligned columns under upper-case headings; the last column is not padded. */
export function formatTable(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headings.map((h) => h.toUpperCase())), ...rows.map(line)].join('\n');
}

/** Text cut to `max` characters with an ellipsis, on one line. */
export function clip(text: string | null | undefined, max: number): string {
  const one = (text ?? '').replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Sections of `Label   value` pairs under their headings, the values of every section aligned. */
export function formatSections(
  sections: readonly (readonly [string, readonly (readonly [string, string])[]])[],
): string {
  const width = Math.max(...sections.flatMap(([, pairs]) => pairs.map(([k]) => k.length)));
  return sections
    .flatMap(([heading, pairs]) => [heading, ...pairs.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)])
    .join('\n');
}
