import { createHash, randomBytes } from 'node:crypto';
import type { TargetKind } from '../../core/model/schedule.js';
import type { Executor } from '../context.js';

/**
 * What a step-up is bound to: one PIM target (a directory role at a scope, a group's member/owner access, or an
 * Azure resource role at an ARM scope).
 */
export interface StepUpTarget {
  readonly targetKind: TargetKind;
  /** The role definition id; for a group, `member` or `owner`. */
  readonly roleDefinitionId: string;
  /** The directory scope; for a group, the group's id; for a resource role, the canonical ARM scope. */
  readonly scopeId: string;
}

const prefix = 'elv_su_';

/** A new proof (shown once) and the hash it is stored under. */
export function newStepUpProof(): { proof: string; hash: string } {
  const proof = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { proof, hash: hashProof(proof) };
}

const hashProof = (proof: string): string => createHash('sha256').update(proof, 'utf8').digest('hex');

export type StepUpCheck =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'valid';
      readonly id: string;
      /** How the step-up was made, and the `acr` an OIDC step-up's provider asserted. */
      readonly facts: { readonly method: 'totp' | 'oidc'; readonly acr: string | null };
    }
  | { readonly kind: 'refused'; readonly reason: string };

const describe = (t: StepUpTarget): string =>
  t.targetKind === 'group'
    ? `${t.roleDefinitionId} of group ${t.scopeId}`
    : `role ${t.roleDefinitionId} at '${t.scopeId}'`;

/**
 * Looks up a presented proof in the request's transaction and locks it, so a concurrent request cannot spend it
 * too. Valid only for the same user and target, unspent, and made no more than `maxAgeSeconds` ago.
 */
export async function checkStepUpProof(
  trx: Executor,
  args: { proof: string | undefined; userId: string; target: StepUpTarget; now: Date; maxAgeSeconds: number },
): Promise<StepUpCheck> {
  if (args.proof === undefined || args.proof === '') return { kind: 'none' };
  const row = args.proof.startsWith(prefix)
    ? await trx
        .selectFrom('step_up_proofs')
        .selectAll()
        .where('proof_hash', '=', hashProof(args.proof))
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!row || row.user_id !== args.userId) {
    return { kind: 'refused', reason: 'the step-up proof is unknown (it belongs to no step-up of yours)' };
  }
  if (row.consumed_at !== null) {
    return {
      kind: 'refused',
      reason: 'the step-up proof was already used; a proof works for one request only',
    };
  }
  const t = args.target;
  if (
    row.target_type !== t.targetKind ||
    row.target_id !== t.roleDefinitionId ||
    row.target_scope !== t.scopeId
  ) {
    const made: StepUpTarget = {
      targetKind: row.target_type,
      roleDefinitionId: row.target_id,
      scopeId: row.target_scope,
    };
    return {
      kind: 'refused',
      reason: `the step-up proof was made for ${describe(made)}, not for ${describe(t)}`,
    };
  }
  const age = (args.now.getTime() - row.authenticated_at.getTime()) / 1000;
  if (age > args.maxAgeSeconds) {
    return {
      kind: 'refused',
      reason: `the step-up proof is ${Math.floor(age)} s old; it must be at most ${args.maxAgeSeconds} s old`,
    };
  }
  return {
    kind: 'valid',
    id: row.id,
    // The rules tell a local factor (TOTP or passkey, no acr) from an OIDC re-authentication only.
    facts: { method: row.method === 'oidc' ? 'oidc' : 'totp', acr: row.acr },
  };
}

/** Spends a proof checked (and locked) by `checkStepUpProof` for the request it let through. */
export async function consumeStepUpProof(
  trx: Executor,
  args: { id: string; requestId: string; now: Date },
): Promise<boolean> {
  const spent = await trx
    .updateTable('step_up_proofs')
    .set({ consumed_at: args.now, consumed_by: args.requestId })
    .where('id', '=', args.id)
    .where('consumed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return spent !== undefined;
}
