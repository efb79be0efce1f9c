import { describe, expect, it } from 'vitest';
import type { PimTarget } from '../model/schedule.js';
import { sameTarget, targetCovers, targetKey } from './target.js';

const role = (roleDefinitionId: string, scopeId: string): PimTarget => ({
  targetKind: 'directoryRole',
  roleDefinitionId,
  scopeId,
});
const group = (accessId: string, scopeId: string): PimTarget => ({
  targetKind: 'group',
  roleDefinitionId: accessId,
  scopeId,
});
const resource = (roleDefinitionId: string, scopeId: string): PimTarget => ({
  targetKind: 'resourceRole',
  roleDefinitionId,
  scopeId,
});
const g1 = '6a1b7c2d-0000-4000-8000-000000000001';
const g2 = '6a1b7c2d-0000-4000-8000-000000000002';

describe('targets', () => {
  it('given a directory role at /, then it covers the same role in an administrative unit, not the reverse', () => {
    expect(targetCovers(role('r', '/'), role('r', '/administrativeUnits/a'))).toBe(true);
    expect(targetCovers(role('r', '/administrativeUnits/a'), role('r', '/'))).toBe(false);
    expect(targetCovers(role('r', '/'), role('other', '/'))).toBe(false);
  });

  it('given a group target, then it covers only the same access on the same group', () => {
    expect(targetCovers(group('member', g1), group('member', g1.toUpperCase()))).toBe(true);
    expect(targetCovers(group('member', g1), group('owner', g1))).toBe(false);
    expect(targetCovers(group('member', g1), group('member', g2))).toBe(false);
  });

  it('given a resource role, then it covers only the same role at the same scope (activations stay at the eligibility scope)', () => {
    const sub = '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590';
    expect(targetCovers(resource('owner', sub), resource('owner', sub.toUpperCase()))).toBe(true);
    expect(targetCovers(resource('owner', sub), resource('owner', `${sub}/resourcegroups/rg`))).toBe(false);
    expect(targetCovers(resource('owner', sub), resource('reader', sub))).toBe(false);
    expect(targetCovers(role('owner', '/'), resource('owner', '/'))).toBe(false);
  });

  it('given a role and a group target with the same ids, then they are different targets', () => {
    expect(targetCovers(role('member', g1), group('member', g1))).toBe(false);
    expect(sameTarget(role('member', g1), group('member', g1))).toBe(false);
    expect(targetKey('p', role('member', g1))).not.toBe(targetKey('p', group('member', g1)));
  });

  it('given the same target in another letter case, then it is the same target with the same key', () => {
    expect(sameTarget(role('r', '/administrativeUnits/A'), role('r', '/administrativeUnits/a'))).toBe(true);
    expect(targetKey('p', group('member', g1.toUpperCase()))).toBe(targetKey('p', group('member', g1)));
  });
});
