import { z } from 'zod';

/** Every environment variable Elevate reads, described once; the README table is generated from this. */
export const configSchema = z.object({
  ELEVATE_HOST: z.string().min(1).default('127.0.0.1').describe('Address the HTTP server listens on.'),
  ELEVATE_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .default(8080)
    .describe('Port the HTTP server listens on.'),
  ELEVATE_DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .describe('Directory of the embedded database (PGlite). Locked: one server process at a time.'),
  ELEVATE_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe(
      'PostgreSQL connection URL (postgres://user:pass@host:5432/db). When set, used instead of PGlite.',
    ),
  ELEVATE_WORKERS: z
    .string()
    .regex(/^(auto|[1-9]\d{0,2})$/, 'must be a whole number from 1 to 999, or auto')
    .default('1')
    .transform((v): number | 'auto' => (v === 'auto' ? 'auto' : Number(v)))
    .describe(
      'Server processes sharing the port (node:cluster), each with its own access index; a write answers once every worker knows of it. `auto`: one per core. PostgreSQL only: with the embedded database it must be 1 (`auto` means 1).',
    ),
  ELEVATE_PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .describe(
      'Base URL clients use to reach the server (used in @odata.nextLink and in the OIDC redirect URI). Default: http://HOST:PORT.',
    ),
  ELEVATE_TENANT_ID: z
    .string()
    .uuid()
    .optional()
    .describe(
      'Tenant id shown in policy ids and tokens. Default: generated once and stored in the database.',
    ),
  ELEVATE_TOKEN_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400)
    .default(3600)
    .describe('Lifetime of access tokens in seconds.'),
  ELEVATE_STEP_UP_MAX_AGE: z.coerce
    .number()
    .int()
    .min(30)
    .max(3600)
    .default(300)
    .describe(
      'Seconds a step-up stays valid: an activation whose settings require MFA or an authentication context needs a step-up proof (POST /api/v1/me/step-up, header x-elevate-step-up) at most this old; an admin action needing MFA, a TOTP sign-in at most this old.',
    ),
  ELEVATE_OIDC_ISSUER: z
    .string()
    .url()
    .refine(secureIssuer, 'must be an https:// URL (http:// only for 127.0.0.1 or localhost)')
    .optional()
    .describe(
      'Issuer URL of an OpenID Connect provider for single sign-on (its /.well-known/openid-configuration is read at the first sign-in). Register <ELEVATE_PUBLIC_URL>/api/auth/oidc/callback as the redirect URI. Unset: local accounts only.',
    ),
  ELEVATE_OIDC_CLIENT_ID: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe('Client id of Elevate at the OIDC provider (required with ELEVATE_OIDC_ISSUER).'),
  ELEVATE_OIDC_CLIENT_SECRET: z
    .string()
    .min(1)
    .max(1024)
    .optional()
    .describe(
      'Client secret at the OIDC provider (HTTP Basic, or form post where the provider offers only that). Unset: a public client (PKCE alone).',
    ),
  ELEVATE_OIDC_MATCH_CLAIM: z
    .enum(['email', 'preferred_username', 'upn', 'sub', 'oid'])
    .default('email')
    .describe(
      "ID token claim that finds the Elevate user at the first sign-in, case-insensitively: email (the user's mail or user principal name), preferred_username or upn (the user principal name), sub or oid (the user's object id). Later sign-ins follow the linked subject.",
    ),
  ELEVATE_OIDC_CREATE_USERS: z
    .stringbool()
    .default(false)
    .describe(
      'Create an Elevate user (with no local password) at the first sign-in of a person no user matches; false refuses them.',
    ),
  ELEVATE_OIDC_SCOPES: z
    .string()
    .regex(
      /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/,
      'must be scopes separated by single spaces',
    )
    .max(1024)
    .refine((v) => v.split(' ').includes('openid'), 'must include openid')
    .default('openid profile email')
    .describe('Scopes requested from the OIDC provider.'),
  ELEVATE_OIDC_ACR_FALLBACK: z
    .enum(['mfa', 'deny'])
    .default('mfa')
    .describe(
      "When an activation's authentication-context rule is on and the step-up carries no acr (a provider that sends none, or a local TOTP step-up): mfa accepts the step-up's MFA (Entra's fallback), deny refuses.",
    ),
  ELEVATE_SECRETS_KEY: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)')
    .max(1024)
    .optional()
    .describe(
      'A key kept outside the database (at least 32 characters): when set, TOTP seeds and other sealed secrets stored from then on are encrypted under a key derived from it instead of the tenant key in the database; those sealed before stay readable. Keep it: secrets sealed under it cannot be read without it (users then enrol their authenticator again).',
    ),
  ELEVATE_WEBAUTHN_RP_ID: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a host name such as elevate.example.com')
    .max(253)
    .optional()
    .describe(
      'Relying-party id of passkeys (WebAuthn): the host of ELEVATE_PUBLIC_URL or a parent domain of it. Default: that host. Browsers refuse IP addresses: for a local try use ELEVATE_PUBLIC_URL=http://localhost:8080. Changing it makes existing passkeys unusable.',
    ),
  ELEVATE_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1440)
    .default(30)
    .describe('A portal session (cookie) unused for this many minutes ends.'),
  ELEVATE_SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(720)
    .default(12)
    .describe('A portal session ends this many hours after sign-in, however busy.'),
  ELEVATE_DEMO_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .optional()
    .describe('Password of every demo account (with --demo). Default: generated and printed once.'),
  ELEVATE_DEMO_SCIM_URL: z
    .string()
    .url()
    .refine(secureIssuer, 'must be an https:// URL (http:// only for 127.0.0.1 or localhost)')
    .optional()
    .describe(
      "SCIM 2.0 base URL of an application the demo tenant's PAG-SERVICE-DESK and PAG-SERVICE-DESK-L3 are linked to (with --demo, once each): activated membership is pushed there and removed at the window's end. Unset: no link.",
    ),
  ELEVATE_DEMO_SCIM_TOKEN: z
    .string()
    .min(1)
    .max(8192)
    .optional()
    .describe('Bearer token for ELEVATE_DEMO_SCIM_URL (required with it); stored sealed, never shown.'),
  ELEVATE_SCIM_RATE_PER_SECOND: z.coerce
    .number()
    .positive()
    .max(1000)
    .default(10)
    .describe(
      'Outbound SCIM: requests per second to one application (token bucket), unless its link sets its own rate.',
    ),
  ELEVATE_SMTP_URL: z
    .string()
    .max(2048)
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
    .optional()
    .describe(
      'SMTP server for e-mail notifications: smtp://[user:pass@]host:port (STARTTLS when offered), or smtps:// for TLS from the start. Unset: no e-mail is planned or sent.',
    ),
  ELEVATE_MAIL_FROM: z
    .string()
    .min(3)
    .max(320)
    .regex(/^[^\r\n]*@[^\r\n]*$/, 'must be an address, or a name and <address>, on one line')
    .default('Elevate PIM <elevate@localhost>')
    .describe(
      'From of notification e-mails (`pim@example.com` or `Elevate PIM <pim@example.com>`); its domain also names the Message-IDs.',
    ),
  ELEVATE_SCHEDULER_INTERVAL: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(15)
    .describe(
      'Seconds between scheduler ticks (start scheduled activations, end expired ones, time out approvals).',
    ),
  ELEVATE_OUTBOX_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(12)
    .describe(
      'Attempts at one delivery (e-mail, webhook, SCIM) before it is marked dead; dead deliveries are listed by `elevate outbox dead` and resent by `elevate outbox resend`.',
    ),
  ELEVATE_OUTBOX_RETRY_BASE: z.coerce
    .number()
    .min(0.1)
    .max(3600)
    .default(5)
    .describe(
      'Seconds before the first retry of a failed delivery; doubled after each further failure (with jitter), up to ELEVATE_OUTBOX_RETRY_MAX.',
    ),
  ELEVATE_OUTBOX_RETRY_MAX: z.coerce
    .number()
    .min(1)
    .max(86_400)
    .default(3600)
    .describe('Longest wait in seconds between two attempts at a delivery.'),
  ELEVATE_OUTBOX_POLL_INTERVAL: z.coerce
    .number()
    .min(0.1)
    .max(3600)
    .default(5)
    .describe(
      'Seconds between looks for due deliveries (retries; work another instance published). A commit wakes the dispatcher at once without waiting for it.',
    ),
  ELEVATE_WEBHOOK_TIMEOUT: z.coerce
    .number()
    .min(1)
    .max(300)
    .default(10)
    .describe(
      'Seconds a webhook endpoint has to answer before the attempt counts as failed (and is retried).',
    ),
  ELEVATE_WEBHOOK_ALLOWED_NETWORKS: z
    .string()
    .max(4096)
    .regex(
      /^[0-9a-f:.]+(\/\d{1,3})?(,[0-9a-f:.]+(\/\d{1,3})?)*$/i,
      'must be IP addresses or CIDR blocks separated by commas',
    )
    .optional()
    .describe(
      'Private, loopback or link-local addresses webhooks may call anyway, as IP addresses or CIDR blocks separated by commas (e.g. 10.20.0.0/16,127.0.0.1). Unset: webhook URLs must resolve to public addresses only.',
    ),
  ELEVATE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Log level.'),
});

