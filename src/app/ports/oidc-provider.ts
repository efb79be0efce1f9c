/**
 * An OpenID Connect provider as the sign-in and step-up use cases see it: where to send the person, and what the
 * provider vouched for when they come back. Implemented with openid-client (connectors/oidc); a provider that
 * cannot be reached fails with `auth.provider_unavailable`.
 */
export interface OidcProvider {
  /** The provider's issuer identifier, as configured. */
  readonly issuer: string;
  /**
   * The authorization-code request URL (PKCE S256): discovers the provider the first time (cached after) and
   * checks it answers, so a provider that is down is reported now rather than in the person's browser.
   */
  authorizationUrl(request: OidcAuthorizationRequest): Promise<string>;
  /**
   * Redeems the callback's code (with the verifier) and validates the ID token — signature, `iss`, `aud`, `exp`,
   * `nonce` — and the response's `state` and `iss`. Refusals are `auth.invalid_credentials`.
   */
  redeem(callback: OidcCallback, checks: OidcChecks): Promise<OidcAuthentication>;
}

export interface OidcAuthorizationRequest {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** `max_age` in seconds: the provider must authenticate anew when its last authentication is older. */
  readonly maxAgeSeconds?: number;
  /** `prompt=login`: authenticate the person again even within a session. */
  readonly forceLogin?: boolean;
  /** `acr_values`: the authentication context class asked for. */
  readonly acrValues?: string;
}

/** The query string the provider sent to the callback (`code`, `state`, `iss`, or `error`). */
export interface OidcCallback {
  readonly query: string;
}

export interface OidcChecks {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** What the provider vouched for: its subject, the claims naming the person, and how they authenticated. */
export interface OidcAuthentication {
  readonly issuer: string;
  readonly subject: string;
  /** The ID token's claims, completed from the UserInfo endpoint for those it lacks (never amr, acr, auth_time). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** RFC 8176 authentication methods (`amr`), empty when the provider sent none. */
  readonly amr: readonly string[];
  readonly acr: string | null;
  /** When the person authenticated (`auth_time`); null when the provider did not say. */
  readonly authTime: Date | null;
}
