import { createHash, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { ElevateError } from '../../core/errors.js';
import type { Actor } from '../../core/model/principal.js';
import type { AccessIndexSync } from '../access/access-index-sync.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps } from '../context.js';
import type { Announcer } from '../events/announcer.js';
import { auditInitiator } from '../shared/audit-initiator.js';
import { createAccountCache } from './account-cache.js';
import { showsMultiFactor } from './amr.js';
import { createPasswordChange } from './password-change.js';
import { createPasswordSignIn, type PasswordSignIn } from './password-sign-in.js';
import { type PersonalAccessTokenService, patPrefix } from './personal-access-token-service.js';
import type { PortalSessionService, ResolvedSession, StartedSession } from './portal-sessions.js';
import type { SecretBox } from './secret-box.js';
import { createVerifiedTokens } from './verified-tokens.js';
import type { RelyingParty } from './webauthn.js';

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
  /** How recent a token's multi-factor sign-in must be to satisfy admin-assignment MFA rules. */
  readonly stepUpMaxAgeSeconds: number;
  readonly secrets: SecretBox;
  readonly personalAccessTokens: PersonalAccessTokenService;
  /** The WebAuthn relying party passkeys are registered with. */
  readonly rp: RelyingParty;
  readonly announcer?: Announcer;
  readonly sessions: PortalSessionService;
  /** The access index: the caller's directory roles, and when a cached account must be read again. */
  readonly accessIndex: AccessIndexSync;
}

const audience = 'elevate';

type Claims = { sub?: string; typ?: unknown; amr?: unknown; auth_time?: unknown; exp?: number };

