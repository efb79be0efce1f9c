import { z } from 'zod';

/** The header that carries a step-up proof on the request it was made for (Graph's body has no field for it). */
export const stepUpHeader = 'x-elevate-step-up';

const instant = z.string().max(64).describe('ISO 8601, UTC');
const id = z.string().max(64);
const code = z.string().min(1).max(16);

/** `GET /api/v1/me/mfa`, `GET /api/v1/users/{id}/mfa`: which second factors an account has (never a secret). */
export const mfaStatusSchema = z.object({
  totp: z.enum(['none', 'pending', 'confirmed']),
  confirmedDateTime: instant.nullable(),
  recoveryCodesLeft: z.number().int().nonnegative(),
  passkeys: z.number().int().nonnegative().describe('How many passkeys (WebAuthn) are registered'),
});
export type MfaStatusResponse = z.output<typeof mfaStatusSchema>;

/** `POST /api/v1/me/mfa/totp`: the seed, shown this once, and the URI an authenticator app scans. */
export const totpEnrolmentSchema = z.object({
  secret: z.string().max(128),
  otpauthUri: z.string().max(2048),
});
export type TotpEnrolment = z.output<typeof totpEnrolmentSchema>;

export const totpVerifyBodySchema = z.strictObject({
  code: code.describe('The 6-digit code the app shows now'),
});

/** `POST /api/v1/me/mfa/totp/verify`: ten single-use recovery codes, shown this once. */
export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string().max(64)).max(20) });
export type RecoveryCodes = z.output<typeof recoveryCodesSchema>;

/** `DELETE /api/v1/me/mfa/totp`: a current code or a recovery code proves the person holds the factor. */
export const totpRemoveBodySchema = z
  .strictObject({ code: code.optional(), recoveryCode: z.string().min(1).max(64).optional() })
  .refine((b) => (b.code === undefined) !== (b.recoveryCode === undefined), {
    message: 'give code (from the authenticator app) or recoveryCode, exactly one',
  });

const b64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*={0,2}$/, 'must be base64url');

/**
 * A passkey's answer to an authentication challenge (`PublicKeyCredential.toJSON()`, or @simplewebauthn/browser's
 * `startAuthentication`): no secret in it, only a signature over the challenge.
 */
export const passkeyAssertionSchema = z.object({
  id: b64url(1024),
  rawId: b64url(1024),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url(8192),
    authenticatorData: b64url(8192),
    signature: b64url(2048),
    userHandle: b64url(1024).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});
export type PasskeyAssertion = z.input<typeof passkeyAssertionSchema>;

/** A passkey's answer to a registration challenge (`PublicKeyCredential.toJSON()`, or `startRegistration`). */
export const passkeyAttestationSchema = z.object({
  id: b64url(1024),
  rawId: b64url(1024),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url(8192),
    attestationObject: b64url(32_768),
    authenticatorData: b64url(8192).optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(4096).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});
export type PasskeyAttestation = z.input<typeof passkeyAttestationSchema>;

/** WebAuthn options (`PublicKeyCredentialCreationOptionsJSON` / `…RequestOptionsJSON`) for the browser. */
export const passkeyOptionsSchema = z.looseObject({ challenge: z.string().max(512) });
export type PasskeyOptions = z.output<typeof passkeyOptionsSchema>;

/** `POST /api/v1/me/passkeys`: the authenticator's answer to the registration options, and a name for it. */
export const passkeyRegisterBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100).describe('A name to tell it apart, e.g. "YubiKey 5C" or "Laptop"'),
  response: passkeyAttestationSchema,
});
export type PasskeyRegisterBody = z.input<typeof passkeyRegisterBodySchema>;

/** A registered passkey as listed: never its key material. */
export const passkeySchema = z.object({
  id,
  name: z.string().max(100),
  transports: z.array(z.string().max(32)),
  deviceType: z.string().max(32).describe('singleDevice (a security key) or multiDevice (synced)'),
  backedUp: z.boolean(),
  createdDateTime: instant,
  lastUsedDateTime: instant.nullable(),
});
export type PasskeyResponse = z.output<typeof passkeySchema>;

