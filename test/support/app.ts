import type { FastifyInstance, InjectOptions } from 'fastify';
import { systemActor } from '../../src/app/context.js';
import type { Services } from '../../src/app/services.js';
import { composeServices, uuidV7Ids } from '../../src/compose.js';
import { directoryRoleIds } from '../../src/core/catalog/directory-roles.js';
import type { Database } from '../../src/db/connect.js';
import { buildHttpServer } from '../../src/http/server.js';
import { TestClock } from './clock.js';

export interface TestUser {
  readonly id: string;
  readonly upn: string;
  /** A bearer token (password sign-in, no MFA). */
  readonly token: string;
  /** A bearer token whose `amr` says MFA was done. */
  readonly mfaToken: string;
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly clock: TestClock;
  readonly database: Database;
  /** A Global Administrator created for the test. */
  readonly admin: TestUser;
  /** Creates a user holding `roles` permanently active at `/` (written directly, as a seed would). */
  givenUser(name: string, options?: { roles?: string[]; password?: string }): Promise<TestUser>;
  /** Graph call as `user` (or anonymous with `token: null`). */
  graph(
    user: TestUser | null,
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** The whole server over a test database, with a hand-moved clock and a Global Administrator. */
export async function createTestApp(database: Database, options: { now?: string } = {}): Promise<TestApp> {
  const clock = new TestClock(options.now ?? '2026-01-05T09:00:00Z');
  // Tokens outlive the test's clock jumps (days), so tests can move time without signing in again.
  const services = await composeServices(database, { clock, ids: uuidV7Ids, tokenTtlSeconds: 90 * 86_400 });
  const app = await buildHttpServer({ services, logger: false });
  await app.ready();
  const ctx = { actor: systemActor, requestId: uuidV7Ids.newId() };

  async function givenUser(
    name: string,
    opts: { roles?: string[]; password?: string } = {},
  ): Promise<TestUser> {
    const upn = `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}@elevate.test`;
    const user = await services.users.createUnchecked(ctx, {
      userPrincipalName: upn,
      displayName: name,
      password: opts.password ?? null,
    });
    const at = clock.now();
    for (const roleId of opts.roles ?? []) {
      const id = uuidV7Ids.newId();
      await database.db
        .insertInto('schedules')
        .values({
          id,
          kind: 'assignment',
          principal_id: user.id,
          principal_type: 'user',
          role_definition_id: roleId,
          directory_scope_id: '/',
          assignment_type: 'Assigned',
          start_at: new Date(at.getTime() - 86_400_000),
          end_at: null,
          status: 'Provisioned',
          created_using: id,
          activated_using: null,
          created_at: at,
          modified_at: at,
        })
        .execute();
    }
    const token = (await services.auth.issueToken({ id: user.id, type: 'user', mfa: false })).accessToken;
    const mfaToken = (await services.auth.issueToken({ id: user.id, type: 'user', mfa: true })).accessToken;
    return { id: user.id, upn, token, mfaToken };
  }

  const admin = await givenUser('Admin', { roles: [directoryRoleIds.globalAdministrator] });

  return {
    app,
    services,
    clock,
    database,
    admin,
    givenUser,
    async graph(user, method, url, body, headers = {}) {
      const res = await app.inject({
        method,
        url,
        headers: {
          ...(user ? { authorization: `Bearer ${user.token}` } : {}),
          ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      let parsed: unknown = res.body;
      try {
        parsed = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.statusCode, body: parsed, headers: res.headers as Record<string, unknown> };
    },
    async close() {
      await app.close();
    },
  };
}
