import { describe, expect, it } from 'vitest';
import { azureRoleIds as ids } from '../catalog/azure-roles.js';
import type { Schedule } from '../model/schedule.js';
import { resourceAuthority } from './resource-authority.js';

const now = new Date('2026-03-01T10:00:00Z');
const mg = '/providers/microsoft.management/managementgroups/mg-contoso';
const sub = '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const rg = `${sub}/resourcegroups/rg-web`;

const grant = (roleDefinitionId: string, scopeId: string, over: Partial<Schedule> = {}): Schedule => ({
  id: `${roleDefinitionId}-${scopeId}`,
  kind: 'assignment',
  principalId: 'p',
  principalType: 'user',
  targetKind: 'resourceRole',
  roleDefinitionId,
  scopeId,
  assignmentType: 'Assigned',
  start: new Date('2026-03-01T09:00:00Z'),
  end: new Date('2026-03-01T11:00:00Z'),
  status: 'Provisioned',
  createdUsing: 'r',
  activatedUsing: null,
  createdAt: now,
  modifiedAt: now,
  ...over,
});

describe('resourceAuthority', () => {
  const at = (grants: Schedule[], ancestors = [rg, sub, mg, '/']) =>
    resourceAuthority({ grants, ancestors, now });

  it.each([
    ['Owner', ids.owner, { managesAccess: true, managesSettings: true, reads: true }],
    [
      'User Access Administrator',
      ids.userAccessAdministrator,
      { managesAccess: true, managesSettings: true, reads: true },
    ],
    [
      'RBAC Administrator',
      ids.roleBasedAccessControlAdministrator,
      { managesAccess: true, managesSettings: false, reads: true },
    ],
    ['Contributor', ids.contributor, { managesAccess: false, managesSettings: false, reads: true }],
    ['Reader', ids.reader, { managesAccess: false, managesSettings: false, reads: true }],
  ])('given %s at the management group, then at the resource group below it %o', (_name, role, expected) => {
    expect(at([grant(role, mg)])).toMatchObject(expected);
  });

  it('given a grant at a sibling or below, then it gives nothing here', () => {
    expect(at([grant(ids.owner, `${sub}/resourcegroups/rg-data`)]).managesAccess).toBe(false);
    expect(at([grant(ids.owner, rg)], [sub, mg, '/']).managesAccess).toBe(false);
  });

  it('given an eligibility, an ended or a future grant, a directory role, then it gives nothing (invariant 1)', () => {
    expect(at([grant(ids.owner, mg, { kind: 'eligibility', assignmentType: null })]).managesAccess).toBe(
      false,
    );
    expect(at([grant(ids.owner, mg, { end: now })]).managesAccess).toBe(false);
    expect(at([grant(ids.owner, mg, { start: new Date(now.getTime() + 1) })]).managesAccess).toBe(false);
    expect(at([grant(ids.owner, mg, { status: 'Revoked' })]).managesAccess).toBe(false);
    expect(at([grant(ids.owner, mg, { targetKind: 'directoryRole' })]).managesAccess).toBe(false);
  });

  it('given User Access Administrator at the root scope (elevated access), then it manages everywhere', () => {
    expect(at([grant(ids.userAccessAdministrator, '/')]).managesAccess).toBe(true);
  });
});
