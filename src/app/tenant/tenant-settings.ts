import { randomBytes, randomUUID } from 'node:crypto';
import type { Executor } from '../context.js';

export interface TenantSettings {
  readonly tenantId: string;
  readonly signingKey: Uint8Array;
}

async function getOrCreate<T>(db: Executor, key: string, make: () => T): Promise<T> {
  const existing = await db
    .selectFrom('tenant_settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  if (existing) return existing.value as T;
  await db
    .insertInto('tenant_settings')
    .values({ key, value: JSON.stringify(make()) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('tenant_settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row.value as T;
}

/**
 * The tenant id and the token signing key, made once and kept in the database so tokens survive a
 * restart and every instance on the same PostgreSQL agrees.
 */
export async function loadTenantSettings(db: Executor, configuredTenantId?: string): Promise<TenantSettings> {
  const tenantId = await getOrCreate(db, 'tenant_id', () => configuredTenantId ?? randomUUID());
  const key = await getOrCreate(db, 'token_signing_key', () => randomBytes(32).toString('base64'));
  return { tenantId, signingKey: new Uint8Array(Buffer.from(key, 'base64')) };
}

export async function readFlag(db: Executor, key: string): Promise<unknown> {
  const row = await db
    .selectFrom('tenant_settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

export async function writeFlag(db: Executor, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('tenant_settings')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
    .execute();
}
