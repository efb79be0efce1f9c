// One database's part of the bench: import the shared tenant, (optionally) measure the access index in this
// process, prepare what the HTTP figures need through the services, close the database, then start the real
// server as a child process on it (bench/server-process.ts) and measure it over loopback: start-up time, its
// RSS after start-up and after the decide load, POST /api/v1/access/decide with batches of 1 and 100, the list
// endpoints, activation → effective and expiry → denied.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createAuditWriter } from '../src/app/audit/audit-writer.js';
import { systemActor } from '../src/app/context.js';
import { importTenant } from '../src/app/import/import-tenant.js';
import type { Services } from '../src/app/services.js';
import { loadTenantSettings } from '../src/app/tenant/tenant-settings.js';
import { composeServices, openMigratedDatabase, systemClock, uuidV7Ids } from '../src/compose.js';
import { azureRoleIds } from '../src/core/catalog/azure-roles.js';
import { directoryRoleIds } from '../src/core/catalog/directory-roles.js';
import { rootScopeId } from '../src/core/scope/resource-scope.js';
import type { Database } from '../src/db/connect.js';
import { type ActivationBenchResult, benchActivation, prepareActivation } from './activation-bench.js';
import { benchHttpDecide, type HttpBenchResult } from './http-bench.js';
import { benchIndex, type IndexBenchResult } from './index-bench.js';
import { benchListEndpoints, type ListBenchResult } from './list-endpoints.js';
import { type ProcessMemory, startServerProcess } from './server-process.js';
import type { SharedQueries } from './shared-queries.js';

export interface ServerFigures {
  readonly dialect: 'pglite' | 'postgres';
  /** Server processes sharing the port (`elevate serve --workers`); absent in results written before. */
  readonly workers?: number;
  /** `elevate serve` spawned → /healthz answered (compose with the index load, reconcile, listen). */
  readonly startSeconds: number;
  readonly logLevel: string;
  /** The server's RSS (and peak so far) once it answers, before any load: the sum over its processes. */
  readonly afterStart: ProcessMemory;
  /** … after the decide load (batches of 1 and 100). */
  readonly afterLoad: ProcessMemory;
  /** … at the end (lists and activations included): its peak is the run's. */
  readonly atEnd: ProcessMemory;
}

export interface ImportFigures {
  readonly seconds: number;
  readonly inserted: Readonly<Record<string, number>>;
  readonly merged: number;
}

export interface ServerRun {
  readonly dialect: 'pglite' | 'postgres';
  readonly import: ImportFigures;
  readonly index?: IndexBenchResult;
  readonly server: ServerFigures;
  readonly http: {
    readonly batch1: HttpBenchResult;
    readonly batch100: HttpBenchResult;
    /** Kept for readers of earlier results.json: the same as `server.startSeconds` and `afterStart.rssMB`. */
    readonly startSeconds: number;
    readonly rssAfterStartMB: number;
  };
  readonly lists: ListBenchResult;
  readonly effect: ActivationBenchResult;
}

export interface ServerRunOptions {
  /** PGlite's data directory, or PostgreSQL's URL (then `dataDir` only holds the server's log). */
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly tenantDir: string;
  readonly queries: SharedQueries;
  /** Measure the index in this process too (once per bench run is enough). */
  readonly measureIndex: boolean;
  readonly httpSeconds: number;
  readonly connections: number;
  readonly rounds: number;
  readonly serverLogLevel: string;
  /** ELEVATE_WORKERS of the server (PostgreSQL only; PGlite runs one process). */
  readonly workers: number;
  readonly log: (line: string) => void;
}

/** A Global Reader (who may ask about anyone) and a token; set up directly, before the server starts. */
async function prepareReader(database: Database, services: Services): Promise<string> {
  const reader = await services.users.createUnchecked(
    { actor: systemActor, requestId: uuidV7Ids.newId() },
    { userPrincipalName: `bench-reader-${Date.now()}@elevate.test`, displayName: 'Bench reader' },
  );
  // A permanent active assignment, written directly (the bench's setup, not a use case).
  const assign = (targetKind: 'directoryRole' | 'resourceRole', roleDefinitionId: string) =>
    database.db
      .insertInto('schedules')
      .values({
        id: uuidV7Ids.newId(),
        kind: 'assignment',
        principal_id: reader.id,
        principal_type: 'user',
        target_kind: targetKind,
        role_definition_id: roleDefinitionId,
        scope_id: rootScopeId,
        assignment_type: 'Assigned',
        start_at: new Date(Date.now() - 3_600_000),
        end_at: null,
        status: 'Provisioned',
        created_using: uuidV7Ids.newId(),
        activated_using: null,
        created_at: new Date(),
        modified_at: new Date(),
      })
      .execute();
  await assign('directoryRole', directoryRoleIds.globalReader);
  // …and Reader of the whole resource tree, so the ARM-shaped lists show it every resource role.
  await assign('resourceRole', azureRoleIds.reader);
  return (await services.auth.issueToken({ id: reader.id, type: 'user', mfa: true })).accessToken;
}

