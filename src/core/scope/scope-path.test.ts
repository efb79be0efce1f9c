import { describe, expect, it } from 'vitest';
import { scopeAncestors, scopeCovers } from './scope-path.js';

describe('scopeCovers: an assignment at a scope applies beneath it, by whole path segment', () => {
  const A = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333';
  const AB = '/subscriptions/0b1f6471-1bf0-4dda-aec3-1111222233334444';
  it.each([
    ['/', '/', true],
    ['/', A, true],
    [A, A, true],
    [A, `${A}/resourceGroups/rg-web`, true],
    [A, `${A}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm1`, true],
    [A.toUpperCase(), `${A}/resourcegroups/RG-WEB`, true],
    [`${A}/`, `${A}/resourceGroups/rg`, true],
    // a prefix of characters is not a prefix of segments
    [A, AB, false],
    ['/subscriptions/A', '/subscriptions/AB', false],
    ['/subscriptions/A', '/subscriptions/AB/resourceGroups/rg', false],
    [`${A}/resourceGroups/rg`, `${A}/resourceGroups/rg-web`, false],
    [`${A}/resourceGroups/rg-web`, A, false],
    [`${A}/resourceGroups/rg-web`, `${A}/resourceGroups/rg-data`, false],
    ['/administrativeUnits/x', '/administrativeUnits/xy', false],
  ])('%s covers %s: %s', (parent, child, expected) => {
    expect(scopeCovers(parent, child)).toBe(expected);
  });

  it('lists a scope and every scope above it, nearest first', () => {
    expect(scopeAncestors('/subscriptions/s/resourceGroups/rg')).toEqual([
      '/subscriptions/s/resourceGroups/rg',
      '/subscriptions/s/resourceGroups',
      '/subscriptions/s',
      '/subscriptions',
      '/',
    ]);
  });
});
