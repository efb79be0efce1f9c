import { type Kysely, sql } from 'kysely';

/**
 * Sign-in hardening: TOTP authenticators and recovery codes, the per-account failure counter behind lockout,
 * single-use step-up proofs bound to a target, and personal access tokens. Secrets are stored hashed (recovery
 * codes, proofs, tokens) or encrypted (TOTP seeds), never in clear.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // One TOTP authenticator per user; unconfirmed until the first code is checked. last_used_step makes each
  // code single-use (RFC 6238 §5.2): a code is accepted only for a time step after the last accepted one.
  await db.schema
    .createTable('user_totp')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('last_used_step', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_recovery_codes')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('user_recovery_codes_user')
    .on('user_recovery_codes')
    .columns(['user_id', 'code_hash'])
    .execute();

  // Consecutive failures (password or second factor) and the lockouts they caused; a success clears both.
  await db.schema
    .createTable('sign_in_throttle')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('failed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lockouts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_failure_at', 'timestamptz')
    .execute();

  // A proof of an MFA made for one target (a directory role at a scope; a group's member/owner access later).
  await db.schema
    .createTable('step_up_proofs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('proof_hash', 'text', (c) => c.notNull().unique())
    .addColumn('target_type', 'text', (c) =>
      c.notNull().check(sql`target_type in ('directoryRole', 'group')`),
    )
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('target_scope', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('authenticated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('consumed_at', 'timestamptz')
    .addColumn('consumed_by', 'uuid')
    .execute();

  await db.schema
    .createTable('personal_access_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('hint', 'text', (c) => c.notNull())
    .addColumn('scopes', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('personal_access_tokens_user')
    .on('personal_access_tokens')
    .column('user_id')
    .execute();
}
