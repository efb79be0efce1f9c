import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { azureRoleIds } from '../../src/core/catalog/azure-roles.js';
import type { TestApp, TestUser } from './app.js';

export const pim = 'api-version=2020-10-01';
export const mgApi = 'api-version=2020-05-01';
export const subApi = 'api-version=2020-01-01';
export const rgApi = 'api-version=2021-04-01';

export const mgPath = (id: string) => `/providers/Microsoft.Management/managementGroups/${id}`;
export const subPath = (id: string) => `/subscriptions/${id}`;
export const rgPath = (sub: string, rg: string) => `/subscriptions/${sub}/resourceGroups/${rg}`;
export const auth = (scope: string, rest: string) =>
  `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/${rest}`;
export const roleDefinitionId = (roleGuid: string) =>
  `/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
export const { owner, contributor, reader, userAccessAdministrator } = azureRoleIds;

/** ARM calls for one test app: the tree, schedule requests and lists, each asserting what it needs to. */
export function armKit(t: TestApp) {
  const call = (
    user: TestUser,
    method: 'GET' | 'PUT' | 'PATCH' | 'DELETE' | 'POST',
    url: string,
    body?: unknown,
  ) => t.graph(user, method, url, body);

  async function ok<T = any>(
    what: string,
    res: Promise<{ status: number; body: any }>,
    status: number,
  ): Promise<T> {
    const r = await res;
    expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(status);
    return r.body as T;
  }

  return {
    call,
    ok,
    putGroup: (user: TestUser, id: string, parent?: string, displayName = id) =>
      ok(
        `PUT management group ${id}`,
        call(user, 'PUT', `${mgPath(id)}?${mgApi}`, {
          properties: { displayName, ...(parent ? { details: { parent: { id: mgPath(parent) } } } : {}) },
        }),
        201,
      ),
    putSubscription: (user: TestUser, id: string, managementGroupId: string, displayName = id) =>
      ok(
        `PUT subscription ${id}`,
        call(user, 'PUT', `${subPath(id)}?${subApi}`, { displayName, managementGroupId }),
        201,
      ),
    putResourceGroup: (user: TestUser, sub: string, rg: string) =>
      ok(
        `PUT resource group ${rg}`,
        call(user, 'PUT', `${rgPath(sub, rg)}?${rgApi}`, { location: 'westeurope' }),
        201,
      ),
    /** Elevate access (User Access Administrator at `/`) for a Global Administrator. */
    elevate: (user: TestUser) =>
      ok(
        'elevateAccess',
        call(user, 'POST', '/providers/Microsoft.Authorization/elevateAccess?api-version=2016-07-01'),
        200,
      ),
    /** A schedule request PUT at `scope` with a fresh name; returns the response (any status). */
    request: (
      user: TestUser,
      scope: string,
      kind: 'assignment' | 'eligibility',
      properties: Record<string, unknown>,
      name: string = randomUUID(),
    ) =>
      call(
        user,
        'PUT',
        `${auth(scope, `${kind === 'assignment' ? 'roleAssignment' : 'roleEligibility'}ScheduleRequests/${name}`)}?${pim}`,
        { properties },
      ),
    /** Makes `principal` eligible (or active) for `role` at `scope`; asserts 201. */
    assign: async (
      admin: TestUser,
      scope: string,
      kind: 'assignment' | 'eligibility',
      principalId: string,
      role: string,
      duration = 'P90D',
    ) =>
      ok(
        `AdminAssign ${kind} ${role} at ${scope}`,
        call(
          admin,
          'PUT',
          `${auth(scope, `${kind === 'assignment' ? 'roleAssignment' : 'roleEligibility'}ScheduleRequests/${randomUUID()}`)}?${pim}`,
          {
            properties: {
              principalId,
              roleDefinitionId: `${scope === '/' ? '' : scope}${roleDefinitionId(role)}`,
              requestType: 'AdminAssign',
              justification: 'Test assignment',
              scheduleInfo: { expiration: { type: 'AfterDuration', duration } },
            },
          },
        ),
        201,
      ),
    /** The Owner (or another role's) policy at a scope, found through its policy assignment. */
    policyOf: async (user: TestUser, scope: string, role: string) => {
      const list = await ok(
        'policy assignments',
        call(
          user,
          'GET',
          `${auth(scope, 'roleManagementPolicyAssignments')}?${pim}&$filter=roleDefinitionId eq '${roleDefinitionId(role)}'`,
        ),
        200,
      );
      expect(list.value).toHaveLength(1);
      return (list.value[0].properties.policyId as string).split('/').pop()!;
    },
    /** Sets the activation rules of a role at a scope: justification only (no MFA), maximum `maximum`. */
    justificationOnly: async (user: TestUser, scope: string, role: string, maximum = 'PT8H') => {
      const id = await (async () => {
        const list = await ok(
          'policy assignments',
          call(
            user,
            'GET',
            `${auth(scope, 'roleManagementPolicyAssignments')}?${pim}&$filter=roleDefinitionId eq '${role}'`,
          ),
          200,
        );
        return (list.value[0].properties.policyId as string).split('/').pop()!;
      })();
      return ok(
        'PATCH policy',
        call(user, 'PATCH', `${auth(scope, `roleManagementPolicies/${id}`)}?${pim}`, {
          properties: {
            rules: [
              {
                id: 'Enablement_EndUser_Assignment',
                ruleType: 'RoleManagementPolicyEnablementRule',
                enabledRules: ['Justification'],
                target: { caller: 'EndUser', operations: ['All'], level: 'Assignment', targetObjects: null },
              },
              {
                id: 'Expiration_EndUser_Assignment',
                ruleType: 'RoleManagementPolicyExpirationRule',
                isExpirationRequired: true,
                maximumDuration: maximum,
                target: { caller: 'EndUser', operations: ['All'], level: 'Assignment' },
              },
            ],
          },
        }),
        200,
      );
    },
  };
}

export type ArmKit = ReturnType<typeof armKit>;
