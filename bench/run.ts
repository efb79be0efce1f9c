// `npm run bench [-- --users N | --tenant DIR] [--no-peers] [--http-seconds S] [--rounds N] [--connections N]`
// Prints one table and writes bench/results.json:
// - the PIM core: decisions per second, selfActivate p50/p99 (empty embedded database)
// - Elevate's access index on the shared tenant (../shared/bench, generated with --users, 10,000 by default;
//   --users 100000 is the full tenant): import, database → index load, RSS, checks/s, p50/p99, agreement with
//   `expected`; POST /api/v1/access/decide over loopback with batches of 1 and 100; activation commit →
//   effective; expiry → denied; list endpoints (bench/list-endpoints.ts)
// - the peers (node-casbin, Cedar, the naive index) from ../shared/bench on the same tenant, unless --no-peers
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { systemActor } from '../src/app/context.js';
import { importTenant } from '../src/app/import/import-tenant.js';
import { loadTenantSettings } from '../src/app/tenant/tenant-settings.js';
import { composeServices, openMigratedDatabase, systemClock, uuidV7Ids } from '../src/compose.js';
import { directoryRoleIds } from '../src/core/catalog/directory-roles.js';
import { buildHttpServer } from '../src/http/server.js';
import { benchActivation, benchClock } from './activation-bench.js';
import { benchHttpDecide } from './http-bench.js';
import { benchIndex } from './index-bench.js';
import { benchPeers, type PeerResult } from './peers.js';
import { benchDecisions, benchHttp } from './pim-bench.js';
import { readSharedQueries } from './shared-queries.js';
import { benchDataDir, generateTenant } from './shared-tenant.js';

// Memory figures need a GC before they are read: run again with --expose-gc (and room for the full tenant).
if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=12000',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  process.exit(child.status ?? 1);
}

const { values: opts } = parseArgs({
  options: {
    tenant: { type: 'string' },
    users: { type: 'string', default: '10000' },
    'no-peers': { type: 'boolean', default: false },
    'http-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '100' },
  },
});

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const loadAtStart = loadavg()[0] ?? 0;
const log = (line: string) => process.stderr.write(`${line}\n`);

log('PIM core: decisions and activations …');
const decisions = benchDecisions(200_000);
const activation = await benchHttp(Number(process.env.BENCH_ROUNDS ?? 100));
log('activation → SCIM delivered …');
const { benchScimLatency } = await import('./scim-latency.js');
const scim = await benchScimLatency({ rounds: Number(opts.rounds) });

const dir = opts.tenant ?? generateTenant(Number(opts.users));
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
  params: Record<string, number | string>;
};
const dataDir = join(benchDataDir(), `db-${basename(dir)}-${process.pid}`);
mkdirSync(dataDir, { recursive: true });
const database = await openMigratedDatabase({ dataDir, databaseUrl: process.env.ELEVATE_DATABASE_URL });
const results: Record<string, unknown> = {
  machine,
  at: new Date().toISOString(),
  tenant: manifest.params,
  decisions,
  activation,
};
try {
  log(`importing ${join(dir, 'tenant.jsonl')} into ${database.dialect} …`);
  const { tenantId } = await loadTenantSettings(database.db);
  const imported = await importTenant(
    { db: database.db, clock: systemClock, tenantId },
    join(dir, 'tenant.jsonl'),
  );
  results.import = imported;

  log('access index: load and in-process checks …');
  const queries = readSharedQueries(dir);
  const index = await benchIndex(database, queries);
  results.index = index;

  log('server: compose (loads the index) and listen on loopback …');
  const clock = benchClock();
  const t0 = performance.now();
  const services = await composeServices(database, { clock });
  const app = await buildHttpServer({ services, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const startSeconds = (performance.now() - t0) / 1000;
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const rssAfterStartMB = process.memoryUsage().rss / 2 ** 20;

  // A Global Reader may ask about anyone (the load uses the tenant's users).
  const reader = await services.users.createUnchecked(
    { actor: systemActor, requestId: uuidV7Ids.newId() },
    { userPrincipalName: `bench-reader-${Date.now()}@elevate.test`, displayName: 'Bench reader' },
  );
  await database.db
    .insertInto('schedules')
    .values({
      id: uuidV7Ids.newId(),
      kind: 'assignment',
      principal_id: reader.id,
      principal_type: 'user',
      target_kind: 'directoryRole',
      role_definition_id: directoryRoleIds.globalReader,
      scope_id: '/',
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
  const token = (await services.auth.issueToken({ id: reader.id, type: 'user', mfa: true })).accessToken;

  const seconds = Number(opts['http-seconds']);
  const connections = Number(opts.connections);
  log(`HTTP: POST /api/v1/access/decide, batch 1 then 100, ${seconds} s each …`);
  const http1 = await benchHttpDecide(baseUrl, token, queries, { batch: 1, seconds, connections });
  const http100 = await benchHttpDecide(baseUrl, token, queries, { batch: 100, seconds, connections });
  results.http = { batch1: http1, batch100: http100, startSeconds, rssAfterStartMB };

  const listModule = new URL('./list-endpoints.ts', import.meta.url);
  if (existsSync(listModule)) {
    log('list endpoints …');
    const { benchListEndpoints } = (await import(listModule.href)) as typeof import('./list-endpoints.js');
    const ids = [...new Set(queries.principalId)].slice(0, 500);
    results.lists = await benchListEndpoints({
      target: { baseUrl },
      token,
      principalIds: ids,
      targetIds: ids,
    });
  }
  log('activation commit → effective, expiry → denied …');
  results.effect = await benchActivation(services, clock, baseUrl, Number(opts.rounds));

  await app.close();
} finally {
  await database.close();
  if (!process.env.ELEVATE_DATABASE_URL) rmSync(dataDir, { recursive: true, force: true });
}

let peers: PeerResult[] = [];
if (!opts['no-peers']) {
  try {
    peers = await benchPeers(manifest.params);
  } catch (error) {
    log(`the peers did not run: ${(error as Error).message.split('\n')[0]}`);
  }
}
results.peers = peers;
results.scim = scim;
results.loadAverage = { atStart: loadAtStart, atEnd: loadavg()[0] ?? 0 };

const { printTable } = await import('./print-results.js');
process.stdout.write(printTable(results as unknown as Parameters<typeof printTable>[0]));
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
