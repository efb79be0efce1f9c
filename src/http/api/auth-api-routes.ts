import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PersonalAccessToken } from '../../app/auth/personal-access-token-service.js';
import type { StepUpTarget } from '../../app/auth/step-up-proofs.js';
import {
  mfaStatusSchema,
  oidcStepUpBodySchema,
  oidcStepUpStartSchema,
  passkeyOptionsSchema,
  passkeyStepUpOptionsBodySchema,
  patCreateBodySchema,
  patCreatedSchema,
  patSchema,
  recoveryCodesSchema,
  stepUpBodySchema,
  stepUpHeader,
  stepUpResponseSchema,
  totpEnrolmentSchema,
  totpRemoveBodySchema,
  totpVerifyBodySchema,
} from '../../contracts/auth-schemas.js';
import { canonicalScopeId } from '../../core/scope/resource-scope.js';
import { registerAccountApiRoutes } from '../auth/account-api-routes.js';
import { callContext } from '../graph/call-context.js';
import type { ApiRouteRegistrar } from './api-route-types.js';

const tags = ['auth'];
const idParam = z.object({ id: z.string().min(1).max(200) });
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const patWire = (t: PersonalAccessToken) => ({
  id: t.id,
  name: t.name,
  hint: t.hint,
  scopes: [...t.scopes],
  createdDateTime: t.createdDateTime.toISOString(),
  expiresDateTime: t.expiresDateTime.toISOString(),
  revokedDateTime: iso(t.revokedDateTime),
  lastUsedDateTime: iso(t.lastUsedDateTime),
});

const statusWire = (s: {
  totp: 'none' | 'pending' | 'confirmed';
  confirmedDateTime: Date | null;
  recoveryCodesLeft: number;
  passkeys: number;
}) => ({
  totp: s.totp,
  confirmedDateTime: iso(s.confirmedDateTime),
  recoveryCodesLeft: s.recoveryCodesLeft,
  passkeys: s.passkeys,
});

/** The step-up target a body names: a directory role at a scope, a group's access, or an Azure role at a scope. */
function targetOf(
  b:
    | { roleDefinitionId: string; directoryScopeId: string }
    | { groupId: string; accessId: 'member' | 'owner' }
    | { roleDefinitionId: string; scope: string },
): StepUpTarget {
  if ('groupId' in b) return { targetKind: 'group', roleDefinitionId: b.accessId, scopeId: b.groupId };
  if ('scope' in b) {
    // As the ARM request names it: the role's GUID and the canonical scope (resource-scope.ts).
    return {
      targetKind: 'resourceRole',
      roleDefinitionId: (b.roleDefinitionId.split('/').pop() ?? '').toLowerCase(),
      scopeId: canonicalScopeId(b.scope),
    };
  }
  return { targetKind: 'directoryRole', roleDefinitionId: b.roleDefinitionId, scopeId: b.directoryScopeId };
}

/**
 * The caller's second factors (`/me/mfa`), step-up proofs (`/me/step-up`), personal access tokens
 * (`/me/tokens`), and an administrator's view and reset of a user's factors (`/users/{id}/mfa`). Secrets
 * appear once, in the answer that creates them; response schemas strip anything else.
 */
