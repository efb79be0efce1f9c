/**
 * A small SCIM 2.0 client (RFC 7644) for the calls outbound provisioning makes: find a user by userName, create
 * one, find or create a group, and PATCH a group's members. Every request waits for the rate limiter first.
 * Failures are `ScimRequestFailed`: `retryable` for network errors, timeouts, 408, 429 and 5xx; not for other
 * 4xx (a bad token or a payload the application refuses will not get better by itself).
 */

const scimJson = 'application/scim+json';
const patchOp = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const userSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
const groupSchema = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export class ScimRequestFailed extends Error {
  constructor(
    message: string,
    /** The HTTP status; 0 when no answer came. */
    readonly status: number,
    readonly retryable: boolean,
    /** RFC 7644 §3.12 `scimType`, when the error body has one. */
    readonly scimType: string | null = null,
  ) {
    super(message);
    this.name = 'ScimRequestFailed';
  }
}

export interface ScimUserInput {
  readonly userName: string;
  readonly externalId: string;
  readonly displayName: string;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly email: string | null;
}

export interface ScimResource {
  readonly id: string;
  readonly [key: string]: unknown;
}

export interface ScimClientOptions {
  /** The application's SCIM base URL, e.g. `https://app.example/scim/v2`. */
  readonly baseUrl: string;
  readonly token: string;
  /** Resolves when the next request may go (the application's rate limit). */
  readonly throttle: () => Promise<void>;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** A SCIM string literal inside a filter: a JSON string (quotes and backslashes escaped). */
export const scimString = (value: string): string => JSON.stringify(value);

export type ScimClient = ReturnType<typeof createScimClient>;

export function createScimClient(options: ScimClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function send(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    await options.throttle();
    const what = `${method} ${path.split('?')[0]}`;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: scimJson,
          ...(body === undefined ? {} : { 'content-type': scimJson }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw new ScimRequestFailed(`SCIM ${what}: no answer (${networkCause(error)})`, 0, true);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.ok) return { status: response.status, json };
    const status = response.status;
    const detail = errorDetail(json) ?? response.statusText;
    const scimType = (json as { scimType?: unknown } | undefined)?.scimType;
    throw new ScimRequestFailed(
      `SCIM ${what}: ${status} ${detail}`.trim(),
      status,
      status >= 500 || status === 408 || status === 429,
      typeof scimType === 'string' ? scimType : null,
    );
  }

  async function findOne(resource: 'Users' | 'Groups', filter: string): Promise<ScimResource | null> {
    const { json } = await send(
      'GET',
      `/${resource}?filter=${encodeURIComponent(filter)}&excludedAttributes=members`,
    );
    const found = (json as { Resources?: unknown } | undefined)?.Resources;
    if (!Array.isArray(found) || found.length === 0) return null;
    const first = found[0] as ScimResource;
    if (typeof first?.id !== 'string') {
      throw new ScimRequestFailed(`SCIM GET /${resource}: a resource without an id`, 200, false);
    }
    return first;
  }

  async function create(resource: 'Users' | 'Groups', body: unknown): Promise<ScimResource> {
    const { json } = await send('POST', `/${resource}`, body);
    const id = (json as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string') {
      throw new ScimRequestFailed(`SCIM POST /${resource}: the answer has no id`, 201, false);
    }
    return json as ScimResource;
  }

  return {
    findUserByUserName: (userName: string) => findOne('Users', `userName eq ${scimString(userName)}`),

    findUserByExternalId: (externalId: string) => findOne('Users', `externalId eq ${scimString(externalId)}`),

    findGroupByDisplayName: (displayName: string) =>
      findOne('Groups', `displayName eq ${scimString(displayName)}`),

    /** POST /Users: userName (the UPN), externalId (Elevate's id), name, displayName, work e-mail, active. */
    createUser: (u: ScimUserInput) =>
      create('Users', {
        schemas: [userSchema],
        userName: u.userName,
        externalId: u.externalId,
        displayName: u.displayName,
        name: {
          formatted: u.displayName,
          ...(u.givenName ? { givenName: u.givenName } : {}),
          ...(u.familyName ? { familyName: u.familyName } : {}),
        },
        ...(u.email ? { emails: [{ value: u.email, type: 'work', primary: true }] } : {}),
        active: true,
      }),

    createGroup: (g: { displayName: string; externalId: string }) =>
      create('Groups', {
        schemas: [groupSchema],
        displayName: g.displayName,
        externalId: g.externalId,
        members: [],
      }),

    /** PATCH op `add` on `members`; answers the HTTP status. */
    addMember: async (groupId: string, member: { id: string; display: string }): Promise<number> =>
      (
        await send('PATCH', `/Groups/${encodeURIComponent(groupId)}`, {
          schemas: [patchOp],
          Operations: [
            { op: 'add', path: 'members', value: [{ value: member.id, display: member.display }] },
          ],
        })
      ).status,

    /** PATCH op `remove` on `members[value eq "…"]`; answers the HTTP status. */
    removeMember: async (groupId: string, userId: string): Promise<number> =>
      (
        await send('PATCH', `/Groups/${encodeURIComponent(groupId)}`, {
          schemas: [patchOp],
          Operations: [{ op: 'remove', path: `members[value eq ${scimString(userId)}]` }],
        })
      ).status,
  };
}

function errorDetail(json: unknown): string | null {
  const detail = (json as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? detail.slice(0, 300) : null;
}

function networkCause(error: unknown): string {
  const c = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (c as { code?: unknown })?.code;
  if (typeof code === 'string') return code === 'ECONNREFUSED' ? 'connection refused' : code;
  if (c instanceof Error && c.name === 'TimeoutError') return 'no answer in time';
  return c instanceof Error ? c.message : String(c);
}
