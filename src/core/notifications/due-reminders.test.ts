import { describe, expect, it } from 'vitest';
import type { Schedule } from '../model/schedule.js';
import { dueReminders } from './due-reminders.js';

const day = 86_400_000;
const end = new Date('2026-02-01T00:00:00Z');
const schedule = (overrides: Partial<Schedule> = {}): Schedule => ({
  id: 's1',
  kind: 'eligibility',
  principalId: 'u1',
  principalType: 'user',
  targetKind: 'directoryRole',
  roleDefinitionId: 'r',
  scopeId: '/',
  assignmentType: null,
  start: new Date(end.getTime() - 90 * day),
  end,
  status: 'Provisioned',
  createdUsing: 'q',
  activatedUsing: null,
  createdAt: new Date(end.getTime() - 90 * day),
  modifiedAt: new Date(end.getTime() - 90 * day),
  ...overrides,
});
const at = (msBeforeEnd: number) => new Date(end.getTime() - msBeforeEnd);
const due = (s: Schedule, now: Date) => dueReminders([s], now).map((r) => r.remaining);

describe('dueReminders', () => {
  it('is due 14 days before the end, then 1 day before, and never at or after it', () => {
    expect(due(schedule(), at(14 * day + 1))).toEqual([]);
    expect(due(schedule(), at(14 * day))).toEqual(['P14D']);
    expect(due(schedule(), at(day + 1))).toEqual(['P14D']);
    expect(due(schedule(), at(day))).toEqual(['P1D']);
    expect(due(schedule(), at(1))).toEqual(['P1D']);
    expect(due(schedule(), at(0))).toEqual([]);
  });

  it('covers active assignments but not activations, permanent or ended schedules', () => {
    expect(due(schedule({ kind: 'assignment', assignmentType: 'Assigned' }), at(day))).toEqual(['P1D']);
    expect(due(schedule({ kind: 'assignment', assignmentType: 'Activated' }), at(day))).toEqual([]);
    expect(due(schedule({ end: null }), at(day))).toEqual([]);
    expect(due(schedule({ status: 'Revoked' }), at(day))).toEqual([]);
  });

  it('skips a lead whose mark came before the assignment existed', () => {
    const tenDays = schedule({ start: at(10 * day) });
    expect(due(tenDays, at(10 * day))).toEqual([]);
    expect(due(tenDays, at(day))).toEqual(['P1D']);
  });
});
