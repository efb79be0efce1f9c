import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import SCIMMY from 'scimmy';

/**
 * A real SCIM 2.0 service provider for tests: SCIMMY (1.3.5) parses filters, applies PatchOps and writes every
 * message (ListResponse, Error); a small node:http server in front checks the bearer token and routes
 * /Users and /Groups; records live in memory. Several servers may run at once: SCIMMY is a process-wide
 * singleton, so its handlers find the server's store through the `ctx` each call passes.
 */

export interface ScimMember {
  readonly value: string;
  readonly display?: string;
}

export interface ScimUserRecord {
  readonly id: string;
  readonly userName: string;
  readonly externalId?: string;
  readonly displayName?: string;
  readonly name?: { givenName?: string; familyName?: string; formatted?: string };
  readonly emails: readonly { value: string; type?: string; primary?: boolean }[];
  readonly active?: boolean;
  readonly meta: { created: Date; lastModified: Date };
}

export interface ScimGroupRecord {
  readonly id: string;
  readonly displayName: string;
  readonly externalId?: string;
  readonly members: readonly ScimMember[];
  readonly meta: { created: Date; lastModified: Date };
}

/** One request the server answered: what a test may assert about traffic (never timing). */
export interface ScimExchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

export interface TestScimServer {
  /** The SCIM base URL, e.g. `http://127.0.0.1:41234/scim/v2`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly users: Map<string, ScimUserRecord>;
  readonly groups: Map<string, ScimGroupRecord>;
  /** Every request answered, in order. */
  readonly exchanges: ScimExchange[];
  /** The user with this userName, if any. */
  user(userName: string): ScimUserRecord | undefined;
  /** The group with this displayName, if any. */
  group(displayName: string): ScimGroupRecord | undefined;
  /** userNames of the members of the group `displayName` (empty when the group does not exist). */
  memberUserNames(displayName: string): string[];
  /** Resolves once `condition` holds, checked now and after every request the server answers. */
  waitFor(condition: () => boolean): Promise<void>;
  /** Makes every request answer `status` (e.g. 503) until called with `undefined`. */
  failWith(status: number | undefined): void;
  /** Stops listening: connections are refused until `comeBack()`. */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  close(): Promise<void>;
}

interface Store {
  readonly users: Map<string, ScimUserRecord>;
  readonly groups: Map<string, ScimGroupRecord>;
}

type ScimContext = { readonly store: Store };

let declared = false;

/** Declares SCIMMY's User and Group resource types once per process, their handlers reading the ctx's store. */
function declareResources(): void {
  if (declared) return;
  declared = true;
  const storeOf = (ctx: unknown): Store => (ctx as ScimContext).store;
  const now = () => new Date();

  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .egress((resource, ctx) => {
      const users = storeOf(ctx).users;
      if (resource.id) {
        const found = users.get(resource.id);
        if (!found) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
        return normalisedUser(found) as never;
      }
      // SCIMMY gotcha: egress applies the filter itself, and Filter.match throws on records without `emails`.
      const all = [...users.values()].map(normalisedUser);
      return (resource.filter ? resource.filter.match(all) : all) as never;
    })
    .ingress((resource, instance, ctx) => {
      const users = storeOf(ctx).users;
      const data = instance as unknown as Omit<ScimUserRecord, 'id' | 'meta'>;
      const clash = [...users.values()].find(
        (u) => u.userName.toLowerCase() === data.userName.toLowerCase() && u.id !== resource.id,
      );
      if (clash) {
        throw new SCIMMY.Types.Error(409, 'uniqueness', `userName '${data.userName}' is already taken`);
      }
      const before = resource.id ? users.get(resource.id) : undefined;
      if (resource.id && !before)
        throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
      const at = now();
      const record: ScimUserRecord = {
        ...data,
        emails: data.emails ?? [],
        id: before?.id ?? randomUUID(),
        meta: { created: before?.meta.created ?? at, lastModified: at },
      };
      users.set(record.id, record);
      return normalisedUser(record) as never;
    })
    .degress((resource, ctx) => {
      const { users, groups } = storeOf(ctx);
      if (!resource.id || !users.delete(resource.id)) {
        throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
      }
      for (const g of groups.values()) {
        groups.set(g.id, { ...g, members: g.members.filter((m) => m.value !== resource.id) });
      }
    });

  SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .egress((resource, ctx) => {
      const groups = storeOf(ctx).groups;
      if (resource.id) {
        const found = groups.get(resource.id);
        if (!found) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
        return { ...found, members: [...found.members] };
      }
      const all = [...groups.values()].map((g) => ({ ...g, members: [...g.members] }));
      return resource.filter ? resource.filter.match(all) : all;
    })
    .ingress((resource, instance, ctx) => {
      const { users, groups } = storeOf(ctx);
      const data = instance as unknown as Omit<ScimGroupRecord, 'id' | 'meta'>;
      const before = resource.id ? groups.get(resource.id) : undefined;
      if (resource.id && !before)
        throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
      const clash = [...groups.values()].find(
        (g) => g.displayName === data.displayName && g.id !== resource.id,
      );
      if (clash) {
        throw new SCIMMY.Types.Error(409, 'uniqueness', `displayName '${data.displayName}' is already taken`);
      }
      // A member added twice is listed once, as real service providers do.
      const members = [
        ...new Map(
          (data.members ?? []).map((m) => [m.value, { value: m.value, display: m.display }]),
        ).values(),
      ];
      const unknown = members.find((m) => !users.has(m.value));
      if (unknown) throw new SCIMMY.Types.Error(400, 'invalidValue', `No user has id ${unknown.value}`);
      const at = now();
      const record: ScimGroupRecord = {
        ...data,
        members,
        id: before?.id ?? randomUUID(),
        meta: { created: before?.meta.created ?? at, lastModified: at },
      };
      groups.set(record.id, record);
      return { ...record, members: [...record.members] };
    })
    .degress((resource, ctx) => {
      if (!resource.id || !storeOf(ctx).groups.delete(resource.id)) {
        throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
      }
    });
}

