import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, openDatabaseFromTemplate } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory (`dumpDataDir` tarball) that each test database starts from. */
    pgliteTemplatePath: string;
    /** The migrated PostgreSQL database each test database is created from; null without TEST_POSTGRES_URL. */
    postgresTemplateDatabase: string | null;
  }
}

/**
 * Builds each database kind's migrated template once per run, so a test database costs a copy (about 1 s on
 * PGlite, a CREATE DATABASE … TEMPLATE on PostgreSQL) instead of a cluster start plus every migration.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const postgresUrl = process.env.TEST_POSTGRES_URL || undefined;
  const [pglitePath, postgresTemplate] = await Promise.all([
    buildPgliteTemplate(),
    postgresUrl ? buildPostgresTemplate(postgresUrl) : undefined,
  ]);
  project.provide('pgliteTemplatePath', pglitePath);
  project.provide('postgresTemplateDatabase', postgresTemplate ?? null);

  return async () => {
    await rm(pglitePath, { force: true });
    if (postgresUrl && postgresTemplate) {
      await runAsAdmin(postgresUrl, `drop database if exists ${postgresTemplate} with (force)`);
    }
  };
}

async function buildPgliteTemplate(): Promise<string> {
  const database = await openDatabaseFromTemplate(await pristineCluster());
  try {
    await migrateToLatest(database.db);
    const dump = await database.withPglite!((pglite) => pglite.dumpDataDir('none'));
    const path = join(tmpdir(), `elevate-test-template-${process.pid}-${randomUUID()}.tar`);
    await writeFile(path, new Uint8Array(await dump.arrayBuffer()));
    return path;
  } finally {
    await database.close();
  }
}

/**
 * A freshly initialised PGlite cluster, not yet migrated. It depends only on the PGlite build, so it is
 * cached in the temp directory across runs: initdb is most of PGlite's 5–7 s cold start.
 */
async function pristineCluster(): Promise<Blob> {
  // The package does not export its package.json; find it beside the entry point (dist/index.cjs).
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const { version } = JSON.parse(await readFile(join(dirname(entry), '..', 'package.json'), 'utf8'));
  const cachePath = join(tmpdir(), `elevate-pglite-${version}-initdb.tar`);
  const cached = await readFile(cachePath).catch(() => undefined);
  if (cached) return new Blob([new Uint8Array(cached)]);

  const pglite = await PGlite.create();
  try {
    const bytes = new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer());
    const partial = `${cachePath}.${process.pid}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, cachePath);
    return new Blob([bytes]);
  } finally {
    await pglite.close();
  }
}

async function buildPostgresTemplate(url: string): Promise<string> {
  // Unique per run: two runs against one cluster (CI and a developer, two worktrees) must not collide.
  const name = `elevate_template_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await runAsAdmin(url, `create database ${name}`);
  try {
    const database = await openDatabase({ databaseUrl: databaseUrlFor(url, name), dataDir: '', pool: 1 });
    try {
      await migrateToLatest(database.db);
    } finally {
      // A template must have no open connections when it is copied.
      await database.close();
    }
  } catch (error) {
    await runAsAdmin(url, `drop database if exists ${name} with (force)`);
    throw error;
  }
  return name;
}

/** Runs one statement (CREATE/DROP DATABASE) on the server's maintenance database from `url`. */
export async function runAsAdmin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The same server and credentials, another database. */
export function databaseUrlFor(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
