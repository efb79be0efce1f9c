import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import { decodeClientDataJSON } from '@simplewebauthn/server/helpers';
import type { Executor } from '../context.js';
import type { StepUpTarget } from './step-up-proofs.js';

/** Who the passkeys are registered with: the RP id (a domain), its display name and the portal's origin. */
export interface RelyingParty {
  readonly id: string;
  readonly name: string;
  readonly origin: string;
}

/**
 * The relying party of a server reached at `publicUrl` (ELEVATE_PUBLIC_URL): its host is the RP id unless
 * `rpId` (ELEVATE_WEBAUTHN_RP_ID, a registrable suffix of the host) says otherwise. Browsers refuse IP
 * addresses as RP ids, so passkeys need a host name (http://localhost:8080 works for a local try).
 */
export function relyingPartyFrom(publicUrl: string, rpId?: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: rpId ?? url.hostname, name: 'Elevate', origin: url.origin };
}

/** How long a ceremony's challenge may be answered. */
export const challengeTtlSeconds = 300;

export type ChallengePurpose = 'register' | 'signIn' | 'stepUp';

/** Keeps a ceremony's challenge (single-use) for `userId`, for a step-up bound to `target`. */
export async function keepChallenge(
  trx: Executor,
  args: {
    id: string;
    challenge: string;
    userId: string;
    purpose: ChallengePurpose;
    target?: StepUpTarget;
    now: Date;
  },
): Promise<void> {
  // Expired challenges of the user go when a new one is made: the table stays small without a sweeper.
  await trx
    .deleteFrom('webauthn_challenges')
    .where('user_id', '=', args.userId)
    .where('expires_at', '<=', args.now)
    .execute();
  await trx
    .insertInto('webauthn_challenges')
    .values({
      id: args.id,
      challenge: args.challenge,
      user_id: args.userId,
      purpose: args.purpose,
      target_type: args.target?.targetKind ?? null,
      target_id: args.target?.roleDefinitionId ?? null,
      target_scope: args.target?.scopeId ?? null,
      created_at: args.now,
      expires_at: new Date(args.now.getTime() + challengeTtlSeconds * 1000),
    })
    .execute();
}

/** The challenge a browser's answer signed (from its clientDataJSON), or undefined when unreadable. */
function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const challenge = decodeClientDataJSON(clientDataJSON).challenge;
    return typeof challenge === 'string' && challenge.length <= 512 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes (deletes) the unexpired challenge a browser's answer signed, if it was made for this user and purpose:
 * a challenge is answered once, whatever the outcome. Answers the step-up target it was made for, if any.
 */
export async function takeChallenge(
  trx: Executor,
  args: { clientDataJSON: string; userId: string; purpose: ChallengePurpose; now: Date },
): Promise<{ challenge: string; target: StepUpTarget | null } | undefined> {
  const challenge = challengeOf(args.clientDataJSON);
  if (!challenge) return undefined;
  const row = await trx
    .deleteFrom('webauthn_challenges')
    .where('challenge', '=', challenge)
    .where('user_id', '=', args.userId)
    .where('purpose', '=', args.purpose)
    .returningAll()
    .executeTakeFirst();
  if (!row || row.expires_at.getTime() <= args.now.getTime()) return undefined;
  const target =
    row.target_type && row.target_id !== null && row.target_scope !== null
      ? { targetKind: row.target_type, roleDefinitionId: row.target_id, scopeId: row.target_scope }
      : null;
  return { challenge, target };
}

/** Options for `navigator.credentials.get()` over the user's passkeys, with a kept single-use challenge. */
export async function assertionOptions(
  trx: Executor,
  args: {
    rp: RelyingParty;
    id: string;
    userId: string;
    purpose: 'signIn' | 'stepUp';
    target?: StepUpTarget;
    now: Date;
  },
): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
  const passkeys = await trx
    .selectFrom('user_passkeys')
    .select(['credential_id', 'transports'])
    .where('user_id', '=', args.userId)
    .execute();
  if (passkeys.length === 0) return undefined;
  const options = await generateAuthenticationOptions({
    rpID: args.rp.id,
    allowCredentials: passkeys.map((p) => ({ id: p.credential_id, transports: p.transports })),
    userVerification: 'preferred',
    timeout: challengeTtlSeconds * 1000,
  });
  await keepChallenge(trx, {
    id: args.id,
    challenge: options.challenge,
    userId: args.userId,
    purpose: args.purpose,
    ...(args.target ? { target: args.target } : {}),
    now: args.now,
  });
  return options;
}

export type AssertionOutcome =
  | { readonly ok: true; readonly passkeyId: string }
  | { readonly ok: false; readonly reason: 'invalid' | 'replayed' | 'wrongTarget' };

const sameTarget = (a: StepUpTarget, b: StepUpTarget): boolean =>
  a.targetKind === b.targetKind && a.roleDefinitionId === b.roleDefinitionId && a.scopeId === b.scopeId;

/**
 * Verifies a passkey assertion in the caller's transaction: its challenge must be one kept for this user and
 * purpose (and, for a step-up, this target) and is spent whatever the outcome; the signature must verify with
 * the stored public key at this RP id and origin; the signature counter must move forward (a cloned or
 * replayed authenticator answer is refused) and is stored compare-and-set.
 */
export async function verifyAssertion(
  trx: Executor,
  args: {
    rp: RelyingParty;
    userId: string;
    response: AuthenticationResponseJSON;
    purpose: 'signIn' | 'stepUp';
    target?: StepUpTarget;
    now: Date;
  },
): Promise<AssertionOutcome> {
  const taken = await takeChallenge(trx, {
    clientDataJSON: args.response.response.clientDataJSON,
    userId: args.userId,
    purpose: args.purpose,
    now: args.now,
  });
  // An unknown challenge is one already answered (a replay), expired, or never made for this user.
  if (!taken) return { ok: false, reason: 'replayed' };
  if (args.target && (!taken.target || !sameTarget(taken.target, args.target))) {
    return { ok: false, reason: 'wrongTarget' };
  }
  const passkey = await trx
    .selectFrom('user_passkeys')
    .select(['id', 'credential_id', 'public_key', 'counter', 'transports'])
    .where('user_id', '=', args.userId)
    .where('credential_id', '=', args.response.id)
    .executeTakeFirst();
  if (!passkey) return { ok: false, reason: 'invalid' };
  const counter = Number(passkey.counter);
  let newCounter: number;
  try {
    const verified = await verifyAuthenticationResponse({
      response: args.response,
      expectedChallenge: taken.challenge,
      expectedOrigin: args.rp.origin,
      expectedRPID: args.rp.id,
      credential: {
        id: passkey.credential_id,
        publicKey: Buffer.from(passkey.public_key, 'base64url'),
        counter,
        transports: passkey.transports,
      },
      // A second factor after a password: possession of the key suffices; a PIN or biometric is welcome.
      requireUserVerification: false,
    });
    if (!verified.verified) return { ok: false, reason: 'invalid' };
    newCounter = verified.authenticationInfo.newCounter;
  } catch (error) {
    const replay = error instanceof Error && /counter/i.test(error.message);
    return { ok: false, reason: replay ? 'replayed' : 'invalid' };
  }
  const spent = await trx
    .updateTable('user_passkeys')
    .set({ counter: newCounter, last_used_at: args.now })
    .where('id', '=', passkey.id)
    .where('counter', '=', counter)
    .returning('id')
    .executeTakeFirst();
  return spent ? { ok: true, passkeyId: passkey.id } : { ok: false, reason: 'replayed' };
}
