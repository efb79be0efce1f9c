import { durationMs, parseDuration } from '../../../src/contracts/browser';

const instant = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An instant for people: "5 Jan 2026, 09:00" in the browser's time zone and language. */
export const formatInstant = (iso: string): string => instant.format(new Date(iso));

/** Time left for a countdown: "1h 59m 58s", "3d 4h", "45s"; "0s" once it has passed. */
export function formatTimeLeft(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** Minutes in an ISO 8601 duration (`PT8H` → 480), or null when it is not one. */
export function durationMinutes(iso: string): number | null {
  const d = parseDuration(iso);
  return d ? Math.floor(durationMs(d) / 60_000) : null;
}

/** Minutes as an ISO 8601 duration: 90 → `PT1H30M`, 480 → `PT8H`. */
export function isoFromMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h ? `${h}H` : ''}${m || !h ? `${m}M` : ''}`;
}

/** Minutes for people: 480 → "8 hours", 90 → "1 hour 30 minutes". */
export function describeMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const part = (n: number, unit: string) => (n ? `${n} ${unit}${n === 1 ? '' : 's'}` : '');
  return [part(h, 'hour'), part(m, 'minute')].filter(Boolean).join(' ') || '0 minutes';
}
