import { describe, expect, it } from 'vitest';
import { formatRelative, formatSpan, parseInstant, parseIsoDuration } from './time.js';

const now = new Date('2026-01-05T09:00:00Z');
const at = (iso: string) => new Date(iso);

describe('formatSpan and formatRelative', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [6_720_000, '1h 52m'],
    [7_200_000, '2h'],
    [90 * 86_400_000, '90d'],
    [3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000, '3d 4h'],
    [-300_000, '5m'],
    [3_599_000, '1h'], // 59m 59s: a request made a second ago still reads as the hour asked for
    [90_000, '2m'],
  ])('%i ms reads %s', (ms, text) => expect(formatSpan(ms)).toBe(text));

  it('says in …, … ago, or now', () => {
    expect(formatRelative(at('2026-01-05T10:52:00Z'), now)).toBe('in 1h 52m');
    expect(formatRelative(at('2026-01-05T08:55:00Z'), now)).toBe('5m ago');
    expect(formatRelative(at('2026-01-05T09:00:00.400Z'), now)).toBe('now');
  });
});

describe('parseIsoDuration and parseInstant', () => {
  it('accepts ISO 8601 durations in any case and refuses the rest as usage errors', () => {
    expect(parseIsoDuration('pt2h', '--duration')).toBe('PT2H');
    expect(parseIsoDuration('P90D', '--duration')).toBe('P90D');
    for (const bad of ['2h', 'P', 'PT', 'two hours'])
      expect(() => parseIsoDuration(bad, '--duration')).toThrow(/--duration must be an ISO 8601 duration/);
  });

  it('accepts ISO dates and times, and 24h / 7d ago where a now is given', () => {
    expect(parseInstant('2026-01-05T11:00:00Z', '--start').toISOString()).toBe('2026-01-05T11:00:00.000Z');
    expect(parseInstant('2026-01-05T12:00:00+01:00', '--start').toISOString()).toBe(
      '2026-01-05T11:00:00.000Z',
    );
    expect(parseInstant('24h', '--since', now).toISOString()).toBe('2026-01-04T09:00:00.000Z');
    expect(parseInstant('7d', '--since', now).toISOString()).toBe('2025-12-29T09:00:00.000Z');
    expect(() => parseInstant('24h', '--start')).toThrow(/--start must be an ISO 8601 date/);
    expect(() => parseInstant('tomorrow', '--since', now)).toThrow(/or 24h \/ 7d/);
  });
});
