import { hash } from 'node:crypto';

/** Tokens remembered before the cache starts again (bounds memory; one entry per signed-in caller). */
const maxTokens = 10_000;

/**
 * Access tokens already verified (signature, issuer, audience), by their SHA-256 (the token itself is not kept),
 * with their claims until they expire: verifying an HMAC signature through WebCrypto costs more than the rest of
 * a cheap request. Only verified tokens are remembered, and a remembered one is used only before its `exp`, as
 * the verifier would read it (expired at `exp`, in whole seconds).
 */
export function createVerifiedTokens<C extends { exp?: number }>(verify: (token: string) => Promise<C>) {
  const verified = new Map<string, C>();
  return async function claimsOf(token: string, now: Date): Promise<C> {
    const key = hash('sha256', token, 'base64');
    const kept = verified.get(key);
    const seconds = Math.floor(now.getTime() / 1000);
    if (kept?.exp !== undefined && seconds < kept.exp) return kept;
    if (kept) verified.delete(key);
    const claims = await verify(token);
    if (typeof claims.exp === 'number') {
      if (verified.size >= maxTokens) verified.clear();
      verified.set(key, claims);
    }
    return claims;
  };
}
