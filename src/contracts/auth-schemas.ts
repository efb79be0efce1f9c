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

/**
 * `POST /api/v1/me/step-up`: a fresh TOTP code for one target — a directory role at a scope
 * (`roleDefinitionId`, `directoryScopeId`), a group's membership or ownership (`groupId`, `accessId`), or an
 * Azure resource role at an ARM scope (`roleDefinitionId`, `scope`).
 */
export const stepUpBodySchema = z.union([
  z.strictObject({
    roleDefinitionId: z.string().min(1).max(128),
    directoryScopeId: z.string().min(1).max(1024).default('/'),
    totp: code,
  }),
  z.strictObject({
    groupId: z.string().min(1).max(128),
    accessId: z.enum(['member', 'owner']),
    totp: code,
  }),
  z.strictObject({
    roleDefinitionId: z.string().min(1).max(1024).describe('The Azure role definition id or its GUID'),
    scope: z.string().min(1).max(1024).describe('The ARM scope of the eligibility, e.g. /subscriptions/{id}'),
    totp: code,
  }),
]);
export type StepUpBody = z.input<typeof stepUpBodySchema>;

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
