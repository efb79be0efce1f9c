import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Logger } from 'pino';
import type { OidcSettings } from '../../src/app/auth/oidc-service.js';
import { totpCode, totpStep } from '../../src/app/auth/totp.js';
import { systemActor } from '../../src/app/context.js';
import type { Services } from '../../src/app/services.js';
import { type ComposeOptions, composeServices, uuidV7Ids } from '../../src/compose.js';
import type { EmailSettings } from '../../src/connectors/smtp/smtp-channel.js';
import { directoryRoleIds } from '../../src/core/catalog/directory-roles.js';
import type { AcrFallback } from '../../src/core/requests/decision.js';
import type { Database } from '../../src/db/connect.js';
import { buildHttpServer } from '../../src/http/server.js';
import { TestClock } from './clock.js';

export interface TestUser {
  readonly id: string;
  readonly upn: string;
  /** A bearer token (password sign-in, no MFA). */
  readonly token: string;
  /**
   * A bearer token whose `amr` says a password and a one-time code were given when the user was created. It
   * satisfies admin-action MFA rules (within ELEVATE_STEP_UP_MAX_AGE of its sign-in), never an activation's:
   * those need `t.stepUp(user, target)`.
   */
  readonly mfaToken: string;
}

/** What a step-up is for: a directory role at `/` (by id), at another scope, or a group's member/owner access. */
export type StepUpFor =
  | string
  | { readonly roleDefinitionId: string; readonly directoryScopeId: string }
  | { readonly groupId: string; readonly accessId: 'member' | 'owner' };

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
  /**
   * Enrols an authenticator app for `user` through the real API (once; later calls answer the same secret)
   * and returns the seed and the recovery codes shown at enrolment.
   */
  enrolTotp(user: TestUser): Promise<{ secret: string; recoveryCodes: string[] }>;
  /**
   * A code the server will accept next for `user` (enrolling first if needed). Codes are single-use per
   * 30-second step; up to two are found without moving time (the server allows one step of drift), after that
   * the clock moves on to the next step (at most 30 s).
   */
  nextTotp(user: TestUser): Promise<string>;
  /**
   * Performs a real step-up (POST /api/v1/me/step-up with a fresh code) for `user` and `target`, and returns
   * the single-use proof to send as the `x-elevate-step-up` header.
   */
  stepUp(user: TestUser, target: StepUpFor): Promise<string>;
  /** `{ 'x-elevate-step-up': proof }` for a fresh step-up: the headers of an activation that needs MFA. */
  steppedUp(user: TestUser, target: StepUpFor): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** The whole server over a test database, with a hand-moved clock and a Global Administrator. */
export async function createTestApp(
  database: Database,
  options: {
    now?: string;
    logger?: Logger;
    /** Single sign-on, as ELEVATE_OIDC_* would configure it (test/support/oidc-provider.ts). */
    oidc?: OidcSettings;
    acrFallback?: AcrFallback;
    /** ELEVATE_PUBLIC_URL: the portal's origin (passkeys' RP, CSRF Origin check); http://localhost by default. */
    publicUrl?: string;
    /** ELEVATE_SMTP_URL and ELEVATE_MAIL_FROM (test/support/smtp-server.ts): e-mail is planned only when set. */
    email?: EmailSettings;
    /** The outbox's retry policy, jitter, and ELEVATE_WEBHOOK_ALLOWED_NETWORKS (e.g. ['127.0.0.1'] for a local receiver). */
    outbox?: ComposeOptions['outbox'];
  } = {},
): Promise<TestApp> {
  const clock = new TestClock(options.now ?? '2026-01-05T09:00:00Z');
  // Tokens outlive the test's clock jumps (days), so tests can move time without signing in again.
  const services = await composeServices(database, {
    clock,
    ids: uuidV7Ids,
    tokenTtlSeconds: 90 * 86_400,
    ...(options.oidc ? { oidc: options.oidc } : {}),
    ...(options.acrFallback ? { acrFallback: options.acrFallback } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.email ? { email: options.email } : {}),
    ...(options.outbox ? { outbox: options.outbox } : {}),
  });
  const app = await buildHttpServer({ services, logger: options.logger ?? false });
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
          scope_id: '/',
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
    // Written beside the services: tell the index, rather than wait for the database's notification.
    services.accessIndex.changed();
    const token = (await services.auth.issueToken({ id: user.id, type: 'user', mfa: false })).accessToken;
    const mfaToken = (await services.auth.issueToken({ id: user.id, type: 'user', mfa: true })).accessToken;
    return { id: user.id, upn, token, mfaToken };
  }

  const admin = await givenUser('Admin', { roles: [directoryRoleIds.globalAdministrator] });

  async function graph(
    user: TestUser | null,
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    // Tests also write rows directly (database.db); the index reads the change log before serving this call.
    services.accessIndex.changed();
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
    return { status: res.statusCode, body: parsed as any, headers: res.headers as Record<string, unknown> };
  }

  const enrolled = new Map<string, { secret: string; recoveryCodes: string[] }>();
  const expectOk = (what: string, res: { status: number; body: unknown }, status: number) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  };

  async function enrolTotp(user: TestUser) {
    const known = enrolled.get(user.id);
    if (known) return known;
    const started = await graph(user, 'POST', '/api/v1/me/mfa/totp');
    expectOk('start TOTP enrolment', started, 201);
    const secret: string = started.body.secret;
    // Confirm with the previous step's code (within the allowed drift), leaving this step and the next free.
    const code = await totpCode(secret, new Date(clock.now().getTime() - 30_000));
    const confirmed = await graph(user, 'POST', '/api/v1/me/mfa/totp/verify', { code });
    expectOk('confirm TOTP enrolment', confirmed, 200);
    const result = { secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
    enrolled.set(user.id, result);
    return result;
  }

  async function nextTotp(user: TestUser): Promise<string> {
    const { secret } = await enrolTotp(user);
    const row = await database.db
      .selectFrom('user_totp')
      .select('last_used_step')
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    const current = totpStep(clock.now());
    const step = row.last_used_step === null ? current : Math.max(current, row.last_used_step + 1);
    if (step > current + 1) clock.set(new Date((step - 1) * 30_000));
    return totpCode(secret, new Date(step * 30_000));
  }

  async function stepUp(user: TestUser, target: StepUpFor): Promise<string> {
    const body = typeof target === 'string' ? { roleDefinitionId: target, directoryScopeId: '/' } : target;
    const res = await graph(user, 'POST', '/api/v1/me/step-up', { ...body, totp: await nextTotp(user) });
    expectOk('step up', res, 201);
    return res.body.proof;
  }

  return {
    app,
    services,
    clock,
    database,
    admin,
    givenUser,
    graph,
    enrolTotp,
    nextTotp,
    stepUp,
    async steppedUp(user, target) {
      return { 'x-elevate-step-up': await stepUp(user, target) };
    },
    async close() {
      await app.close();
    },
  };
}