/** Imports, prepares, closes the database, then measures the server process on it. */
export async function benchServerRun(o: ServerRunOptions): Promise<ServerRun> {
  const database = await openMigratedDatabase({ dataDir: o.dataDir, databaseUrl: o.databaseUrl });
  const dialect = database.dialect;
  let imported: ImportFigures;
  let index: IndexBenchResult | undefined;
  let readerToken: string;
  let plan: Awaited<ReturnType<typeof prepareActivation>>;
  try {
    o.log(`importing ${join(o.tenantDir, 'tenant.jsonl')} into ${dialect} …`);
    const { tenantId } = await loadTenantSettings(database.db);
    imported = await importTenant(
      { db: database.db, clock: systemClock, tenantId, ids: uuidV7Ids, audit: createAuditWriter() },
      join(o.tenantDir, 'tenant.jsonl'),
    );
    if (o.measureIndex) {
      o.log('access index: load and in-process checks …');
      index = await benchIndex(database, o.queries);
    }
    o.log(
      `preparing the server's figures (a reader, ${o.rounds} users eligible with an authenticator app) …`,
    );
    const services = await composeServices(database);
    readerToken = await prepareReader(database, services);
    plan = await prepareActivation(services, o.rounds);
  } finally {
    await database.close();
  }

  const workers = dialect === 'postgres' ? o.workers : 1;
  o.log(
    `server: elevate serve on ${dialect} (loads the index), ${workers > 1 ? `${workers} workers (node:cluster)` : 'in its own process'} …`,
  );
  const server = await startServerProcess({
    dataDir: o.dataDir,
    databaseUrl: o.databaseUrl,
    logLevel: o.serverLogLevel,
    logFile: `${o.dataDir}-server.log`,
    workers,
  });
  let failed = true;
  try {
    const afterStart = server.memory();
    o.log(
      `  ready in ${server.startSeconds.toFixed(2)} s, RSS ${afterStart.rssMB.toFixed(0)} MB; decide, batch 1 then 100, ${o.httpSeconds} s each …`,
    );
    const load = { seconds: o.httpSeconds, connections: o.connections };
    const batch1 = await benchHttpDecide(server.baseUrl, readerToken, o.queries, { ...load, batch: 1 });
    const batch100 = await benchHttpDecide(server.baseUrl, readerToken, o.queries, { ...load, batch: 100 });
    const afterLoad = server.memory();
    o.log('list endpoints …');
    const ids = [...new Set(o.queries.principalId)].slice(0, 500);
    const lists = await benchListEndpoints({
      target: { baseUrl: server.baseUrl },
      token: readerToken,
      principalIds: ids,
      targetIds: ids,
      arm: true,
    });
    o.log('activation commit → effective, expiry → denied …');
    const effect = await benchActivation(server.baseUrl, readerToken, plan);
    const atEnd = server.memory();
    failed = false;
    return {
      dialect,
      import: imported,
      ...(index ? { index } : {}),
      server: {
        dialect,
        workers,
        startSeconds: server.startSeconds,
        logLevel: o.serverLogLevel,
        afterStart,
        afterLoad,
        atEnd,
      },
      http: { batch1, batch100, startSeconds: server.startSeconds, rssAfterStartMB: afterStart.rssMB },
      lists,
      effect,
    };
  } finally {
    await server.stop();
    // The server's log is kept when something failed (its end is in the error too).
    if (failed) o.log(`the server's log: ${server.logFile}`);
    else rmSync(server.logFile, { force: true });
  }
}

/** Runs one statement on the PostgreSQL server of `url` (CREATE/DROP DATABASE). */
async function runAsAdmin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh database on the PostgreSQL server of `url` for the duration of `fn`, dropped afterwards. */
export async function withScratchPostgres<T>(
  url: string,
  fn: (databaseUrl: string) => Promise<T>,
): Promise<T> {
  const name = `elevate_bench_${process.pid}_${Date.now()}`;
  await runAsAdmin(url, `create database ${name}`);
  try {
    const parsed = new URL(url);
    parsed.pathname = `/${name}`;
    return await fn(parsed.toString());
  } finally {
    await runAsAdmin(url, `drop database if exists ${name} with (force)`);
  }
}
