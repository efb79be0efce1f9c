import type { AuthenticationContextRule } from '../model/policy.js';
import type { AcrFallback } from './decision.js';

/** What a step-up showed, as an authentication-context rule sees it. */
export interface ContextEvidence {
  /** Whether a multi-factor step-up was made for the request. */
  readonly mfa: boolean;
  /** The `acr` the identity provider asserted at the step-up; null when none (a provider without, or TOTP). */
  readonly acr: string | null;
  readonly fallback: AcrFallback;
}

/**
 * Decides whether a step-up satisfies an enabled authentication-context rule; answers null when it does, else the
 * clause that says why not. An `acr` equal to the rule's claimValue satisfies it and a different one never does;
 * with no `acr`, a multi-factor step-up satisfies it under the `mfa` fallback (Entra falls back to MFA where no
 * Conditional Access policy targets the context, research §2.5) and nothing does under `deny`.
 */
export function contextShortfall(rule: AuthenticationContextRule, evidence: ContextEvidence): string | null {
  if (!evidence.mfa) return 'satisfied by a multi-factor step-up made for this request';
  if (evidence.acr !== null) {
    if (rule.claimValue === null || evidence.acr === rule.claimValue) return null;
    return `but the identity provider asserted the authentication context '${evidence.acr}'; step up again for '${rule.claimValue}'`;
  }
  if (evidence.fallback === 'mfa') return null;
  return 'and the step-up carried no authentication context (acr) from the identity provider, which this server requires (no MFA fallback)';
}
