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
      'Base URL clients use to reach the server (used in @odata.nextLink). Default: http://HOST:PORT.',
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

export type Config = Readonly<{
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string | undefined;
  tenantId: string | undefined;
  tokenTtlSeconds: number;
  stepUpMaxAgeSeconds: number;
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
  return Object.freeze({
    host: c.ELEVATE_HOST,
    port: c.ELEVATE_PORT,
    dataDir: c.ELEVATE_DATA_DIR,
    databaseUrl: c.ELEVATE_DATABASE_URL,
    publicUrl: c.ELEVATE_PUBLIC_URL,
    tenantId: c.ELEVATE_TENANT_ID,
    tokenTtlSeconds: c.ELEVATE_TOKEN_TTL,
    stepUpMaxAgeSeconds: c.ELEVATE_STEP_UP_MAX_AGE,
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
