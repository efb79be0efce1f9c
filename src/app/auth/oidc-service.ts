import { timingSafeEqual } from 'node:crypto';
import { ElevateError } from '../../core/errors.js';
import type { AcrFallback } from '../../core/requests/decision.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext } from '../context.js';
import type { OidcProvider } from '../ports/oidc-provider.js';
import type { TokenGrant } from './auth-service.js';
import { loopbackRedirect } from './loopback-redirect.js';
import type { OidcMatchClaim } from './oidc-identities.js';
import { completeOidcSignIn, type FederatedSubject } from './oidc-sign-in.js';
import {
  newOidcSecrets,
  oidcStateTtlSeconds,
  type PendingOidc,
  savePendingOidc,
  takePendingOidc,
} from './oidc-states.js';
import { completeOidcStepUp, contextRuleOf } from './oidc-step-up.js';
import type { VerifiedSignIn } from './password-sign-in.js';
import { portalReturnPath } from './portal-return-path.js';
import type { StartedSession } from './portal-sessions.js';
import type { SecretBox } from './secret-box.js';
import type { StepUpTarget } from './step-up-proofs.js';
import type { StepUpGrant } from './step-up-service.js';

/** OIDC single sign-on as configured (ELEVATE_OIDC_*). */
export interface OidcSettings {
  readonly provider: OidcProvider;
  readonly matchClaim: OidcMatchClaim;
  readonly createUsers: boolean;
}

interface OidcDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids'> {
  readonly audit: AuditWriter;
  /** Seals the PKCE verifiers kept between the redirect and the callback. */
  readonly secrets: SecretBox;
  /** Undefined when single sign-on is not configured: every call then says so. */
  readonly settings: OidcSettings | undefined;
  readonly issueToken: (subject: FederatedSubject) => Promise<TokenGrant>;
  /** Starts a portal (cookie) session, as a password sign-in does. */
  readonly startSession: (signIn: VerifiedSignIn & { authTime?: Date }) => Promise<StartedSession>;
  readonly stepUpMaxAgeSeconds: number;
  readonly acrFallback: AcrFallback;
}

/** Where the browser goes next, and until when the request may be completed there. */
export interface OidcStart {
  readonly authorizationUrl: string;
  readonly expiresAt: Date;
}

/**
 * The result of a callback. `redirectUri` is the loopback address the flow was started for (the CLI's), where the
 * result or the refusal goes; `portalPath` the portal's page a portal sign-in returns to; both null when the
 * caller takes JSON. A refusal after the state was found is data here, so it can go to the loopback address or
 * the portal too; one before (no or unknown state) is thrown.
 */
export type OidcCompletion = { readonly redirectUri: string | null; readonly portalPath: string | null } & (
  | { readonly kind: 'signIn'; readonly grant: TokenGrant }
  | { readonly kind: 'portalSession'; readonly session: StartedSession }
  | { readonly kind: 'stepUp'; readonly grant: StepUpGrant }
  | { readonly kind: 'failed'; readonly error: ElevateError }
);

const sameBytes = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

const notConfigured = () =>
  new ElevateError(
    'resource.not_found',
    'Single sign-on is not configured on this server (ELEVATE_OIDC_ISSUER); sign in with a local account (POST /api/auth/token).',
  );

/**
 * Single sign-on and step-up through an OpenID provider: authorization code flow with PKCE (S256), `state` and
 * `nonce` kept server-side, single-use, for ten minutes (oidc-states.ts). Sign-in issues Elevate's own access token
 * (oidc-sign-in.ts); a step-up asks the provider to authenticate again (`prompt=login`, `max_age`, `acr_values`
 * for an authentication context) and mints a step-up proof for one target (oidc-step-up.ts).
 */
