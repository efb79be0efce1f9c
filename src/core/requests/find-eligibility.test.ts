import { describe, expect, it } from 'vitest';
import { findEligibility } from './find-eligibility.js';
import { alice, earlier, eligibility, exchangeAdmin, helpdesk, later, t0 } from './test-kit.js';

const find = (schedules: ReturnType<typeof eligibility>[], end: Date | null = later('PT1H'), start = t0) =>
  findEligibility({
    schedules,
    principalId: alice.id,
    targetKind: 'directoryRole',
    roleDefinitionId: exchangeAdmin.id,
    scopeId: '/',
    window: { start, end },
    now: t0,
  });

describe('findEligibility', () => {
  it('given her own and a group eligibility both covering, then her own is used', () => {
    const own = eligibility({ end: later('P1D') });
    const group = eligibility({ principalId: helpdesk.id, principalType: 'group' });
    expect(find([group, own])).toEqual({ kind: 'covered', eligibility: own });
  });

  it('given her own ends too soon but a group one covers, then the group one is used', () => {
    const own = eligibility({ end: later('PT30M') });
    const group = eligibility({ principalId: helpdesk.id, principalType: 'group' });
    expect(find([own, group])).toEqual({ kind: 'covered', eligibility: group });
  });

  it('given two that end too soon, then the longest is reported as outlasted', () => {
    const a = eligibility({ end: later('PT10M') });
    const b = eligibility({ principalId: helpdesk.id, principalType: 'group', end: later('PT40M') });
    expect(find([a, b])).toEqual({ kind: 'outlasted', eligibility: b });
  });

  it("given another user's eligibility, then it is not used", () => {
    expect(find([eligibility({ principalId: 'someone', principalType: 'user' })])).toEqual({
      kind: 'none',
      nextStart: null,
    });
  });

  it('given a future eligibility, then none, with when it starts', () => {
    expect(find([eligibility({ start: later('P2D'), status: 'Scheduled' })])).toEqual({
      kind: 'none',
      nextStart: later('P2D'),
    });
  });

  it('given an eligibility that ended (still marked Provisioned), then none', () => {
    expect(find([eligibility({ start: earlier('P9D'), end: earlier('PT1M') })]).kind).toBe('none');
  });
});
