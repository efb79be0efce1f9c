import type { AuditDetail } from '../../core/audit/audit-record.js';
import { ElevateError, type RuleViolation } from '../../core/errors.js';
import type { AuthenticationContextRule } from '../../core/model/policy.js';
import { contextShortfall } from '../../core/requests/authentication-context.js';
import type { AcrFallback } from '../../core/requests/decision.js';
import { policyViolation } from '../../core/requests/policy-violation.js';
import { toPolicy } from '../../db/repositories/policy-repository.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, Executor } from '../context.js';
import type { OidcAuthentication } from '../ports/oidc-provider.js';
import { showsMultiFactor } from './amr.js';
import { authAudit } from './auth-audit.js';
import type { OidcMatchClaim } from './oidc-identities.js';
import { resolveOidcUser } from './oidc-identities.js';
import type { PendingOidc } from './oidc-states.js';
import { newStepUpProof, type StepUpTarget } from './step-up-proofs.js';
import type { StepUpGrant } from './step-up-service.js';

/**
 * The authentication-context rule of a target's settings as stored now; off when the target has no settings of
 * its own yet (every default leaves it off). Read-only: a step-up never creates settings.
 */
export async function contextRuleOf(
  db: Executor,
  target: StepUpTarget,
): Promise<AuthenticationContextRule | null> {
  const row = await db
    .selectFrom('role_management_policies')
    .selectAll()
    .where('target_kind', '=', target.targetKind)
    .where('role_definition_id', '=', target.roleDefinitionId)
    .where('scope_id', '=', target.scopeId)
    .executeTakeFirst();
  const rule = row ? toPolicy(row).rules.AuthenticationContext_EndUser_Assignment : undefined;
  return rule?.isEnabled ? rule : null;
}

/** The audit details naming a step-up's target. */
function stepUpTargetDetails(target: StepUpTarget): AuditDetail[] {
  if (target.targetKind === 'group') {
    return [
      { key: 'TargetKind', value: 'group' },
      { key: 'AccessId', value: target.roleDefinitionId },
      { key: 'GroupId', value: target.scopeId },
    ];
  }
  return [
    { key: 'TargetKind', value: target.targetKind },
    { key: 'RoleDefinitionId', value: target.roleDefinitionId },
    { key: target.targetKind === 'directoryRole' ? 'DirectoryScopeId' : 'Scope', value: target.scopeId },
  ];
}

interface OidcStepUpDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids'> {
  readonly audit: AuditWriter;
  readonly matchClaim: OidcMatchClaim;
  readonly acrFallback: AcrFallback;
}

const mfaRuleId = 'Enablement_EndUser_Assignment';

/**
 * Completes a step-up at the provider (its callback): the person who authenticated must be the user who asked,
 * their authentication at most `max_age` old by `auth_time`, its `amr` must show MFA and, when the target's
 * authentication-context rule is on, its `acr` must satisfy it (contextShortfall: equal to the claimValue, or
 * absent under the `mfa` fallback). Then it mints the same single-use proof a TOTP step-up does, bound to the
 * target, method `oidc`, made at `auth_time` and carrying the `acr`. A refusal is the activation's own
 * (`MfaRule`, or `AcrsRule` as RoleAssignmentRequestAcrsValidationFailed) with the RFC 9470 challenge.
 */
