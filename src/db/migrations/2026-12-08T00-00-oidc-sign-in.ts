import { type Kysely, sql } from 'kysely';

/**
 * OIDC single sign-on: the pending authorization requests (state, nonce and PKCE verifier kept server-side,
 * single-use, ten minutes), the link from a provider's subject to a user, and the `acr` an OIDC step-up proof
 * carries for the authentication-context rule.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per authorization request sent to the provider, deleted when its callback arrives. The state is
  // stored hashed; the PKCE verifier sealed (secret-box.ts). A step-up names its user and target.
  await db.schema
    .createTable('oidc_sign_in_states')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('state_hash', 'text', (c) => c.notNull().unique())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('signIn', 'stepUp')`))
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier_sealed', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text')
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('target_scope', 'text')
    .addColumn('max_age', 'integer')
    .addColumn('acr_values', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('oidc_sign_in_states_expires')
    .on('oidc_sign_in_states')
    .column('expires_at')
    .execute();

  // A provider's subject (iss + sub) belongs to one user, and a user has at most one subject per provider: once
  // linked, sign-in follows the subject, not a claim such as an email address that may be reassigned.
  await db.schema
    .createTable('user_identities')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_identities_pkey', ['issuer', 'subject'])
    .addUniqueConstraint('user_identities_issuer_user', ['issuer', 'user_id'])
    .execute();

  await db.schema.alterTable('step_up_proofs').addColumn('acr', 'text').execute();
}
