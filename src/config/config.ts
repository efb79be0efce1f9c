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
  ELEVATE_DEMO_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .optional()
    .describe('Password of every demo account (with --demo). Default: generated and printed once.'),
  ELEVATE_SCHEDULER_INTERVAL: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(15)
    .describe(
      'Seconds between scheduler ticks (start scheduled activations, end expired ones, time out approvals).',
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
  publicUrl: string | undefined;
  tenantId: string | undefined;
  tokenTtlSeconds: number;
  stepUpMaxAgeSeconds: number;
  oidc: OidcConfig | undefined;
  acrFallback: 'mfa' | 'deny';
  demoPassword: string | undefined;
  schedulerIntervalSeconds: number;
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
  return Object.freeze({
    host: c.ELEVATE_HOST,
    port: c.ELEVATE_PORT,
    dataDir: c.ELEVATE_DATA_DIR,
    databaseUrl: c.ELEVATE_DATABASE_URL,
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
    demoPassword: c.ELEVATE_DEMO_PASSWORD,
    schedulerIntervalSeconds: c.ELEVATE_SCHEDULER_INTERVAL,
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