const directoryTarget = {
  roleDefinitionId: z.string().min(1).max(128),
  directoryScopeId: z.string().min(1).max(1024).default('/'),
};
const groupTarget = { groupId: z.string().min(1).max(128), accessId: z.enum(['member', 'owner']) };
const resourceTarget = {
  roleDefinitionId: z.string().min(1).max(1024).describe('The Azure role definition id or its GUID'),
  scope: z.string().min(1).max(1024).describe('The ARM scope of the eligibility, e.g. /subscriptions/{id}'),
};
const oneFactor = { message: 'give totp (the code of the authenticator app) or passkey, exactly one' };
const withFactor = <T extends z.ZodRawShape>(target: T) =>
  z
    .strictObject({
      ...target,
      totp: code.optional(),
      passkey: passkeyAssertionSchema
        .optional()
        .describe(
          'A passkey answer to the challenge of POST /api/v1/me/step-up/passkey/options for this target',
        ),
    })
    .refine((b) => {
      const given = b as { totp?: string; passkey?: unknown };
      return (given.totp === undefined) !== (given.passkey === undefined);
    }, oneFactor);

/**
 * `POST /api/v1/me/step-up`: a fresh TOTP code, or a passkey's answer, for one target — a directory role at a
 * scope (`roleDefinitionId`, `directoryScopeId`), a group's membership or ownership (`groupId`, `accessId`),
 * or an Azure resource role at an ARM scope (`roleDefinitionId`, `scope`).
 */
export const stepUpBodySchema = z.union([
  withFactor(directoryTarget),
  withFactor(groupTarget),
  withFactor(resourceTarget),
]);
export type StepUpBody = z.input<typeof stepUpBodySchema>;

/** `POST /api/v1/me/step-up/passkey/options`: the target the passkey step-up will be bound to. */
export const passkeyStepUpOptionsBodySchema = z.union([
  z.strictObject(directoryTarget),
  z.strictObject(groupTarget),
  z.strictObject(resourceTarget),
]);
export type PasskeyStepUpOptionsBody = z.input<typeof passkeyStepUpOptionsBodySchema>;

export const stepUpResponseSchema = z.object({
  proof: z.string().max(256).describe(`Single use: send it as the ${stepUpHeader} header of the request`),
  expiresDateTime: instant,
  maxAgeSeconds: z.number().int().positive(),
});
export type StepUpResponse = z.output<typeof stepUpResponseSchema>;

/** A loopback address of the caller (`http://127.0.0.1:<port>/…`), where a browser flow's result is sent. */
const loopbackUri = z
  .string()
  .min(1)
  .max(512)
  .describe(
    'Where the browser goes with the result (in the URL fragment): http://127.0.0.1:<port>/… or http://localhost:<port>/… only. Without it the callback answers JSON.',
  );

/**
 * `POST /api/v1/me/step-up/oidc`: a step-up at the identity provider for one target — a directory role at a scope
 * or a group's membership or ownership — whose result (the proof) goes to `redirectUri`.
 */
export const oidcStepUpBodySchema = z.union([
  z.strictObject({
    roleDefinitionId: z.string().min(1).max(128),
    directoryScopeId: z.string().min(1).max(1024).default('/'),
    redirectUri: loopbackUri.optional(),
  }),
  z.strictObject({
    groupId: z.string().min(1).max(128),
    accessId: z.enum(['member', 'owner']),
    redirectUri: loopbackUri.optional(),
  }),
]);
export type OidcStepUpBody = z.input<typeof oidcStepUpBodySchema>;

export const oidcStepUpStartSchema = z.object({
  authorizationUrl: z.string().max(4096).describe("Open it in the person's browser"),
  expiresDateTime: instant.describe('The step-up must be completed at the provider by then'),
  maxAgeSeconds: z.number().int().positive(),
  acrValues: z
    .string()
    .max(256)
    .nullable()
    .describe("The authentication context asked for (the target's claimValue), or null"),
});
export type OidcStepUpStart = z.output<typeof oidcStepUpStartSchema>;

