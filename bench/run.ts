// `npm run bench [-- --users N | --tenant DIR] [--no-peers] [--http-seconds S] [--rounds N] [--connections N]
//   [--postgres URL] [--server-log-level info] [--workers N]`
// Prints one table and writes bench/results.json:
// - the PIM core: decisions per second, selfActivate p50/p99 (empty embedded database)
// - Elevate's access index on the shared tenant (../shared/bench, generated with --users, 10,000 by default;
//   --users 100000 is the full tenant): import, database → index load, RSS, checks/s, p50/p99, agreement with
//   `expected` (in this process)
// - the server as deployed: `elevate serve` in its own process on the imported database (bench/server-bench.ts):
//   start-up time, its RSS after start-up and after the load; POST /api/v1/access/decide over loopback with
//   batches of 1 and 100; activation commit → effective; expiry → denied; list endpoints
//   (bench/list-endpoints.ts). On ELEVATE_DATABASE_URL when it is set (import included), else embedded PGlite;
//   with --postgres URL, the server part again on a scratch database of that PostgreSQL server. On PostgreSQL
//   the server runs --workers processes (node:cluster; 2 by default), its RSS summed over them; PGlite runs one
// - the peers (node-casbin, Cedar, the naive index) from ../shared/bench on the same tenant, unless --no-peers
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchPeers, type PeerResult } from './peers.js';
import { benchDecisions, benchHttp } from './pim-bench.js';
import { benchServerRun, withScratchPostgres } from './server-bench.js';
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
    postgres: { type: 'string' },
    'server-log-level': { type: 'string', default: 'info' },
    workers: { type: 'string', default: '2' },
  },
});

if (!/^[1-9]\d{0,2}$/.test(opts.workers))
  throw new Error(`--workers must be a whole number of server processes (1 or more), not ${opts.workers}`);

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
const results: Record<string, unknown> = {
  machine,
  at: new Date().toISOString(),
  tenant: manifest.params,
  decisions,
  activation,
};
const queries = readSharedQueries(dir);
const runOn = async (target: { dataDir: string; databaseUrl?: string }, measureIndex: boolean) => {
  mkdirSync(target.dataDir, { recursive: true });
  try {
    return await benchServerRun({
      ...target,
      tenantDir: dir,
      queries,
      measureIndex,
      httpSeconds: Number(opts['http-seconds']),
      connections: Number(opts.connections),
      rounds: Number(opts.rounds),
      serverLogLevel: opts['server-log-level'],
      workers: Number(opts.workers),
      log,
    });
  } finally {
    rmSync(target.dataDir, { recursive: true, force: true });
  }
};

// The whole bench on ELEVATE_DATABASE_URL when it is set (import included), else on embedded PGlite.
const scratch = join(benchDataDir(), `db-${basename(dir)}-${process.pid}`);
const primary = await runOn({ dataDir: scratch, databaseUrl: process.env.ELEVATE_DATABASE_URL }, true);
results.import = primary.import;
results.index = primary.index;
results.server = primary.server;
results.http = primary.http;
results.lists = primary.lists;
results.effect = primary.effect;
// --postgres URL: the server part again on a fresh database of that PostgreSQL server, so one run shows the
// server starting on the same tenant in both databases.
const postgresUrl = opts.postgres;
if (postgresUrl && process.env.ELEVATE_DATABASE_URL)
  log('--postgres ignored: the whole bench already ran on ELEVATE_DATABASE_URL');
else if (postgresUrl) {
  const again = await withScratchPostgres(postgresUrl, (databaseUrl) =>
    runOn({ dataDir: `${scratch}-pg`, databaseUrl }, false),
  );
  results.otherRuns = [again];
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
