import {
  type AccessCheckBody,
  type AccessCheckResponse,
  type AccessExplanationResponse,
  accessCheckResponseSchema,
  accessExplanationSchema,
} from './access-schemas.js';
import { type ActivationSettings, activationSettingsFrom } from './activation-settings.js';
import { adminCalls } from './admin-client.js';
import { ApiError, apiErrorFrom } from './api-error.js';
import { type ArmScheduleRequest, type ArmScheduleRequestProperties, armPimApiVersion } from './arm-types.js';
import { auditCalls } from './audit-client.js';
import { authCalls } from './auth-client.js';
import {
  csrfHeader,
  type MfaStatusResponse,
  mfaStatusSchema,
  type OidcStepUpBody,
  type OidcStepUpStart,
  oidcStepUpStartSchema,
  type PatResponse,
  type RecoveryCodes,
  recoveryCodesSchema,
  type StepUpBody,
  type StepUpResponse,
  stepUpHeader,
  stepUpResponseSchema,
  type TotpEnrolment,
  totpEnrolmentSchema,
} from './auth-schemas.js';
import type {
  GraphApproval,
  GraphCollection,
  GraphDirectoryAudit,
  GraphGroup,
  GraphGroupScheduleInstance,
  GraphGroupScheduleRequest,
  GraphPage,
  GraphPolicy,
  GraphPolicyAssignment,
  GraphPolicyRule,
  GraphRoleDefinition,
  GraphSchedule,
  GraphScheduleInstance,
  GraphScheduleRequest,
  GraphUser,
  GroupScheduleRequestBody,
  ScheduleKind,
  ScheduleRequestBody,
} from './graph-types.js';
import {
  type AuditExportFormat,
  type AuditVerification,
  auditVerificationSchema,
  type TokenResponse,
  tokenResponseSchema,
} from './native-schemas.js';
import { outboxCalls } from './outbox-client.js';
import { provisioningCalls } from './provisioning-client.js';
import { requestCalls } from './request-calls.js';
import { resourceAccessCalls } from './resource-access-client.js';
import { settingsCalls } from './settings-client.js';

export interface ElevateClientOptions {
  /** `http://127.0.0.1:8080`; a path prefix is kept (`https://host/elevate`). */
  readonly baseUrl: string;
  /** The bearer token; only `signIn` works without one (or a portal session's `csrfToken`). */
  readonly token?: string;
  /**
   * A portal session instead of a token: the browser's HttpOnly cookie authenticates (same origin), and this
   * token goes in the `x-elevate-csrf` header of every change.
   */
  readonly csrfToken?: string;
  readonly fetch?: typeof fetch;
  /** Milliseconds before a call (not a streamed export) is abandoned; 60 s by default. */
  readonly timeoutMs?: number;
}

export type CurrentUserFilter = 'principal' | 'createdBy' | 'approver';

/** Query values are sent verbatim (percent-encoded); `undefined` ones are left out. */
type Query = Readonly<Record<string, string | number | undefined>>;

interface CallOptions {
  readonly body?: unknown;
  readonly query?: Query;
  readonly anonymous?: boolean;
  readonly stream?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

const roleManagement = '/v1.0/roleManagement/directory';
const groupPim = '/v1.0/identityGovernance/privilegedAccess/group';
const approvals = '/beta/roleManagement/directory/roleAssignmentApprovals';
const nouns: Record<ScheduleKind, string> = { assignment: 'roleAssignment', eligibility: 'roleEligibility' };
/** Lists are paged by the server; the client follows `@odata.nextLink` up to this many items at most. */
const maxListItems = 100_000;

/**
 * A small typed client of an Elevate server: the Graph-shaped calls the CLI and the portal make, and the
 * native ones Graph lacks. Every failure is an `ApiError` (status 0 when the server cannot be reached).
 */
export function createElevateClient(options: ElevateClientOptions) {
  const base = new URL(options.baseUrl.replace(/\/+$/, ''));
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new ApiError(
      0,
      'invalid_server',
      `The server URL must start with http:// or https://; got '${options.baseUrl}'.`,
    );
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 60_000;

  const urlFor = (path: string, query: Query = {}): string => {
    const params = Object.entries(query)
      .filter((e): e is [string, string | number] => e[1] !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
    return `${base.origin}${prefix}${path}${params.length ? `?${params.join('&')}` : ''}`;
  };

  async function send(method: string, url: string, call: CallOptions): Promise<Response> {
    const headers: Record<string, string> = {
      ...call.headers,
      accept: call.stream ? '*/*' : 'application/json',
    };
    if (!call.anonymous && !options.csrfToken) {
      if (!options.token) throw new ApiError(401, 'unauthenticated', 'Not signed in: no access token.');
      headers.authorization = `Bearer ${options.token}`;
    }
    if (options.csrfToken && method !== 'GET' && method !== 'HEAD') headers[csrfHeader] = options.csrfToken;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
        ...(call.stream ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
        ...(options.csrfToken ? { credentials: 'same-origin' as const } : {}),
        redirect: 'error',
      });
    } catch (error) {
      throw new ApiError(
        0,
        'unreachable',
        `Cannot reach the Elevate server at ${base.href}: ${cause(error)}`,
      );
    }
    if (!response.ok) throw apiErrorFrom(response.status, response.statusText, await response.text());
    return response;
  }