/** https, or http on the loopback interface only (a provider on the same machine, as in tests). */
function secureIssuer(url: string): boolean {
  const u = new URL(url);
  return (
    u.protocol === 'https:' ||
    (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname))
  );
}

/** OIDC single sign-on, when ELEVATE_OIDC_ISSUER is set. */
export type OidcConfig = Readonly<{
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  matchClaim: z.infer<typeof configSchema>['ELEVATE_OIDC_MATCH_CLAIM'];
  createUsers: boolean;
  scopes: string;
}>;

export type Config = Readonly<{
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  /** ELEVATE_WORKERS: server processes (src/cluster); `auto` is one per core, and 1 on PGlite. */
  workers: number | 'auto';
  publicUrl: string | undefined;
  tenantId: string | undefined;
  tokenTtlSeconds: number;
  stepUpMaxAgeSeconds: number;
  oidc: OidcConfig | undefined;
  acrFallback: 'mfa' | 'deny';
  secretsKey: string | undefined;
  webauthnRpId: string | undefined;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  demoPassword: string | undefined;
  /** ELEVATE_DEMO_SCIM_URL and _TOKEN: the demo's provisioned groups (app/setup/demo-groups.ts) are linked to this application. */
  demoScim: Readonly<{ baseUrl: string; token: string }> | undefined;
  scimRatePerSecond: number;
  /** ELEVATE_SMTP_URL and ELEVATE_MAIL_FROM: e-mail notifications, when an SMTP URL is set. */
  email: Readonly<{ smtpUrl: string; from: string }> | undefined;
  schedulerIntervalSeconds: number;
  /** ELEVATE_OUTBOX_* and ELEVATE_WEBHOOK_*: retries of the outbox and where webhooks may go. */
  outbox: Readonly<{
    maxAttempts: number;
    retryBaseSeconds: number;
    retryMaxSeconds: number;
    pollIntervalSeconds: number;
    webhookTimeoutSeconds: number;
    webhookAllowedNetworks: readonly string[];
  }>;
  logLevel: z.infer<typeof configSchema>['ELEVATE_LOG_LEVEL'];
}>;