export function createOidcService(deps: OidcDeps) {
  const { db, clock, ids } = deps;

  function settings(): OidcSettings {
    if (!deps.settings) throw notConfigured();
    return deps.settings;
  }

  /** A sign-in's authorization request, kept as pending until its callback: for JSON, the CLI or the portal. */
  async function beginSignIn(
    where: Pick<PendingOidc, 'redirectUri' | 'portalPath'>,
  ): Promise<OidcStart & { state: string }> {
    const { provider } = settings();
    const secrets = newOidcSecrets();
    const authorizationUrl = await provider.authorizationUrl(secrets);
    const now = clock.now();
    await savePendingOidc(db, {
      id: ids.newId(),
      now,
      box: deps.secrets,
      secrets,
      request: {
        purpose: 'signIn',
        ...where,
        userId: null,
        target: null,
        maxAgeSeconds: null,
        acrValues: null,
      },
    });
    const expiresAt = new Date(now.getTime() + oidcStateTtlSeconds * 1000);
    return { authorizationUrl, expiresAt, state: secrets.state };
  }

  return {
    /** Whether single sign-on is configured. */
    enabled: deps.settings !== undefined,

    /** What the portal shows on its button: the provider's host name; null without single sign-on. */
    label: deps.settings ? new URL(deps.settings.provider.issuer).host : null,

    /** Starts a sign-in: the provider's URL; the result returns to `redirectUri` (loopback only) or as JSON. */
    async startSignIn(input: { redirectUri?: string }): Promise<OidcStart> {
      const redirectUri = input.redirectUri === undefined ? null : loopbackRedirect(input.redirectUri);
      const { authorizationUrl, expiresAt } = await beginSignIn({ redirectUri, portalPath: null });
      return { authorizationUrl, expiresAt };
    },

    /**
     * Starts a sign-in for the portal: the callback starts a cookie session and returns to `returnTo` (a path of
     * the portal). `binding` (the state) goes into a cookie of the browser that started it: the callback completes
     * only in that browser, so nobody can slip their own finished sign-in into someone else's (login CSRF).
     */
    async startPortalSignIn(input: { returnTo?: string }): Promise<OidcStart & { binding: string }> {
      const portalPath = portalReturnPath(input.returnTo);
      const { authorizationUrl, expiresAt, state } = await beginSignIn({ redirectUri: null, portalPath });
      return { authorizationUrl, expiresAt, binding: state };
    },

    /**
     * Starts a step-up for one target by re-authentication at the provider: `prompt=login`,
     * `max_age=ELEVATE_STEP_UP_MAX_AGE`, and `acr_values` with the claimValue when the target's
     * authentication-context rule is on.
     */
    async startStepUp(
      ctx: CallContext,
      input: { target: StepUpTarget; redirectUri?: string },
    ): Promise<OidcStart & { maxAgeSeconds: number; acrValues: string | null }> {
      const { actor } = ctx;
      if (actor.type !== 'user' || actor.isSystem) {
        throw new ElevateError(
          'request.invalid',
          'Only users step up; service principals have no second factor.',
        );
      }
      if (actor.personalAccessToken) {
        throw new ElevateError(
          'auth.forbidden',
          'A personal access token cannot step up; sign in to activate roles that require MFA.',
        );
      }
      const { provider } = settings();
      const redirectUri = input.redirectUri === undefined ? null : loopbackRedirect(input.redirectUri);
      const rule = await contextRuleOf(db, input.target);
      const acrValues = rule?.claimValue ?? null;
      const maxAgeSeconds = deps.stepUpMaxAgeSeconds;
      const secrets = newOidcSecrets();
      const authorizationUrl = await provider.authorizationUrl({
        ...secrets,
        maxAgeSeconds,
        forceLogin: true,
        ...(acrValues ? { acrValues } : {}),
      });
      const now = clock.now();
      await savePendingOidc(db, {
        id: ids.newId(),
        now,
        box: deps.secrets,
        secrets,
        request: {
          purpose: 'stepUp',
          redirectUri,
          portalPath: null,
          userId: actor.id,
          target: input.target,
          maxAgeSeconds,
          acrValues,
        },
      });
      return {
        authorizationUrl,
        expiresAt: new Date(now.getTime() + oidcStateTtlSeconds * 1000),
        maxAgeSeconds,
        acrValues,
      };
    },

    /**
     * Completes a sign-in or step-up from the provider's callback (its raw query string): takes the pending request
     * by `state` (once), redeems the code and validates the ID token, then carries out what was started. A portal
     * sign-in completes only with the `binding` its browser was given at the start.
     */
    async complete(input: {
      query: string;
      state: string | undefined;
      binding?: string | undefined;
    }): Promise<OidcCompletion> {
      const { provider, matchClaim, createUsers } = settings();
      if (!input.state) {
        throw new ElevateError('request.invalid', 'The callback carries no state; start the sign-in again.');
      }
      const pending = await takePendingOidc(db, { state: input.state, now: clock.now(), box: deps.secrets });
      if (!pending) {
        throw new ElevateError(
          'request.invalid',
          `This sign-in is unknown, was already completed, or is older than ${oidcStateTtlSeconds / 60} minutes; start it again.`,
        );
      }
      const { redirectUri, portalPath } = pending;
      const state = input.state;
      try {
        if (portalPath !== null && !(input.binding && sameBytes(input.binding, state))) {
          throw new ElevateError(
            'auth.forbidden',
            'This sign-in was started in another browser, or this browser lost its cookie; start it again from the sign-in page.',
          );
        }
        const auth = await provider.redeem(
          { query: input.query },
          { state, nonce: pending.nonce, codeVerifier: pending.codeVerifier },
        );
        if (pending.purpose === 'stepUp' && pending.userId && pending.target) {
          const grant = await completeOidcStepUp(
            { db, clock, ids, audit: deps.audit, matchClaim, acrFallback: deps.acrFallback },
            { ...pending, userId: pending.userId, target: pending.target },
            auth,
          );
          return { kind: 'stepUp', redirectUri, portalPath, grant };
        }
        const signIn = { db, clock, ids, audit: deps.audit, matchClaim, createUsers };
        if (portalPath !== null) {
          // An authentication of unknown age (no auth_time) starts the session at the epoch: its MFA never counts as recent.
          const session = await completeOidcSignIn(signIn, auth, (subject) =>
            deps.startSession({
              id: subject.id,
              type: 'user',
              amr: subject.amr,
              authTime: subject.authTime ?? new Date(0),
            }),
          );
          return { kind: 'portalSession', redirectUri, portalPath, session };
        }
        const grant = await completeOidcSignIn(signIn, auth, deps.issueToken);
        return { kind: 'signIn', redirectUri, portalPath, grant };
      } catch (error) {
        if (error instanceof ElevateError) return { kind: 'failed', redirectUri, portalPath, error };
        throw error;
      }
    },
  };
}

export type OidcService = ReturnType<typeof createOidcService>;
