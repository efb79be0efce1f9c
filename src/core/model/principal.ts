/** The three kinds of principal PIM governs (PRODUCT.md vocabulary). */
export type PrincipalType = 'user' | 'group' | 'servicePrincipal';

export interface PrincipalRef {
  readonly id: string;
  readonly type: PrincipalType;
}

/** Who is making a call: a signed-in user or a service principal using client credentials. */
export interface Actor {
  readonly id: string;
  readonly type: 'user' | 'servicePrincipal';
  readonly displayName: string;
  /** Directory role ids the actor holds right now (directly or through a role-assignable group). */
  readonly roleIds: ReadonlySet<string>;
  /**
   * True when the caller's token shows a multi-factor sign-in (amr) no older than the step-up maximum age.
   * Admin rules accept it; activation rules never do (they need a step-up made for the request).
   */
  readonly mfa: boolean;
  /** The system actor used by the scheduler ("Elevate PIM"), never a person. */
  readonly isSystem?: boolean;
  /** Set when the caller presented a personal access token: it never counts as MFA and cannot step up. */
  readonly personalAccessToken?: { readonly id: string; readonly scopes: readonly ('read' | 'write')[] };
}