/** Sign-in (password, client credentials), access tokens, and resolving a token to the calling Actor. */
export function createAuthService(deps: AuthDeps) {
  const { db, clock } = deps;

  /**
   * Signs an access token. `amr` lists how the subject signed in (RFC 8176: `pwd`, `otp`, …); `mfa: true` is
   * shorthand for password plus one-time code. `auth_time` is when that sign-in happened: now, or for a single
   * sign-on the provider's `authTime` (none when it did not say, so its MFA never counts as recent); `acr` and
   * `idp` (the provider's issuer) are carried for a single sign-on.
   */
  async function issueToken(subject: {
    id: string;
    type: 'user' | 'servicePrincipal';
    mfa?: boolean;
    amr?: readonly string[];
    authTime?: Date | null;
    acr?: string | null;
    idp?: string;
  }): Promise<TokenGrant> {
    const now = Math.floor(clock.now().getTime() / 1000);
    const authTime =
      subject.authTime === undefined
        ? now
        : subject.authTime === null
          ? undefined
          : Math.floor(subject.authTime.getTime() / 1000);
    const accessToken = await new SignJWT({
      typ: subject.type,
      tid: deps.tenantId,
      oid: subject.id,
      amr: subject.amr ?? (subject.mfa ? ['pwd', 'otp'] : ['pwd']),
      ...(authTime !== undefined ? { auth_time: authTime } : {}),
      ...(subject.acr ? { acr: subject.acr } : {}),
      ...(subject.idp ? { idp: subject.idp } : {}),
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

  async function verifyAccessToken(token: string): Promise<Claims> {
    try {
      const verified = await jwtVerify(token, deps.signingKey, {
        issuer: deps.issuer,
        audience,
        algorithms: ['HS256'],
        currentDate: clock.now(),
      });
      return verified.payload;
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired;
      throw new ElevateError(
        'auth.unauthenticated',
        expired ? 'The access token has expired. Sign in again.' : 'The access token is invalid.',
      );
    }
  }

  /** Verified tokens are remembered until they expire (verified-tokens.ts). */
  const verifiedClaims = createVerifiedTokens(verifyAccessToken);

  const passwordSignIn = createPasswordSignIn(deps);

  // Accounts are read once per change to the database (any commit, or another instance's notification).
  const account = createAccountCache(async (type, id) => {
    const row = await db
      .selectFrom(type === 'user' ? 'users' : 'service_principals')
      .select(['display_name', 'account_enabled'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row && { displayName: row.display_name, accountEnabled: row.account_enabled };
  }, deps.accessIndex.generation);

  /**
   * The caller behind verified claims (a token's, or a session's), with the directory roles held now: from the
   * access index once it has applied every change committed before the call, so the common case reads nothing
   * from the database and a role that expired or was deactivated no longer counts.
   */
  async function actorFor(claims: Claims, pat?: Actor['personalAccessToken']): Promise<Actor> {
    const id = claims.sub ?? '';
    const type = claims.typ === 'servicePrincipal' ? 'servicePrincipal' : 'user';
    const index = await deps.accessIndex.fresh();
    const row = await account(type, id);
    if (!row?.accountEnabled) {
      throw new ElevateError(
        'auth.unauthenticated',
        'The account behind this token no longer exists or is disabled.',
      );
    }
    // Roles come with membership at this instant, static or activated through PIM for Groups.
    const at = clock.now();
    return {
      id,
      type,
      displayName: row.displayName,
      roleIds: new Set(index.tenantDirectoryRoles(id, at.getTime())),
      mfa: freshMultiFactor(claims, at, deps.stepUpMaxAgeSeconds),
      ...(pat ? { personalAccessToken: { id: pat.id, scopes: pat.scopes } } : {}),
    };
  }

  return {
    issueToken,

    /** Local password sign-in (with the second factor, lockout and audit) for a bearer token: see password-sign-in.ts. */
    async signInWithPassword(input: PasswordSignIn): Promise<TokenGrant> {
      return issueToken(await passwordSignIn.verify(input));
    },

    /** Local password sign-in for a portal session (HttpOnly cookie): the same checks as `signInWithPassword`. */
    async startSessionWithPassword(input: PasswordSignIn): Promise<StartedSession> {
      return deps.sessions.start(await passwordSignIn.verify(input));
    },

    /** The first step of a passkey sign-in: password checked, options with a single-use challenge. */
    passkeySignInOptions: passwordSignIn.passkeyOptions,

    /** Sign-out: ends a portal session on the server. */
    endSession: (sessionId: string) => deps.sessions.end(sessionId),

    /** The portal's origin (ELEVATE_PUBLIC_URL): what a cookie-authenticated change's Origin must be. */
    portalOrigin: deps.rp.origin,

    /** The portal sessions' timeouts. */
    sessionTimeouts: { idleMinutes: deps.sessions.idleMinutes, maxHours: deps.sessions.maxHours },

    /** A user changes their own password; their other portal sessions end (password-change.ts). */
    changePassword: createPasswordChange(deps),

    /** The caller behind a portal session cookie, and the session (its CSRF token, its ends); undefined when ended. */
    async authenticateSession(
      sessionId: string,
    ): Promise<{ actor: Actor; session: ResolvedSession } | undefined> {
      const session = await deps.sessions.resolve(sessionId);
      if (!session) return undefined;
      const actor = await actorFor({
        sub: session.userId,
        typ: 'user',
        amr: [...session.amr],
        auth_time: Math.floor(session.authTime.getTime() / 1000),
      });
      return { actor, session };
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
      // A personal access token stands for its user, with no sign-in (so no MFA) behind it.
      const pat = token.startsWith(patPrefix) ? await deps.personalAccessTokens.resolve(token) : undefined;
      const claims: Claims = pat
        ? { sub: pat.userId, typ: 'user' }
        : await verifiedClaims(token, clock.now());
      return actorFor(claims, pat);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/** A multi-factor sign-in (amr) no older than `maxAgeSeconds` (auth_time): what admin MFA rules accept. */
function freshMultiFactor(claims: { amr?: unknown; auth_time?: unknown }, now: Date, maxAgeSeconds: number) {
  if (!Array.isArray(claims.amr) || !showsMultiFactor(claims.amr)) return false;
  if (typeof claims.auth_time !== 'number') return false;
  return now.getTime() / 1000 - claims.auth_time <= maxAgeSeconds;
}

/** Client secrets are random and long, so one SHA-256 suffices; never stored in clear. */
export const hashSecret = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex');

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
