/**
 * Outbound SCIM as the provisioning use cases see it (implemented by connectors/scim/scim-provisioner.ts and
 * passed in by compose.ts): push one membership change to one application. Idempotent: the same change pushed
 * twice leaves the application as once. A failure carries `retryable: false` when retrying cannot help (a 4xx
 * such as a refused token); anything else is retried by the outbox.
 */
export interface ScimPort {
  apply(application: ScimTargetApplication, change: ScimChange): Promise<ScimOutcome>;
}

export interface ScimTargetApplication {
  readonly id: string;
  readonly baseUrl: string;
  /** Unsealed for this delivery only. */
  readonly token: string;
  /** Null: ELEVATE_SCIM_RATE_PER_SECOND. */
  readonly ratePerSecond: number | null;
  /** The group's id in the application, remembered from an earlier delivery. */
  readonly scimGroupId: string | null;
}

export interface ScimChange {
  readonly operation: 'add' | 'remove';
  readonly group: { readonly id: string; readonly displayName: string };
  readonly user: ScimUser;
}

/** The user as the application receives them: userName is the UPN, externalId Elevate's object id. */
export interface ScimUser {
  readonly userName: string;
  readonly externalId: string;
  readonly displayName: string;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly email: string | null;
}

export interface ScimOutcome {
  readonly outcome: 'applied' | 'skipped';
  /** What the application answered, e.g. `SCIM user created (201); member added (200)`. */
  readonly response: string;
  readonly scimGroupId: string | null;
}
