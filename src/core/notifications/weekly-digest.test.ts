import { describe, expect, it } from 'vitest';
import { digestWeek } from './weekly-digest.js';

describe('digestWeek', () => {
  it('is the week of its Monday, due from 08:00 UTC that Monday, covering the seven days before', () => {
    expect(digestWeek(new Date('2026-01-12T07:59:59Z'))).toMatchObject({
      week: { week: '2026-01-12' },
      due: false,
    });
    const monday = digestWeek(new Date('2026-01-12T08:00:00Z'));
    expect(monday.due).toBe(true);
    expect(monday.week.week).toBe('2026-01-12');
    expect(monday.week.from.toISOString()).toBe('2026-01-05T08:00:00.000Z');
    expect(monday.week.until.toISOString()).toBe('2026-01-19T08:00:00.000Z');
    expect(digestWeek(new Date('2026-01-18T23:59:59Z'))).toMatchObject({
      week: { week: '2026-01-12' },
      due: true,
    });
  });
});