export const patScopeSchema = z.enum(['read', 'write']);

export const patCreateBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(365),
  scopes: z
    .array(patScopeSchema)
    .min(1)
    .max(2)
    .optional()
    .describe('read (GET only), write; both by default'),
});
export type PatCreateBody = z.input<typeof patCreateBodySchema>;

/** A personal access token as listed: its hint, never its secret. */
export const patSchema = z.object({
  id,
  name: z.string().max(100),
  hint: z.string().max(32),
  scopes: z.array(patScopeSchema),
  createdDateTime: instant,
  expiresDateTime: instant,
  revokedDateTime: instant.nullable(),
  lastUsedDateTime: instant.nullable(),
});
export type PatResponse = z.output<typeof patSchema>;

/** `POST /api/v1/me/tokens`: the token itself, shown this once. */
export const patCreatedSchema = patSchema.extend({ token: z.string().max(256) });
export type PatCreated = z.output<typeof patCreatedSchema>;

/** The header that carries a portal session's CSRF token on every state-changing request. */
export const csrfHeader = 'x-elevate-csrf';

/** `POST /api/auth/session` (sign-in for the portal) and `POST /api/auth/token`: credentials and one factor. */
export const passwordSignInBodySchema = z
  .strictObject({
    username: z.string().min(1).max(256),
    password: z.string().min(1).max(1024),
    totp: z.string().min(1).max(16).optional().describe('The 6-digit code of the authenticator app'),
    recoveryCode: z.string().min(1).max(64).optional().describe('One of the recovery codes (single use)'),
    passkey: passkeyAssertionSchema
      .optional()
      .describe('A passkey answer to the challenge of POST /api/auth/passkey/options'),
  })
  .refine((b) => [b.totp, b.recoveryCode, b.passkey].filter((f) => f !== undefined).length <= 1, {
    message: 'give at most one of totp, recoveryCode and passkey',
  });
export type PasswordSignInBody = z.input<typeof passwordSignInBodySchema>;

/** `POST /api/auth/passkey/options`: the password comes first; the answer is the challenge for the passkey. */
export const passkeySignInOptionsBodySchema = z.strictObject({
  username: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
});

/** `GET /api/auth/providers`: the ways to sign in besides a local password, for the portal's sign-in page. */
export const signInProvidersSchema = z.object({
  oidc: z
    .object({
      label: z.string().max(256).describe("The identity provider's name to show (its host)"),
    })
    .nullable()
    .describe('Single sign-on through an OpenID provider; null when not configured'),
});
export type SignInProviders = z.output<typeof signInProvidersSchema>;

/** A portal session: its CSRF token (send it as `x-elevate-csrf`) and when it ends. */
export const portalSessionSchema = z.object({
  userId: id,
  csrfToken: z
    .string()
    .max(128)
    .describe(`Send it as the ${csrfHeader} header of every POST, PATCH, PUT and DELETE`),
  expiresDateTime: instant.describe('The absolute end of the session'),
  idleExpiresDateTime: instant.describe('When the session ends unless used before'),
  idleTimeoutMinutes: z.number().int().positive(),
});
export type PortalSession = z.output<typeof portalSessionSchema>;

/** `POST /api/v1/me/password`: the current password and the new one (12 to 256 characters). */
export const passwordChangeBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024).describe('12 to 256 characters, not the current one'),
});
export type PasswordChangeBody = z.input<typeof passwordChangeBodySchema>;

export const passwordChangedSchema = z.object({
  endedSessions: z.number().int().nonnegative().describe('How many other portal sessions were ended'),
});

/** `GET /api/v1/users/{id}/identities`: the identity-provider subjects linked to a user. */
export const identityLinkSchema = z.object({
  issuer: z.string().max(1024),
  subject: z.string().max(1024),
  createdDateTime: instant,
  lastSignInDateTime: instant,
});
export type IdentityLinkResponse = z.output<typeof identityLinkSchema>;