export const registerAuthApiRoutes: ApiRouteRegistrar = async (app, services) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  await registerAccountApiRoutes(app, services);

  r.get(
    '/me/mfa',
    {
      schema: {
        summary: 'My second factors (never their secrets)',
        tags,
        response: { 200: mfaStatusSchema },
      },
    },
    async (req) => statusWire(await services.mfa.status(callContext(req))),
  );

  r.post(
    '/me/mfa/totp',
    {
      schema: {
        summary: 'Start enrolling an authenticator app: the TOTP seed and otpauth:// URI, shown this once',
        tags,
        response: { 201: totpEnrolmentSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await services.mfa.startTotp(callContext(req))),
  );

  r.post(
    '/me/mfa/totp/verify',
    {
      schema: {
        summary:
          'Confirm the authenticator app with its current code; answers ten single-use recovery codes, shown once',
        tags,
        body: totpVerifyBodySchema,
        response: { 200: recoveryCodesSchema },
      },
    },
    async (req) => services.mfa.confirmTotp(callContext(req), req.body.code),
  );

  r.delete(
    '/me/mfa/totp',
    {
      schema: {
        summary: 'Remove my authenticator app and recovery codes (needs a current code or a recovery code)',
        tags,
        body: totpRemoveBodySchema,
      },
    },
    async (req, reply) => {
      const b = req.body;
      await services.mfa.removeTotp(
        callContext(req),
        b.code !== undefined ? { totp: b.code } : { recoveryCode: b.recoveryCode ?? '' },
      );
      return reply.status(204).send();
    },
  );

  r.post(
    '/me/step-up',
    {
      schema: {
        summary: `Step up for one activation: a fresh TOTP code or passkey answer yields a single-use proof bound to the target, sent as the ${stepUpHeader} header`,
        tags,
        body: stepUpBodySchema,
        response: { 201: stepUpResponseSchema },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const target = targetOf(b);
      const grant = await services.stepUp.stepUp(
        callContext(req),
        b.passkey ? { target, passkey: b.passkey } : { target, totp: b.totp ?? '' },
      );
      return reply.status(201).send({
        proof: grant.proof,
        expiresDateTime: grant.expiresAt.toISOString(),
        maxAgeSeconds: grant.maxAgeSeconds,
      });
    },
  );

  r.post(
    '/me/step-up/passkey/options',
    {
      schema: {
        summary:
          'Step up with a passkey, first step: WebAuthn options whose single-use challenge is bound to the target',
        description:
          'Give the options to `navigator.credentials.get()` and send its answer as `passkey` (with the same target) to POST /api/v1/me/step-up. An answer for another target, or a second use of one, is refused.',
        tags,
        body: passkeyStepUpOptionsBodySchema,
        response: { 200: passkeyOptionsSchema },
      },
    },
    async (req) => ({ ...(await services.passkeys.stepUpOptions(callContext(req), targetOf(req.body))) }),
  );

  r.post(
    '/me/step-up/oidc',
    {
      schema: {
        summary:
          'Step up for one activation at the OpenID provider: answers the URL where the person authenticates again (prompt=login, max_age, acr_values)',
        description: `The provider's callback checks that auth_time is at most ELEVATE_STEP_UP_MAX_AGE old, that amr shows MFA and, when the target's authentication-context rule is on, that acr equals its claimValue; it then mints the same single-use proof as POST /me/step-up (send it as the ${stepUpHeader} header). The proof goes to the loopback \`redirectUri\` in the URL fragment (\`proof\`, \`expires_at\`, \`max_age\`), or is answered as JSON by the callback. Refusals: MfaRule (stale or no MFA), AcrsRule as \`policy.acrs_required\` (wrong acr), each with the RFC 9470 challenge.`,
        tags,
        body: oidcStepUpBodySchema,
        response: { 201: oidcStepUpStartSchema },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const target =
        'groupId' in b
          ? { targetKind: 'group' as const, roleDefinitionId: b.accessId, scopeId: b.groupId }
          : {
              targetKind: 'directoryRole' as const,
              roleDefinitionId: b.roleDefinitionId,
              scopeId: b.directoryScopeId,
            };
      const start = await services.oidc.startStepUp(callContext(req), {
        target,
        ...(b.redirectUri !== undefined ? { redirectUri: b.redirectUri } : {}),
      });
      return reply.status(201).send({
        authorizationUrl: start.authorizationUrl,
        expiresDateTime: start.expiresAt.toISOString(),
        maxAgeSeconds: start.maxAgeSeconds,
        acrValues: start.acrValues,
      });
    },
  );

  r.get(
    '/me/tokens',
    {
      schema: {
        summary: 'My personal access tokens (without their secrets)',
        tags,
        response: { 200: z.object({ value: z.array(patSchema) }) },
      },
    },
    async (req) => ({ value: (await services.personalAccessTokens.list(callContext(req))).map(patWire) }),
  );

  r.post(
    '/me/tokens',
    {
      schema: {
        summary: 'Create a personal access token (elv_pat_…), shown this once; stored hashed',
        tags,
        body: patCreateBodySchema,
        response: { 201: patCreatedSchema },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const created = await services.personalAccessTokens.create(callContext(req), {
        name: b.name,
        expiresInDays: b.expiresInDays,
        ...(b.scopes ? { scopes: b.scopes } : {}),
      });
      return reply.status(201).send({ ...patWire(created), token: created.token });
    },
  );

  r.delete(
    '/me/tokens/:id',
    { schema: { summary: 'Revoke one of my personal access tokens', tags, params: idParam } },
    async (req, reply) => {
      await services.personalAccessTokens.revoke(callContext(req), req.params.id);
      return reply.status(204).send();
    },
  );

  r.get(
    '/users/:id/mfa',
    {
      schema: {
        summary: "A user's second factors, for the administrators who may reset them",
        tags,
        params: idParam,
        response: { 200: mfaStatusSchema },
      },
    },
    async (req) => statusWire(await services.mfa.statusOf(callContext(req), req.params.id)),
  );

  r.post(
    '/users/:id/mfa/reset',
    {
      schema: {
        summary:
          "Reset a user's second factors (Global, Privileged Authentication or Authentication Administrator); audited",
        tags,
        params: idParam,
      },
    },
    async (req, reply) => {
      await services.mfa.resetFactors(callContext(req), req.params.id);
      return reply.status(204).send();
    },
  );
};
