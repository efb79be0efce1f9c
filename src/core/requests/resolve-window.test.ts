import { describe, expect, it } from 'vitest';
import { ElevateError } from '../errors.js';
import { resolveWindow } from './resolve-window.js';
import { earlier, forDuration, later, notSpecified, permanent, t0, until } from './test-kit.js';

const noExp = { kind: 'noExpiration' } as const;

describe('resolveWindow', () => {
  it.each([
    ['no scheduleInfo, admin', null, noExp, { start: t0, end: null, defaulted: true }],
    [
      'a past start',
      forDuration('PT2H', earlier('P1D')),
      noExp,
      { start: t0, end: later('PT2H'), defaulted: false },
    ],
    [
      'a future start',
      forDuration('PT2H', later('PT1H')),
      noExp,
      { start: later('PT1H'), end: later('PT3H'), defaulted: false },
    ],
    ['a fixed end', until(later('P7D')), noExp, { start: t0, end: later('P7D'), defaulted: false }],
    ['no expiration', permanent(), noExp, { start: t0, end: null, defaulted: false }],
    [
      'not specified with a default duration',
      notSpecified(),
      { kind: 'duration', duration: 'PT8H' } as const,
      { start: t0, end: later('PT8H'), defaulted: true },
    ],
    [
      'a month (calendar step)',
      forDuration('P1M'),
      noExp,
      { start: t0, end: new Date('2026-04-02T09:00:00.000Z'), defaulted: false },
    ],
  ])('given %s, then the window is resolved', (_, scheduleInfo, whenNotSpecified, expected) => {
    expect(resolveWindow({ scheduleInfo, now: t0, whenNotSpecified })).toEqual(expected);
  });

  it('given an update that keeps its start, then the past start stays', () => {
    const w = resolveWindow({
      scheduleInfo: until(later('P1D')),
      now: t0,
      whenNotSpecified: noExp,
      keepStart: earlier('P3D'),
    });
    expect(w).toEqual({ start: earlier('P3D'), end: later('P1D'), defaulted: false });
  });

  it.each([
    [
      'an unreadable duration',
      forDuration('eight hours'),
      "scheduleInfo.expiration.duration 'eight hours' is not an ISO 8601 duration",
    ],
    ['an end at the start', until(t0), 'must be after the start'],
    ['a refused missing expiration', notSpecified(), 'adminExtend needs scheduleInfo.expiration'],
  ])('given %s, then request.invalid says what is wrong', (_, scheduleInfo, text) => {
    const w = resolveWindow({
      scheduleInfo,
      now: t0,
      whenNotSpecified: { kind: 'refuse', action: 'adminExtend' },
    });
    expect(w).toBeInstanceOf(ElevateError);
    expect((w as ElevateError).code).toBe('request.invalid');
    expect((w as ElevateError).message).toContain(text);
  });

  it('given a broken default duration in the settings, then an internal error (never a silent permanent grant)', () => {
    const w = resolveWindow({
      scheduleInfo: null,
      now: t0,
      whenNotSpecified: { kind: 'duration', duration: 'eight' },
    });
    expect((w as ElevateError).code).toBe('internal');
  });
});
