import { addDuration, parseDuration } from '../../contracts/durations.js';
import { usageError } from '../cli-error.js';

export { describeDuration } from '../../contracts/durations.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-01-05 11:00` in the local time zone: readable, sortable, and the same width in every column. */
export function formatInstant(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `1h 52m`, `3d 4h`, `45s`: the two largest units of a span; a minute or more is rounded to the minute. */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  const total = abs >= 60_000 ? Math.round(abs / 60_000) * 60 : Math.floor(abs / 1000);
  const units: [number, string][] = [
    [Math.floor(total / 86_400), 'd'],
    [Math.floor((total % 86_400) / 3600), 'h'],
    [Math.floor((total % 3600) / 60), 'm'],
    [total % 60, 's'],
  ];
  const first = units.findIndex(([n]) => n > 0);
  if (first === -1) return '0s';
  return units
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join(' ');
}

/** `in 1h 52m`, `5m ago`, or `now`. */
export function formatRelative(at: Date, now: Date): string {
  const ms = at.getTime() - now.getTime();
  if (Math.abs(ms) < 1000) return 'now';
  return ms > 0 ? `in ${formatSpan(ms)}` : `${formatSpan(ms)} ago`;
}

/** `2026-01-05 11:00 (in 1h 52m)`. */
export const formatWhen = (at: Date, now: Date): string =>
  `${formatInstant(at)} (${formatRelative(at, now)})`;

/** An ISO 8601 duration (`PT2H`, `P90D`), upper-cased; a usage error naming the option otherwise. */
export function parseIsoDuration(text: string, option: string): string {
  const value = text.trim().toUpperCase();
  if (parseDuration(value) === null) {
    throw usageError(`${option} must be an ISO 8601 duration such as PT2H, PT30M or P90D; got '${text}'`);
  }
  return value;
}

/** The end of a window that starts at `start` and lasts `duration` (ISO 8601), or null when unreadable. */
export function endAfter(start: Date, duration: string): Date | null {
  const d = parseDuration(duration);
  return d ? addDuration(start, d) : null;
}

/** `24h`, `7d`, `30m` before now: the shorthand `--since` and `--until` accept besides ISO dates. */
const agoPattern = /^(\d+)([mhd])$/i;
const unitMs: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO 8601 date or date-time (or, with `now`, `24h`/`7d` ago); a usage error naming the option otherwise. */
export function parseInstant(text: string, option: string, now?: Date): Date {
  const ago = now ? agoPattern.exec(text.trim()) : null;
  if (ago && now) return new Date(now.getTime() - Number(ago[1]) * unitMs[ago[2]!.toLowerCase()]!);
  const isoLike = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(
    text.trim(),
  );
  const at = new Date(text.trim());
  if (!isoLike || Number.isNaN(at.getTime())) {
    const shorthand = now ? ', or 24h / 7d for that long ago' : '';
    throw usageError(
      `${option} must be an ISO 8601 date or time such as 2026-01-05T09:00:00Z${shorthand}; got '${text}'`,
    );
  }
  return at;
}
