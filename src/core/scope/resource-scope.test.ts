import { describe, expect, it } from 'vitest';
import { ancestorsFromChain, canonicalScopeId, parseScopePath, wouldCreateCycle } from './resource-scope.js';

const sub = '0B1F6471-1BF0-4DDA-AEC3-CB9272F09590';
const subLower = sub.toLowerCase();

describe('parseScopePath: ARM scopes, canonical ids and display paths', () => {
  it('parses each kind of scope, keywords in any case, names kept as written for display', () => {
    expect(parseScopePath('/')).toEqual({ type: 'root', id: '/', path: '/' });
    expect(parseScopePath('')).toEqual({ type: 'root', id: '/', path: '/' });
    expect(parseScopePath('/providers/microsoft.management/MANAGEMENTGROUPS/mg-Contoso')).toEqual({
      type: 'managementGroup',
      id: '/providers/microsoft.management/managementgroups/mg-contoso',
      path: '/providers/Microsoft.Management/managementGroups/mg-Contoso',
      name: 'mg-Contoso',
      pathParentId: null,
    });
    expect(parseScopePath(`/subscriptions/${sub}`)).toMatchObject({
      type: 'subscription',
      id: `/subscriptions/${subLower}`,
      path: `/subscriptions/${subLower}`,
    });
    expect(parseScopePath(`/providers/Microsoft.Subscription/subscriptions/${sub}`)).toMatchObject({
      type: 'subscription',
      id: `/subscriptions/${subLower}`,
    });
    expect(parseScopePath(`/subscriptions/${sub}/resourcegroups/RG-Web`)).toEqual({
      type: 'resourceGroup',
      id: `/subscriptions/${subLower}/resourcegroups/rg-web`,
      path: `/subscriptions/${subLower}/resourceGroups/RG-Web`,
      name: 'RG-Web',
      pathParentId: `/subscriptions/${subLower}`,
    });
    expect(
      parseScopePath(
        `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Sql/servers/s1/databases/db1`,
      ),
    ).toEqual({
      type: 'resource',
      id: `/subscriptions/${subLower}/resourcegroups/rg/providers/microsoft.sql/servers/s1/databases/db1`,
      path: `/subscriptions/${subLower}/resourceGroups/rg/providers/Microsoft.Sql/servers/s1/databases/db1`,
      name: 'db1',
      resourceType: 'Microsoft.Sql/servers/databases',
      pathParentId: `/subscriptions/${subLower}/resourcegroups/rg/providers/microsoft.sql/servers/s1`,
    });
  });

  it.each([
    ['/subscriptions/not-a-guid', 'GUID'],
    ['/subscriptions', 'not a scope'],
    ['/tenants/x', 'not a scope'],
    ['/providers/Microsoft.Compute/virtualMachines/x', 'management group'],
    [`/subscriptions/${sub}/resourceGroups`, 'resourceGroups'],
    [`/subscriptions/${sub}/resourceGroups/rg.`, 'not ending'],
    [`/subscriptions/${sub}/resourceGroups/${'r'.repeat(91)}`, 'at most 90'],
    [`/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines`, 'resource path'],
    [`/subscriptions/${sub}/resourceGroups/rg/providers/compute/vms/x`, 'namespace'],
    [`/subscriptions/${sub}/resourceGroups/rg/things/x`, 'resource path'],
    ['/providers/Microsoft.Management/managementGroups/bad name', 'management group id'],
  ])('refuses %s (%s)', (path, why) => {
    const parsed = parseScopePath(path);
    expect(parsed).toHaveProperty('error');
    expect((parsed as { error: string }).error).toContain(why);
  });

  it('canonical ids compare by segment, without letter case', () => {
    expect(canonicalScopeId('/Subscriptions/AB//resourceGroups/X/')).toBe(
      '/subscriptions/ab/resourcegroups/x',
    );
  });
});

describe('the tree: ancestors and cycles', () => {
  it('ends every chain with the root scope', () => {
    expect(ancestorsFromChain([{ id: '/subscriptions/a' }, { id: '/providers/m/g/x' }])).toEqual([
      '/subscriptions/a',
      '/providers/m/g/x',
      '/',
    ]);
    expect(ancestorsFromChain([{ id: '/' }])).toEqual(['/']);
  });

  it('refuses a parent beneath the node itself', () => {
    expect(wouldCreateCycle('mg-a', ['mg-c', 'mg-b', 'mg-a', 'root'])).toBe(true);
    expect(wouldCreateCycle('mg-a', ['mg-a'])).toBe(true);
    expect(wouldCreateCycle('mg-a', ['mg-b', 'root'])).toBe(false);
  });
});
