/** ISO 8601 durations (PnYnMnWnDTnHnMnS) as Entra uses them: `PT8H`, `P365D`, `PT1H45M`. */
export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const pattern =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses a duration; returns null for anything that is not a non-empty ISO 8601 duration. */
export function parseDuration(text: string): Duration | null {
  if (text.length > 64) return null;
  const m = pattern.exec(text.toUpperCase());
  if (!m || text.toUpperCase() === 'P' || text.toUpperCase().endsWith('T')) return null;
  const n = (i: number): number => (m[i] ? Number(m[i]) : 0);
  const d = { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
  if (!m.slice(1).some((v) => v !== undefined)) return null;
  return d;
}

/** Adds a duration to an instant; years and months are calendar (UTC) steps, the rest exact. */
export function addDuration(start: Date, d: Duration): Date {
  const t = new Date(start.getTime());
  if (d.years || d.months) t.setUTCMonth(t.getUTCMonth() + d.years * 12 + d.months);
  const ms = ((((d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds) * 1000;
  return new Date(t.getTime() + ms);
}

/** Length in milliseconds, taking a year as 365 days and a month as 30 (used only for bounds checks). */
export function durationMs(d: Duration): number {
  const days = d.years * 365 + d.months * 30 + d.weeks * 7 + d.days;
  return (((days * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds) * 1000;
}

/** Formats milliseconds as a compact ISO 8601 duration (`PT2H30M`, `P1DT4H`). */
export function formatDuration(ms: number): string {
  let s = Math.max(0, Math.round(ms / 1000));
  const days = Math.floor(s / 86_400);
  s -= days * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const min = Math.floor(s / 60);
  s -= min * 60;
  const time = `${h ? `${h}H` : ''}${min ? `${min}M` : ''}${s ? `${s}S` : ''}`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

/** Human form for messages: "8 hours", "1 hour 45 minutes", "365 days". */
export function describeDuration(text: string): string {
  const d = parseDuration(text);
  if (!d) return text;
  const parts: string[] = [];
  const add = (n: number, unit: string) => n && parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  add(d.years, 'year');
  add(d.months, 'month');
  add(d.weeks, 'week');
  add(d.days, 'day');
  add(d.hours, 'hour');
  add(d.minutes, 'minute');
  add(d.seconds, 'second');
  return parts.join(' ') || '0 seconds';
}