/** Parses the environment once; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith('ELEVATE_') && v !== ''),
  );
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.ELEVATE_OIDC_ISSUER && !c.ELEVATE_OIDC_CLIENT_ID) {
    throw new Error(
      'Invalid configuration:\n  ELEVATE_OIDC_CLIENT_ID: required when ELEVATE_OIDC_ISSUER is set',
    );
  }
  if (!c.ELEVATE_DATABASE_URL && c.ELEVATE_WORKERS !== 'auto' && c.ELEVATE_WORKERS > 1) {
    throw new Error(
      `Invalid configuration:\n  ELEVATE_WORKERS: ${c.ELEVATE_WORKERS} workers need PostgreSQL (ELEVATE_DATABASE_URL): the embedded database (PGlite) lives in one process, which locks its data directory; use 1`,
    );
  }
  if (c.ELEVATE_DEMO_SCIM_URL && !c.ELEVATE_DEMO_SCIM_TOKEN) {
    throw new Error(
      'Invalid configuration:\n  ELEVATE_DEMO_SCIM_TOKEN: required when ELEVATE_DEMO_SCIM_URL is set',
    );
  }
  return Object.freeze({
    host: c.ELEVATE_HOST,
    port: c.ELEVATE_PORT,
    dataDir: c.ELEVATE_DATA_DIR,
    databaseUrl: c.ELEVATE_DATABASE_URL,
    workers: c.ELEVATE_WORKERS,
    publicUrl: c.ELEVATE_PUBLIC_URL,
    tenantId: c.ELEVATE_TENANT_ID,
    tokenTtlSeconds: c.ELEVATE_TOKEN_TTL,
    stepUpMaxAgeSeconds: c.ELEVATE_STEP_UP_MAX_AGE,
    oidc: c.ELEVATE_OIDC_ISSUER
      ? Object.freeze({
          issuer: c.ELEVATE_OIDC_ISSUER,
          clientId: c.ELEVATE_OIDC_CLIENT_ID ?? '',
          clientSecret: c.ELEVATE_OIDC_CLIENT_SECRET,
          matchClaim: c.ELEVATE_OIDC_MATCH_CLAIM,
          createUsers: c.ELEVATE_OIDC_CREATE_USERS,
          scopes: c.ELEVATE_OIDC_SCOPES,
        })
      : undefined,
    acrFallback: c.ELEVATE_OIDC_ACR_FALLBACK,
    secretsKey: c.ELEVATE_SECRETS_KEY,
    webauthnRpId: c.ELEVATE_WEBAUTHN_RP_ID,
    sessionIdleMinutes: c.ELEVATE_SESSION_IDLE_MINUTES,
    sessionMaxHours: c.ELEVATE_SESSION_MAX_HOURS,
    demoPassword: c.ELEVATE_DEMO_PASSWORD,
    demoScim: c.ELEVATE_DEMO_SCIM_URL
      ? Object.freeze({ baseUrl: c.ELEVATE_DEMO_SCIM_URL, token: c.ELEVATE_DEMO_SCIM_TOKEN ?? '' })
      : undefined,
    scimRatePerSecond: c.ELEVATE_SCIM_RATE_PER_SECOND,
    email: c.ELEVATE_SMTP_URL
      ? Object.freeze({ smtpUrl: c.ELEVATE_SMTP_URL, from: c.ELEVATE_MAIL_FROM })
      : undefined,
    schedulerIntervalSeconds: c.ELEVATE_SCHEDULER_INTERVAL,
    outbox: Object.freeze({
      maxAttempts: c.ELEVATE_OUTBOX_MAX_ATTEMPTS,
      retryBaseSeconds: c.ELEVATE_OUTBOX_RETRY_BASE,
      retryMaxSeconds: c.ELEVATE_OUTBOX_RETRY_MAX,
      pollIntervalSeconds: c.ELEVATE_OUTBOX_POLL_INTERVAL,
      webhookTimeoutSeconds: c.ELEVATE_WEBHOOK_TIMEOUT,
      webhookAllowedNetworks: Object.freeze(c.ELEVATE_WEBHOOK_ALLOWED_NETWORKS?.split(',') ?? []),
    }),
    logLevel: c.ELEVATE_LOG_LEVEL,
  });
}

/** Rows of the README's configuration table, generated from the schema so the docs cannot drift. */
export function configurationTable(): { name: string; default: string; description: string }[] {
  return Object.entries(configSchema.shape).map(([name, schema]) => {
    const def = (schema as z.ZodTypeAny).safeParse(undefined);
    return {
      name,
      default: def.success && def.data !== undefined ? String(def.data) : '—',
      description: (schema as z.ZodTypeAny).description ?? '',
    };
  });
}

/** The README's configuration table (between `<!-- config:start -->` and `<!-- config:end -->`). */
export function configurationMarkdown(): string {
  const rows = configurationTable().map(
    (r) => `| \`${r.name}\` | ${r.default === '—' ? '—' : `\`${r.default}\``} | ${r.description} |`,
  );
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
