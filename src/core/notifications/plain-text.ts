/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** ESC [ … letter: terminal colour and cursor sequences. */
const ansiSequence = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

/**
 * Text a person typed (a justification, a display name) made safe to show in a message: control characters
 * (ANSI escapes, NUL, carriage returns) removed, at most `max` characters. `multiline` keeps line feeds.
 */
export function cleanText(text: string, options: { max?: number; multiline?: boolean } = {}): string {
  const max = options.max ?? 500;
  const withoutAnsi = text.replace(ansiSequence, ' ');
  let kept = '';
  for (const ch of withoutAnsi) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\n') kept += options.multiline ? '\n' : ' ';
    else if (ch === '\t') kept += ' ';
    else if (code >= 0x20 && code !== 0x7f) kept += ch;
  }
  return kept.length > max ? `${kept.slice(0, max - 1)}…` : kept;
}

/** An instant as people read it in a message: `2026-01-05 09:00 UTC`. */
export function formatInstant(at: Date | string): string {
  const iso = (typeof at === 'string' ? new Date(at) : at).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
