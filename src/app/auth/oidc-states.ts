import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../context.js';
import type { SecretBox } from './secret-box.js';
import type { StepUpTarget } from './step-up-proofs.js';

/** How long a person has to finish at the provider before the authorization request is forgotten. */
export const oidcStateTtlSeconds = 600;

/** An authorization request sent to the provider, kept server-side until its callback arrives. */
export interface PendingOidc {
  readonly purpose: 'signIn' | 'stepUp';
  readonly nonce: string;
  readonly codeVerifier: string;
  /** The loopback address the result goes to; null answers the callback with JSON (or goes to the portal). */
  readonly redirectUri: string | null;
  /**
   * A portal sign-in: the portal's own path (relative, `/…`) to return to with a session cookie; null otherwise.
   * Kept in the same column as `redirectUri` (a loopback URL is absolute, a portal path is not).
   */
  readonly portalPath: string | null;
  /** A step-up's user and target. */
  readonly userId: string | null;
  readonly target: StepUpTarget | null;
  /** The `max_age` sent (a step-up), in seconds. */
  readonly maxAgeSeconds: number | null;
  /** The `acr_values` sent (a step-up whose target requires an authentication context). */
  readonly acrValues: string | null;
}

const random = (): string => randomBytes(32).toString('base64url');
const hashState = (state: string): string => createHash('sha256').update(state, 'utf8').digest('hex');

/** The secrets of a new authorization request: `state`, `nonce` and the PKCE verifier, 256 random bits each. */
export interface OidcSecrets {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

export const newOidcSecrets = (): OidcSecrets => ({
  state: random(),
  nonce: random(),
  codeVerifier: random(),
});

/**
 * Stores a new authorization request under its secrets: the state hashed, the verifier sealed. Requests older than
 * their ten minutes are swept here.
 */
export async function savePendingOidc(
  db: Executor,
  args: {
    id: string;
    now: Date;
    box: SecretBox;
    secrets: OidcSecrets;
    request: Omit<PendingOidc, 'nonce' | 'codeVerifier'>;
  },
): Promise<void> {
  const { state, nonce, codeVerifier } = args.secrets;
  const { request: r, now } = args;
  await db.deleteFrom('oidc_sign_in_states').where('expires_at', '<=', now).execute();
  await db
    .insertInto('oidc_sign_in_states')
    .values({
      id: args.id,
      state_hash: hashState(state),
      purpose: r.purpose,
      nonce,
      code_verifier_sealed: args.box.seal(codeVerifier, args.id),
      redirect_uri: r.redirectUri ?? r.portalPath,
      user_id: r.userId,
      target_type: r.target?.targetKind ?? null,
      target_id: r.target?.roleDefinitionId ?? null,
      target_scope: r.target?.scopeId ?? null,
      max_age: r.maxAgeSeconds,
      acr_values: r.acrValues,
      created_at: now,
      expires_at: new Date(now.getTime() + oidcStateTtlSeconds * 1000),
    })
    .execute();
}

/**
 * Takes the authorization request a callback's `state` names, deleting it: a state works once, so a replayed
 * callback finds nothing. Null when unknown, used or expired.
 */
export async function takePendingOidc(
  db: Executor,
  args: { state: string; now: Date; box: SecretBox },
): Promise<PendingOidc | null> {
  const row = await db
    .deleteFrom('oidc_sign_in_states')
    .where('state_hash', '=', hashState(args.state))
    .returningAll()
    .executeTakeFirst();
  if (!row || row.expires_at.getTime() <= args.now.getTime()) return null;
  return {
    purpose: row.purpose,
    nonce: row.nonce,
    codeVerifier: args.box.open(row.code_verifier_sealed, row.id),
    redirectUri: row.redirect_uri?.startsWith('/') ? null : row.redirect_uri,
    portalPath: row.redirect_uri?.startsWith('/') ? row.redirect_uri : null,
    userId: row.user_id,
    target:
      row.target_type && row.target_id && row.target_scope
        ? {
            targetKind: row.target_type as StepUpTarget['targetKind'],
            roleDefinitionId: row.target_id,
            scopeId: row.target_scope,
          }
        : null,
    maxAgeSeconds: row.max_age,
    acrValues: row.acr_values,
  };
}