  async function call<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
    const response = await send(method, urlFor(path, opts.query), opts);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(
        response.status,
        'invalid_response',
        `The server's answer to ${method} ${path} is not JSON.`,
      );
    }
  }

  /** Every page of a Graph list; a next link is followed on this server only (the token goes nowhere else). */
  async function list<T>(path: string, query: Query = {}, limit = maxListItems): Promise<T[]> {
    const items: T[] = [];
    let url: string | undefined = urlFor(path, query);
    while (url !== undefined && items.length < limit) {
      const page = (await (await send('GET', url, {})).json()) as GraphCollection<T>;
      items.push(...page.value);
      const next = page['@odata.nextLink'];
      url = next ? sameServer(next) : undefined;
    }
    return items.slice(0, limit);
  }

  /** One page of a Graph list at `path`, or at a next link this server gave, with the next link and the count. */
  async function page<T>(pathOrNextLink: string, query: Query = {}): Promise<GraphPage<T>> {
    const url = /^https?:\/\//i.test(pathOrNextLink)
      ? sameServer(pathOrNextLink)
      : urlFor(pathOrNextLink, query);
    const body = (await (await send('GET', url, {})).json()) as GraphCollection<T> & {
      '@odata.count'?: unknown;
    };
    const next = body['@odata.nextLink'];
    const count = body['@odata.count'];
    return {
      items: body.value,
      nextLink: next ? sameServer(next) : null,
      count: typeof count === 'number' ? count : null,
    };
  }

  const sameServer = (link: string): string => {
    const parsed = new URL(link, base);
    const path = parsed.pathname.startsWith(prefix) ? parsed.pathname : `${prefix}${parsed.pathname}`;
    return `${base.origin}${path}${parsed.search}`;
  };

  /** The activation rules of a role at a scope; below the tenant, the tenant's until a policy is set there. */
  async function activationSettings(roleDefinitionId: string, scopeId = '/'): Promise<ActivationSettings> {
    const filter = `scopeId eq '${odataString(scopeId)}' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${odataString(roleDefinitionId)}'`;
    const [found] = await list<GraphPolicyAssignment & { policy?: GraphPolicy }>(
      '/v1.0/policies/roleManagementPolicyAssignments',
      { $filter: filter, $expand: 'policy($expand=rules)' },
      1,
    );
    if (!found?.policy?.rules && scopeId !== '/') return activationSettings(roleDefinitionId, '/');
    return activationSettingsFrom(found?.policy?.rules ?? []);
  }

  const id = (value: string) => encodeURIComponent(value);
  const requests = (kind: ScheduleKind) => `${roleManagement}/${nouns[kind]}ScheduleRequests`;

  return {
    baseUrl: base.href.replace(/\/+$/, ''),

    /** Schedule requests and approvals page by page, for roles and groups (request-calls.ts). */
    ...requestCalls({ call, list, page }),

    /** Portal sessions, passkeys and password change (auth-client.ts). */
    ...authCalls({ call }),

    /** The administrator pages' reads and bulk add under /api/v1/admin (admin-client.ts). */
    ...adminCalls({ call }),

    /** The audit log page by page and the export of a search (audit-client.ts). */
    ...auditCalls({ page, download: (path, query) => send('GET', urlFor(path, query), { stream: true }) }),

    /** A target's role settings, read whole and saved all at once (settings-client.ts). */
    ...settingsCalls({ call, list }),

    /** My Azure resource-role grants and their activation settings (resource-access-client.ts). */
    ...resourceAccessCalls({ call }),

    /** Outbound SCIM: a group's linked applications and receipts (provisioning-client.ts). */
    ...provisioningCalls({ call }),

    /** The outbox (state, dead letters, an event's receipts, resend) and webhook subscriptions (outbox-client.ts). */
    ...outboxCalls({ call }),

    /** `POST /api/auth/token`: a local user's name and password (and, once enrolled, a code) for a bearer token. */
    async signIn(credentials: {
      username: string;
      password: string;
      totp?: string;
      recoveryCode?: string;
    }): Promise<TokenResponse> {
      const body = await call<unknown>('POST', '/api/auth/token', { body: credentials, anonymous: true });
      const parsed = tokenResponseSchema.safeParse(body);
      if (!parsed.success)
        throw new ApiError(200, 'invalid_response', 'The sign-in answer has no access token.');
      return parsed.data;
    },

    me: () => call<GraphUser>('GET', '/v1.0/me'),
    getUser: (idOrUpn: string) => call<GraphUser>('GET', `/v1.0/users/${id(idOrUpn)}`),
    getGroup: (groupId: string) => call<GraphGroup>('GET', `/v1.0/groups/${id(groupId)}`),
    listRoleDefinitions: () =>
      list<GraphRoleDefinition>(`${roleManagement}/roleDefinitions`, { $select: 'id,displayName,isBuiltIn' }),

    /** The caller's grants in effect now: `…ScheduleInstances/filterByCurrentUser(on='principal')`. */
    listMyInstances: (kind: ScheduleKind) =>
      list<GraphScheduleInstance>(
        `${roleManagement}/${nouns[kind]}ScheduleInstances/filterByCurrentUser(on='principal')`,
      ),

    getSchedule: (kind: ScheduleKind, scheduleId: string) =>
      call<GraphSchedule>('GET', `${roleManagement}/${nouns[kind]}Schedules/${id(scheduleId)}`),

    /** Requests the caller may see, or those `filterByCurrentUser(on=…)` selects; `$filter` and `$expand` as Graph takes them. */
    listScheduleRequests: (
      kind: ScheduleKind,
      opts: { on?: CurrentUserFilter; filter?: string; expand?: string } = {},
    ) =>
      list<GraphScheduleRequest>(
        opts.on ? `${requests(kind)}/filterByCurrentUser(on='${opts.on}')` : requests(kind),
        { $filter: opts.filter, $expand: opts.expand },
      ),

    getScheduleRequest: (kind: ScheduleKind, requestId: string, opts: { expand?: string } = {}) =>
      call<GraphScheduleRequest>('GET', `${requests(kind)}/${id(requestId)}`, {
        query: { $expand: opts.expand },
      }),

    /** A schedule request; `stepUpProof` (from `stepUp`) goes in the `x-elevate-step-up` header. */
    createScheduleRequest: (
      kind: ScheduleKind,
      body: ScheduleRequestBody,
      opts: { stepUpProof?: string } = {},
    ) =>
      call<GraphScheduleRequest>('POST', requests(kind), {
        body,
        ...(opts.stepUpProof ? { headers: { [stepUpHeader]: opts.stepUpProof } } : {}),
      }),

    /** `POST /api/v1/me/step-up`: a fresh TOTP code for one target → a single-use proof. */
    stepUp: async (body: StepUpBody): Promise<StepUpResponse> =>
      parsed(stepUpResponseSchema, await call<unknown>('POST', '/api/v1/me/step-up', { body }), 'step-up'),

    /** `POST /api/v1/me/step-up/oidc`: where the browser re-authenticates at the identity provider for one target. */
    stepUpOidc: async (body: OidcStepUpBody): Promise<OidcStepUpStart> =>
      parsed(
        oidcStepUpStartSchema,
        await call<unknown>('POST', '/api/v1/me/step-up/oidc', { body }),
        'OIDC step-up',
      ),

    /**
     * `GET /api/auth/oidc/login`: the identity provider's URL to open in the browser (the answer's redirect); the
     * result goes to `redirectUri`, a loopback address.
     */
    async oidcSignInUrl(redirectUri: string): Promise<string> {
      let response: Response;
      try {
        response = await doFetch(urlFor('/api/auth/oidc/login', { redirect_uri: redirectUri }), {
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'manual',
        });
      } catch (error) {
        throw new ApiError(
          0,
          'unreachable',
          `Cannot reach the Elevate server at ${base.href}: ${cause(error)}`,
        );
      }
      const location = response.headers.get('location');
      if (response.status === 302 && location) return location;
      throw apiErrorFrom(response.status, response.statusText, await response.text());
    },

    /** `GET /api/v1/me/mfa`, or `GET /api/v1/users/{id}/mfa` for an administrator. */
    mfaStatus: async (userId?: string): Promise<MfaStatusResponse> =>
      parsed(
        mfaStatusSchema,
        await call<unknown>('GET', userId ? `/api/v1/users/${id(userId)}/mfa` : '/api/v1/me/mfa'),
        'MFA status',
      ),

    /** `POST /api/v1/me/mfa/totp`: starts enrolment; the seed is shown this once. */
    startTotpEnrolment: async (): Promise<TotpEnrolment> =>
      parsed(totpEnrolmentSchema, await call<unknown>('POST', '/api/v1/me/mfa/totp'), 'enrolment'),

    /** `POST /api/v1/me/mfa/totp/verify`: confirms enrolment; the recovery codes are shown this once. */
    confirmTotp: async (code: string): Promise<RecoveryCodes> =>
      parsed(
        recoveryCodesSchema,
        await call<unknown>('POST', '/api/v1/me/mfa/totp/verify', { body: { code } }),
        'confirmation',
      ),

    /** `POST /api/v1/users/{id}/mfa/reset` (administrators). */
    resetMfa: (userId: string) => call<void>('POST', `/api/v1/users/${id(userId)}/mfa/reset`),

    /** `GET /api/v1/me/tokens`: my personal access tokens, without their secrets. */
    listTokens: async (): Promise<PatResponse[]> =>
      (await call<{ value: PatResponse[] }>('GET', '/api/v1/me/tokens')).value,

    cancelScheduleRequest: (kind: ScheduleKind, requestId: string) =>
      call<void>('POST', `${requests(kind)}/${id(requestId)}/cancel`),

    getApproval: (approvalId: string) => call<GraphApproval>('GET', `${approvals}/${id(approvalId)}`),

    /** `PATCH …/roleAssignmentApprovals/{id}/steps/{stepId}` with `Approve` or `Deny` (research §4.1). */
    decideApprovalStep: (
      approvalId: string,
      stepId: string,
      decision: { reviewResult: 'Approve' | 'Deny'; justification?: string },
    ) => call<void>('PATCH', `${approvals}/${id(approvalId)}/steps/${id(stepId)}`, { body: decision }),

    /** The policy assignment of a directory role at a scope (research §2.1), or undefined. */
    async findPolicyAssignment(
      roleDefinitionId: string,
      scopeId = '/',
    ): Promise<GraphPolicyAssignment | undefined> {
      const filter = `scopeId eq '${odataString(scopeId)}' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${odataString(roleDefinitionId)}'`;
      const found = await list<GraphPolicyAssignment>('/v1.0/policies/roleManagementPolicyAssignments', {
        $filter: filter,
      });
      return found[0];
    },

    /** What activating a directory role at a scope asks for: its settings' end-user assignment rules. */
    getActivationSettings: activationSettings,

    getPolicy: (policyId: string) =>
      call<GraphPolicy>('GET', `/v1.0/policies/roleManagementPolicies/${id(policyId)}`, {
        query: { $expand: 'rules' },
      }),

    updatePolicyRule: (policyId: string, rule: GraphPolicyRule) =>
      call<void>('PATCH', `/v1.0/policies/roleManagementPolicies/${id(policyId)}/rules/${id(rule.id)}`, {
        body: rule,
      }),

    /** `GET /v1.0/auditLogs/directoryAudits`, newest first, at most `top` records. */
    listDirectoryAudits: (opts: { filter?: string; top: number }) =>
      list<GraphDirectoryAudit>(
        '/v1.0/auditLogs/directoryAudits',
        { $filter: opts.filter, $orderby: 'activityDateTime desc', $top: Math.min(opts.top, 999) },
        opts.top,
      ),

    /** `GET /api/v1/audit/export?format=…`: the log (oldest first) as a byte stream, read as it arrives. */
    async exportAudit(
      format: AuditExportFormat,
      range: { from?: Date; to?: Date; category?: string } = {},
    ): Promise<ReadableStream<Uint8Array>> {
      const query = {
        format,
        from: range.from?.toISOString(),
        to: range.to?.toISOString(),
        category: range.category,
      };
      const response = await send('GET', urlFor('/api/v1/audit/export', query), { stream: true });
      if (!response.body)
        throw new ApiError(response.status, 'invalid_response', 'The export answer is empty.');
      return response.body;
    },

    /** `GET /api/v1/audit/verify`: the server re-hashes the whole audit chain. */
    async verifyAudit(): Promise<AuditVerification> {
      const parsed = auditVerificationSchema.safeParse(await call<unknown>('GET', '/api/v1/audit/verify'));
      if (!parsed.success) {
        throw new ApiError(
          200,
          'invalid_response',
          'The audit verification answer is not in the expected shape.',
        );
      }
      return parsed.data;
    },

    /** Groups whose display name is exactly `displayName` (`GET /v1.0/groups?$filter=displayName eq '…'`). */
    findGroupsByName: (displayName: string) =>
      list<GraphGroup>('/v1.0/groups', { $filter: `displayName eq '${odataString(displayName)}'` }, 10),

    /** PIM for Groups: a request on a group's membership or ownership; `stepUpProof` as for roles. */
    createGroupScheduleRequest: (
      kind: ScheduleKind,
      body: GroupScheduleRequestBody,
      opts: { stepUpProof?: string } = {},
    ) =>
      call<GraphGroupScheduleRequest>('POST', `${groupPim}/${kind}ScheduleRequests`, {
        body,
        ...(opts.stepUpProof ? { headers: { [stepUpHeader]: opts.stepUpProof } } : {}),
      }),

    /** A principal's group memberships and ownerships in effect now (`$filter=principalId eq '…'`, with the group). */
    listGroupInstances: (kind: ScheduleKind, principalId: string) =>
      list<GraphGroupScheduleInstance>(`${groupPim}/${kind}ScheduleInstances`, {
        $filter: `principalId eq '${odataString(principalId)}'`,
        $expand: 'group',
      }),

    /**
     * The ARM-shaped API: `PUT {scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/{name}`
     * (`name` a new GUID), or with `validate` its `POST …/{name}/validate` (nothing is changed).
     */
    putRoleAssignmentScheduleRequest: (
      scope: string,
      name: string,
      properties: ArmScheduleRequestProperties,
      opts: { stepUpProof?: string; validate?: boolean } = {},
    ) =>
      call<ArmScheduleRequest>(
        opts.validate ? 'POST' : 'PUT',
        `${scope === '/' ? '' : scope.replace(/\/+$/, '')}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${id(name)}${opts.validate ? '/validate' : ''}`,
        {
          body: { properties },
          query: { 'api-version': armPimApiVersion },
          ...(opts.stepUpProof ? { headers: { [stepUpHeader]: opts.stepUpProof } } : {}),
        },
      ),

    /** `POST /api/v1/access/check`: allow or deny for one question or up to 1000, in order. */
    checkAccess: async (body: AccessCheckBody): Promise<AccessCheckResponse> =>
      parsed(
        accessCheckResponseSchema,
        await call<unknown>('POST', '/api/v1/access/check', { body }),
        'access check',
      ),

    /** `GET /api/v1/access/explain`: what a principal holds at a scope, and by which path. */
    explainAccess: async (q: {
      principalId: string;
      scope: string;
      at?: string;
    }): Promise<AccessExplanationResponse> =>
      parsed(
        accessExplanationSchema,
        await call<unknown>('GET', '/api/v1/access/explain', { query: q }),
        'access explanation',
      ),
  };
}

export type ElevateClient = ReturnType<typeof createElevateClient>;

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

/** A string literal inside an OData `$filter`: single quotes doubled. */
export const odataString = (s: string): string => s.replaceAll("'", "''");

function cause(error: unknown): string {
  const c = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (c as { code?: unknown })?.code;
  if (typeof code === 'string') return code === 'ECONNREFUSED' ? 'connection refused' : code;
  if (c instanceof Error && c.name === 'TimeoutError') return 'no answer in time';
  return c instanceof Error ? c.message : String(c);
}