export async function completeOidcStepUp(
  deps: OidcStepUpDeps,
  pending: PendingOidc & { userId: string; target: StepUpTarget },
  auth: OidcAuthentication,
): Promise<StepUpGrant> {
  const { db, clock, ids } = deps;
  const now = clock.now();
  const target = pending.target;
  const maxAgeSeconds = pending.maxAgeSeconds ?? 300;

  const outcome = await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'display_name', 'user_principal_name'])
      .where('id', '=', pending.userId)
      .executeTakeFirstOrThrow();
    const subject = {
      id: user.id,
      displayName: user.display_name,
      type: 'User' as const,
      userPrincipalName: user.user_principal_name,
    };
    const rule = await contextRuleOf(trx, target);
    const details: AuditDetail[] = [
      { key: 'AuthenticationMethod', value: 'Identity provider (OIDC)' },
      { key: 'IdentityProvider', value: auth.issuer },
      ...(auth.amr.length ? [{ key: 'AuthenticationMethodsReferences', value: auth.amr.join(', ') }] : []),
      ...(auth.acr ? [{ key: 'AuthenticationContext', value: auth.acr }] : []),
      ...stepUpTargetDetails(target),
    ];
    const refuse = async (reason: string, error: ElevateError) => {
      await deps.audit.append(trx, [
        authAudit({
          id: ids.newId(),
          at: now,
          activity: 'User step-up authentication failed',
          success: false,
          reason,
          subject,
          details,
        }),
      ]);
      return { ok: false as const, error };
    };

    const resolved = await resolveOidcUser(trx, {
      auth,
      matchClaim: deps.matchClaim,
      createUsers: false,
      now,
      newId: () => ids.newId(),
    });
    if (resolved.kind !== 'user' || resolved.user.id !== user.id) {
      const who = resolved.kind === 'user' ? resolved.user.userPrincipalName : 'an account no user matches';
      return refuse(
        'Different account at the identity provider',
        new ElevateError(
          'auth.forbidden',
          `You authenticated at the identity provider as ${who}, not as ${user.user_principal_name} who asked for this step-up; sign in there as yourself.`,
        ),
      );
    }

    const challenge = { acrValues: rule?.claimValue ?? null, maxAgeSeconds };
    const violated = (violations: RuleViolation[]) => {
      const base = policyViolation(violations);
      return new ElevateError(base.code, base.message, { ...base.details, stepUp: challenge });
    };
    const mfaViolation = (message: string): RuleViolation[] => [
      { ruleId: mfaRuleId, reason: 'MfaRule', message: `${message} (rule ${mfaRuleId}).` },
    ];
    if (auth.authTime === null) {
      return refuse(
        'No authentication time',
        violated(mfaViolation('The identity provider did not say when you authenticated (auth_time)')),
      );
    }
    const age = Math.floor((now.getTime() - auth.authTime.getTime()) / 1000);
    if (age > maxAgeSeconds) {
      return refuse(
        'Authentication too old',
        violated(
          mfaViolation(
            `The identity provider's authentication is ${age} s old; a step-up needs one at most ${maxAgeSeconds} s old, so sign in at the provider again`,
          ),
        ),
      );
    }
    if (!showsMultiFactor(auth.amr)) {
      const amr = auth.amr.length ? auth.amr.join(', ') : 'none';
      return refuse(
        'No multi-factor authentication',
        violated(
          mfaViolation(
            `The identity provider's authentication shows no multi-factor method (amr: ${amr}); a step-up needs MFA`,
          ),
        ),
      );
    }
    const shortfall = rule
      ? contextShortfall(rule, { mfa: true, acr: auth.acr, fallback: deps.acrFallback })
      : null;
    if (rule && shortfall) {
      const context = rule.claimValue ? ` '${rule.claimValue}'` : '';
      return refuse(
        'Authentication context not satisfied',
        violated([
          {
            ruleId: rule.id,
            reason: 'AcrsRule',
            message: `The step-up requires the authentication context${context}, ${shortfall} (rule ${rule.id}).`,
          },
        ]),
      );
    }

    const { proof, hash } = newStepUpProof();
    await trx
      .insertInto('step_up_proofs')
      .values({
        id: ids.newId(),
        user_id: user.id,
        proof_hash: hash,
        target_type: target.targetKind,
        target_id: target.roleDefinitionId,
        target_scope: target.scopeId,
        method: 'oidc',
        authenticated_at: auth.authTime,
        consumed_at: null,
        consumed_by: null,
        acr: auth.acr,
      })
      .execute();
    await deps.audit.append(trx, [
      authAudit({
        id: ids.newId(),
        at: now,
        activity: 'User completed step-up authentication',
        success: true,
        subject,
        details,
      }),
    ]);
    return { ok: true as const, proof, authenticatedAt: auth.authTime };
  });
  if (!outcome.ok) throw outcome.error;
  return {
    proof: outcome.proof,
    target,
    expiresAt: new Date(outcome.authenticatedAt.getTime() + maxAgeSeconds * 1000),
    maxAgeSeconds,
  };
}
