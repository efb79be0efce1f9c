import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { ElevateError } from '../../core/errors.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext } from '../context.js';
import { authAudit } from './auth-audit.js';
import { methodName, refusalFor, type SecondFactorInput, verifySecondFactor } from './second-factor.js';
import type { SecretBox } from './secret-box.js';
import { lockedError, lockedUntil, lockoutAudit, recordFailure, recordSuccess } from './sign-in-throttle.js';
import { newStepUpProof, type StepUpTarget } from './step-up-proofs.js';
import type { RelyingParty } from './webauthn.js';

export interface StepUpGrant {
  /** Single-use; send it as the `x-elevate-step-up` header of the request it was made for. */
  readonly proof: string;
  readonly target: StepUpTarget;
  readonly expiresAt: Date;
  readonly maxAgeSeconds: number;
}

interface StepUpDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids'> {
  readonly audit: AuditWriter;
  readonly secrets: SecretBox;
  readonly maxAgeSeconds: number;
  readonly rp: RelyingParty;
}

/** A fresh second factor for one target: a TOTP code, or a passkey's answer to that target's challenge. */
export type StepUpInput =
  | { readonly target: StepUpTarget; readonly totp: string }
  | { readonly target: StepUpTarget; readonly passkey: AuthenticationResponseJSON };

/**
 * Step-up at activation: a fresh second factor, checked now, answers a single-use proof bound to the caller and
 * one target and good for `maxAgeSeconds`. Unlike Entra, where MFA done earlier in the session satisfies the
 * rule, only such a proof satisfies an activation's MFA and authentication-context rules (reliability T7).
 * Wrong codes count toward the account's lockout.
 */
export function createStepUpService(deps: StepUpDeps) {
  const { db, clock, ids, audit } = deps;

  return {
    maxAgeSeconds: deps.maxAgeSeconds,

    async stepUp(ctx: CallContext, input: StepUpInput): Promise<StepUpGrant> {
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
          'A personal access token cannot step up; sign in with your password and authenticator app to activate roles that require MFA.',
        );
      }
      const user = await db
        .selectFrom('users')
        .select(['id', 'display_name', 'user_principal_name'])
        .where('id', '=', actor.id)
        .executeTakeFirstOrThrow();
      const subject = {
        id: user.id,
        displayName: user.display_name,
        type: 'User' as const,
        userPrincipalName: user.user_principal_name,
      };
      const now = clock.now();
      const locked = await lockedUntil(db, actor.id, now);
      if (locked) throw lockedError(locked, now);

      const { target } = input;
      const targetDetails = [
        { key: 'TargetKind', value: target.targetKind },
        {
          key: target.targetKind === 'group' ? 'AccessId' : 'RoleDefinitionId',
          value: target.roleDefinitionId,
        },
        { key: target.targetKind === 'group' ? 'GroupId' : 'DirectoryScopeId', value: target.scopeId },
      ];
      const factor: SecondFactorInput =
        'passkey' in input ? { passkey: input.passkey } : { totp: input.totp };
      const outcome = await db.transaction().execute(async (trx) => {
        const checked = await verifySecondFactor(trx, {
          userId: actor.id,
          input: factor,
          now,
          box: deps.secrets,
          passkey: { rp: deps.rp, purpose: 'stepUp', target },
        });
        if (!checked.ok) {
          const lock = checked.reason === 'notEnrolled' ? null : await recordFailure(trx, actor.id, now);
          await audit.append(trx, [
            authAudit({
              id: ids.newId(),
              at: now,
              activity: 'User step-up authentication failed',
              success: false,
              reason:
                checked.reason === 'replayed'
                  ? 'Code already used'
                  : checked.reason === 'wrongTarget'
                    ? 'Passkey answer made for another target'
                    : checked.reason === 'invalid'
                      ? 'Invalid code'
                      : 'No authenticator enrolled',
              actor,
              actorUpn: user.user_principal_name,
              subject,
              details: targetDetails,
              correlationId: ctx.requestId,
            }),
            ...(lock?.lockedUntil ? [lockoutAudit(ids.newId(), now, subject, lock.lockedUntil)] : []),
          ]);
          return { ok: false as const, reason: checked.reason, lockedUntil: lock?.lockedUntil ?? null };
        }
        await recordSuccess(trx, actor.id);
        const { proof, hash } = newStepUpProof();
        await trx
          .insertInto('step_up_proofs')
          .values({
            id: ids.newId(),
            user_id: actor.id,
            proof_hash: hash,
            target_type: target.targetKind,
            target_id: target.roleDefinitionId,
            target_scope: target.scopeId,
            method: 'passkey' in factor ? 'webauthn' : 'totp',
            authenticated_at: now,
            consumed_at: null,
            consumed_by: null,
          })
          .execute();
        await audit.append(trx, [
          authAudit({
            id: ids.newId(),
            at: now,
            activity: 'User completed step-up authentication',
            success: true,
            actor,
            actorUpn: user.user_principal_name,
            subject,
            details: [
              { key: 'AuthenticationMethod', value: methodName('passkey' in factor ? 'passkey' : 'totp') },
              ...targetDetails,
            ],
            correlationId: ctx.requestId,
          }),
        ]);
        return { ok: true as const, proof };
      });
      if (!outcome.ok) {
        if (outcome.lockedUntil) throw lockedError(outcome.lockedUntil, now);
        if (outcome.reason === 'notEnrolled')
          throw new ElevateError('request.invalid', refusalFor(factor, 'notEnrolled'));
        throw new ElevateError('auth.mfa_failed', refusalFor(factor, outcome.reason));
      }
      return {
        proof: outcome.proof,
        target,
        expiresAt: new Date(now.getTime() + deps.maxAgeSeconds * 1000),
        maxAgeSeconds: deps.maxAgeSeconds,
      };
    },
  };
}

export type StepUpService = ReturnType<typeof createStepUpService>;
