import { createHash, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { ElevateError } from '../../core/errors.js';
import type { Actor } from '../../core/model/principal.js';
import { activeTenantRoleIds, memberGroupIds } from '../../db/repositories/principal-repository.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps } from '../context.js';
import { auditInitiator } from '../shared/audit-initiator.js';
import { verifyPassword } from './password-hashing.js';

export interface TokenGrant {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
}

interface AuthDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'> {
  readonly signingKey: Uint8Array;
  readonly tokenTtlSeconds: number;
  readonly issuer: string;
  readonly audit: AuditWriter;
}

const audience = 'elevate';

/** Sign-in (password, client credentials), access tokens, and resolving a token to the calling Actor. */
export function createAuthService(deps: AuthDeps) {
  const { db, clock } = deps;

  async function issueToken(subject: {
    id: string;
    type: 'user' | 'servicePrincipal';
    mfa: boolean;
  }): Promise<TokenGrant> {
    const now = Math.floor(clock.now().getTime() / 1000);
    const accessToken = await new SignJWT({
      typ: subject.type,
      tid: deps.tenantId,
      oid: subject.id,
      amr: subject.mfa ? ['pwd', 'mfa'] : ['pwd'],
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(subject.id)
      .setIssuer(deps.issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setJti(deps.ids.newId())
      .setExpirationTime(now + deps.tokenTtlSeconds)
      .sign(deps.signingKey);
    return { accessToken, tokenType: 'Bearer', expiresIn: deps.tokenTtlSeconds };
  }

  async function recordSignIn(args: {
    actor: Actor;
    upn: string | null;
    appId?: string;
    success: boolean;
    reason: string | null;
    activity: string;
  }): Promise<void> {
    await db.transaction().execute((trx) =>
      deps.audit.append(trx, [
        {
          id: deps.ids.newId(),
          activityDateTime: clock.now(),
          category: 'Authentication',
          activityDisplayName: args.activity,
          operationType: 'Other',
          result: args.success ? 'success' : 'failure',
          resultReason: args.reason,
          loggedByService: 'Authentication',
          correlationId: null,
          initiatedBy: auditInitiator(args.actor, { userPrincipalName: args.upn, appId: args.appId }),
          targetResources: [
            {
              id: args.actor.id,
              displayName: args.actor.displayName,
              type: args.actor.type === 'user' ? 'User' : 'ServicePrincipal',
              ...(args.upn ? { userPrincipalName: args.upn } : {}),
              modifiedProperties: [],
            },
          ],
          additionalDetails: [],
        },
      ]),
    );
  }

  return {
    issueToken,

    /** Local password sign-in. Unknown user, wrong password and disabled account answer alike. */
    async signInWithPassword(input: { username: string; password: string }): Promise<TokenGrant> {
      const user = await db
        .selectFrom('users')
        .select([
          'id',
          'display_name',
          'user_principal_name',
          'password_hash',
          'account_enabled',
          'is_emergency_access',
        ])
        .where((eb) => eb(eb.fn('lower', ['user_principal_name']), '=', input.username.toLowerCase()))
        .executeTakeFirst();
      const ok = await verifyPassword(user?.password_hash, input.password);
      const refused = new ElevateError('auth.invalid_credentials', 'The user name or password is incorrect.');
      if (!user) throw refused;
      const actor: Actor = {
        id: user.id,
        type: 'user',
        displayName: user.display_name,
        roleIds: new Set(),
        mfa: false,
      };
      if (!ok || !user.account_enabled) {
        await recordSignIn({
          actor,
          upn: user.user_principal_name,
          success: false,
          reason: user.account_enabled ? 'Invalid password' : 'Account disabled',
          activity: 'User sign-in failed',
        });
        throw refused;
      }
      await recordSignIn({
        actor,
        upn: user.user_principal_name,
        success: true,
        reason: null,
        activity: user.is_emergency_access ? 'Emergency access account signed in' : 'User signed in',
      });
      return issueToken({ id: user.id, type: 'user', mfa: false });
    },

    /** OAuth2 client credentials for service principals: client_id is the appId, secrets are stored hashed. */
    async signInWithClientCredentials(input: {
      clientId: string;
      clientSecret: string;
    }): Promise<TokenGrant> {
      const refused = new ElevateError('auth.invalid_credentials', 'Invalid client credentials.');
      if (!/^[0-9a-f-]{36}$/i.test(input.clientId)) throw refused;
      const sp = await db
        .selectFrom('service_principals')
        .select(['id', 'display_name', 'app_id', 'account_enabled'])
        .where('app_id', '=', input.clientId.toLowerCase())
        .executeTakeFirst();
      if (!sp?.account_enabled) throw refused;
      const now = clock.now();
      const secrets = await db
        .selectFrom('service_principal_secrets')
        .select(['secret_hash'])
        .where('service_principal_id', '=', sp.id)
        .where('start_at', '<=', now)
        .where('end_at', '>', now)
        .execute();
      const presented = hashSecret(input.clientSecret);
      const match = secrets.some((s) => safeEqual(s.secret_hash, presented));
      const actor: Actor = {
        id: sp.id,
        type: 'servicePrincipal',
        displayName: sp.display_name,
        roleIds: new Set(),
        mfa: false,
      };
      await recordSignIn({
        actor,
        upn: null,
        appId: sp.app_id,
        success: match,
        reason: match ? null : 'Invalid client secret',
        activity: match ? 'Service principal signed in' : 'Service principal sign-in failed',
      });
      if (!match) throw refused;
      return issueToken({ id: sp.id, type: 'servicePrincipal', mfa: false });
    },

    /** Verifies a bearer token and loads the caller with the directory roles it holds at this instant. */
    async authenticate(token: string): Promise<Actor> {
      let claims: { sub?: string; typ?: unknown; amr?: unknown };
      try {
        const verified = await jwtVerify(token, deps.signingKey, {
          issuer: deps.issuer,
          audience,
          algorithms: ['HS256'],
          currentDate: clock.now(),
        });
        claims = verified.payload;
      } catch (error) {
        const expired = error instanceof joseErrors.JWTExpired;
        throw new ElevateError(
          'auth.unauthenticated',
          expired ? 'The access token has expired. Sign in again.' : 'The access token is invalid.',
        );
      }
      const id = claims.sub ?? '';
      const type = claims.typ === 'servicePrincipal' ? 'servicePrincipal' : 'user';
      const row =
        type === 'user'
          ? await db
              .selectFrom('users')
              .select(['display_name', 'account_enabled'])
              .where('id', '=', id)
              .executeTakeFirst()
          : await db
              .selectFrom('service_principals')
              .select(['display_name', 'account_enabled'])
              .where('id', '=', id)
              .executeTakeFirst();
      if (!row?.account_enabled) {
        throw new ElevateError(
          'auth.unauthenticated',
          'The account behind this token no longer exists or is disabled.',
        );
      }
      const groups = await memberGroupIds(db, id, true);
      const roleIds = await activeTenantRoleIds(db, [id, ...groups], clock.now());
      return {
        id,
        type,
        displayName: row.display_name,
        roleIds: new Set(roleIds),
        mfa: Array.isArray(claims.amr) && claims.amr.includes('mfa'),
      };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/** Client secrets are random and long, so one SHA-256 suffices; never stored in clear. */
export const hashSecret = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex');

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
