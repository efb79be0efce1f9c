import { z } from 'zod';

/** `POST /api/auth/token` → a bearer token and its lifetime in seconds. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1).max(16_384),
  token_type: z.string().max(32),
  expires_in: z.number().int().positive(),
});
export type TokenResponse = z.output<typeof tokenResponseSchema>;

/** `GET /api/v1/audit/verify`: the whole chain re-hashed, or the first record that does not verify. */
export const auditVerificationSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    count: z.number().int().nonnegative(),
    lastHash: z.string().max(256),
    lastSequence: z.number().int().nonnegative(),
  }),
  z.object({
    ok: z.literal(false),
    /** Records verified before the break. */
    count: z.number().int().nonnegative(),
    /** The sequence number of the first record that does not verify. */
    brokenAt: z.number().int(),
    id: z.string().max(256),
    reason: z.string().max(1024),
  }),
]);
export type AuditVerification = z.output<typeof auditVerificationSchema>;

export const auditExportFormats = ['csv', 'json'] as const;
export type AuditExportFormat = (typeof auditExportFormats)[number];
