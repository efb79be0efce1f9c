import { describe, expect, it } from 'vitest';
import { bulkBody, principalLines, scheduleInfoFor, toLocalInput, windowError } from './admin-requests';

const role = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const group = '0b6c7c8e-9a5f-4a57-9b0e-6f1f3e3b2c1d';

describe('scheduleInfoFor', () => {
  it('writes each window as Graph takes it: noExpiration, afterDuration in days, afterDateTime', () => {
    expect(scheduleInfoFor('', { kind: 'permanent' })).toEqual({ expiration: { type: 'noExpiration' } });
    expect(scheduleInfoFor('', { kind: 'days', days: 90 })).toEqual({
      expiration: { type: 'afterDuration', duration: 'P90D' },
    });
    const end = toLocalInput('2026-03-01T10:00:00Z');
    const start = toLocalInput('2026-02-01T10:00:00Z');
    expect(scheduleInfoFor(start, { kind: 'until', end })).toEqual({
      startDateTime: '2026-02-01T10:00:00.000Z',
      expiration: { type: 'afterDateTime', endDateTime: '2026-03-01T10:00:00.000Z' },
    });
  });
});

describe('windowError', () => {
  it('says what is wrong with a window, and nothing when it can be sent', () => {
    const start = toLocalInput('2026-02-01T10:00:00Z');
    expect(windowError(start, { kind: 'until', end: '' })).toBe('Choose when it ends.');
    expect(windowError(start, { kind: 'until', end: start })).toBe('The end must be after the start.');
    expect(windowError('', { kind: 'days', days: 0 })).toBe('Give a whole number of days, 1 to 3650.');
    expect(windowError('', { kind: 'days', days: 1.5 })).toBe('Give a whole number of days, 1 to 3650.');
    expect(windowError(start, { kind: 'until', end: toLocalInput('2026-02-02T10:00:00Z') })).toBeNull();
    expect(windowError('', { kind: 'permanent' })).toBeNull();
  });
});

describe('principalLines', () => {
  it('takes one principal per line, or separated by commas, semicolons or spaces; blanks dropped', () => {
    expect(principalLines(' adam@contoso.com\n\nbea@contoso.com, cy@contoso.com;\td@contoso.com \n')).toEqual(
      ['adam@contoso.com', 'bea@contoso.com', 'cy@contoso.com', 'd@contoso.com'],
    );
    expect(principalLines('  \n ')).toEqual([]);
  });
});

describe('bulkBody', () => {
  const details = { kind: 'eligibility' as const, start: '', justification: '  Rota  ' };

  it('names a directory role and its scope, or a group and its access, with the window as endDateTime or duration', () => {
    expect(
      bulkBody(
        { targetKind: 'directoryRole', roleDefinitionId: role, scope: '/' },
        { ...details, window: { kind: 'days', days: 30 } },
        ['a@b.c'],
      ),
    ).toEqual({
      kind: 'eligibility',
      targetKind: 'directoryRole',
      roleDefinitionId: role,
      directoryScopeId: '/',
      principals: ['a@b.c'],
      justification: 'Rota',
      duration: 'P30D',
    });
    expect(
      bulkBody(
        { targetKind: 'group', groupId: group, accessId: 'owner' },
        { ...details, justification: '', window: { kind: 'permanent' } },
        ['a@b.c', 'd@e.f'],
      ),
    ).toEqual({
      kind: 'eligibility',
      targetKind: 'group',
      groupId: group,
      accessId: 'owner',
      principals: ['a@b.c', 'd@e.f'],
    });
  });
});