const normalisedUser = (u: ScimUserRecord) => ({ ...u, emails: u.emails ?? [] });

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

/** Starts a SCIM 2.0 server on a loopback port; requests need `Authorization: Bearer <token>`. */
export async function startScimServer(options: { token?: string } = {}): Promise<TestScimServer> {
  declareResources();
  const token = options.token ?? `scim-${randomUUID()}`;
  const store: Store = { users: new Map(), groups: new Map() };
  const exchanges: ScimExchange[] = [];
  let forcedStatus: number | undefined;
  let waiters: { condition: () => boolean; resolve: () => void }[] = [];

  async function answer(req: IncomingMessage): Promise<{ status: number; body?: unknown }> {
    if (forcedStatus !== undefined) {
      // Written by hand: SCIMMY's ErrorResponse accepts only the statuses RFC 7644 lists for SCIM errors.
      const body = {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: String(forcedStatus),
        detail: 'Unavailable',
      };
      return { status: forcedStatus, body };
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return {
        status: 401,
        body: new SCIMMY.Messages.ErrorResponse(new SCIMMY.Types.Error(401, null!, 'Bad bearer token')),
      };
    }
    const url = new URL(req.url ?? '/', 'http://scim.test');
    const match = /^\/scim\/v2\/(Users|Groups)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match)
      return {
        status: 404,
        body: new SCIMMY.Messages.ErrorResponse(
          new SCIMMY.Types.Error(404, null!, `No endpoint ${url.pathname}`),
        ),
      };
    const Type = match[1] === 'Users' ? SCIMMY.Resources.User : SCIMMY.Resources.Group;
    const id = match[2] ? decodeURIComponent(match[2]) : undefined;
    const ctx: ScimContext = { store };
    const query = Object.fromEntries(url.searchParams.entries());
    try {
      switch (req.method) {
        case 'GET':
          return { status: 200, body: await new Type(id, query).read(ctx) };
        case 'POST':
          if (id) break;
          return { status: 201, body: await new Type().write(await readBody(req), ctx) };
        case 'PUT':
          if (!id) break;
          return { status: 200, body: await new Type(id).write(await readBody(req), ctx) };
        case 'PATCH': {
          if (!id) break;
          const patched = await new Type(id).patch((await readBody(req)) as never, ctx);
          return patched ? { status: 200, body: patched } : { status: 204 };
        }
        case 'DELETE':
          if (!id) break;
          await new Type(id).dispose(ctx);
          return { status: 204 };
      }
      return {
        status: 405,
        body: new SCIMMY.Messages.ErrorResponse(new SCIMMY.Types.Error(405, null!, 'Method not allowed')),
      };
    } catch (error) {
      const body = new SCIMMY.Messages.ErrorResponse(error as Error);
      return { status: Number(body.status), body };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const { status, body } = await answer(req).catch((error: unknown) => ({
      status: 500,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '500',
        detail: String(error),
      },
    }));
    const json = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
    exchanges.push({ method: req.method ?? 'GET', path: req.url ?? '/', status, body: json });
    const ready = waiters.filter((w) => w.condition());
    waiters = waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
    res.statusCode = status;
    if (json !== undefined) {
      res.setHeader('content-type', 'application/scim+json');
      res.end(JSON.stringify(json));
    } else res.end();
  }

  let server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  return {
    baseUrl: `http://127.0.0.1:${port}/scim/v2`,
    token,
    users: store.users,
    groups: store.groups,
    exchanges,
    user: (userName) => [...store.users.values()].find((u) => u.userName === userName),
    group: (displayName) => [...store.groups.values()].find((g) => g.displayName === displayName),
    memberUserNames(displayName) {
      const group = [...store.groups.values()].find((g) => g.displayName === displayName);
      return (group?.members ?? []).map((m) => store.users.get(m.value)?.userName ?? `?${m.value}`).sort();
    },
    waitFor(condition) {
      if (condition()) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ condition, resolve }));
    },
    failWith(status) {
      forcedStatus = status;
    },
    goDown: stop,
    async comeBack() {
      server = createServer((req, res) => void handle(req, res));
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close: stop,
  };
}
