import {
  type AdminAccess,
  type AdminAssignmentPage,
  type AdminAssignmentQuery,
  type AdminScope,
  adminAccessSchema,
  adminAssignmentPageSchema,
  adminScopesSchema,
  type BulkAssignBody,
  type BulkAssignResponse,
  bulkAssignResponseSchema,
  type Dashboard,
  dashboardSchema,
  type PrincipalRef,
  principalSearchSchema,
  type RoleHolders,
  type RoleHoldersQuery,
  roleHoldersSchema,
} from './admin-schemas.js';
import { ApiError } from './api-error.js';
import type { RequestTransport } from './request-calls.js';

type Query = Readonly<Record<string, string | number | undefined>>;

const id = (value: string) => encodeURIComponent(value);

function parsed<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError(200, 'invalid_response', `The ${what} answer is not in the expected shape.`);
  }
  return result.data;
}

/** Query values as the server reads them: booleans as `true`/`false`, absent ones left out. */
const asQuery = (q: Readonly<Record<string, string | number | boolean | undefined>>): Query =>
  Object.fromEntries(
    Object.entries(q)
      .filter((e) => e[1] !== undefined)
      .map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : v]),
  ) as Query;

/**
 * The administrator pages' calls under `/api/v1/admin`: what the caller may do, the dashboard, assignments by
 * role, group, scope or principal, who holds a role, principals and scopes to pick from, and a bulk add.
 */
export function adminCalls(t: Pick<RequestTransport, 'call'>) {
  const get = async <T>(
    path: string,
    schema: Parameters<typeof parsed<T>>[0],
    what: string,
    query: Query = {},
  ): Promise<T> => parsed(schema, await t.call<unknown>('GET', path, { query }), what);

  return {
    /** `GET /api/v1/admin/me`: may the caller read PIM, and change assignments? */
    adminAccess: (): Promise<AdminAccess> => get('/api/v1/admin/me', adminAccessSchema, 'admin access'),

    /** `GET /api/v1/admin/dashboard`. */
    dashboard: (): Promise<Dashboard> => get('/api/v1/admin/dashboard', dashboardSchema, 'dashboard'),

    /** `GET /api/v1/admin/assignments`: one page of live eligibilities and assignments, filtered. */
    adminAssignments: (q: AdminAssignmentQuery = {}): Promise<AdminAssignmentPage> =>
      get('/api/v1/admin/assignments', adminAssignmentPageSchema, 'assignments', asQuery(q)),

    /** `GET /api/v1/admin/roles/{id}/holders`: who holds a role at a scope, and by which path. */
    roleHolders: (roleDefinitionId: string, q: RoleHoldersQuery = {}): Promise<RoleHolders> =>
      get(
        `/api/v1/admin/roles/${id(roleDefinitionId)}/holders`,
        roleHoldersSchema,
        'role holders',
        asQuery(q),
      ),

    /** `GET /api/v1/admin/principals`: users, groups and service principals whose name starts with `search`. */
    findPrincipals: async (q: {
      search?: string;
      type?: PrincipalRef['type'];
      top?: number;
    }): Promise<PrincipalRef[]> =>
      (await get('/api/v1/admin/principals', principalSearchSchema, 'principal search', asQuery(q))).items,

    /** `GET /api/v1/admin/scopes`: the directory, administrative units and resource scopes. */
    adminScopes: async (): Promise<AdminScope[]> =>
      (await get('/api/v1/admin/scopes', adminScopesSchema, 'scopes')).items,

    /** `POST /api/v1/admin/assignments/bulk`: one role for many principals; one result per line. */
    bulkAssign: async (body: BulkAssignBody): Promise<BulkAssignResponse> =>
      parsed(
        bulkAssignResponseSchema,
        await t.call<unknown>('POST', '/api/v1/admin/assignments/bulk', { body }),
        'bulk assignment',
      ),
  };
}
