// The access index in-process, on the shared tenant and its queries: database → index load time, memory,
// single-threaded checks per second, per-check latency, agreement with `expected`.
import { performance } from 'node:perf_hooks';
import { loadAccessIndex } from '../src/app/access/access-index-sync.js';
import { canonicalScope } from '../src/app/access/scope-chains.js';
import type { IndexQuery } from '../src/core/access/index/access-index.js';
import type { Database } from '../src/db/connect.js';
import type { SharedQueries } from './shared-queries.js';

export interface IndexBenchResult {
  readonly loadSeconds: number;
  /** CPU seconds this process spent in the load (the wall time above includes waiting for a busy machine). */
  readonly loadCpuSeconds: number;
  readonly grants: number;
  readonly holders: number;
  readonly scopes: number;
  /** Process RSS after the load and a GC (embedded PGlite's memory included when it is the database). */
  readonly rssMB: number;
  /** JS heap the index took (heap after − heap before, both after GC). */
  readonly indexHeapMB: number;
  readonly checks: number;
  /** Through `checkMany` (the batch path `POST /access/decide` takes): a batch's memory reads overlap. */
  readonly checksPerSecond: number;
  /** One `check` call per question. */
  readonly checksPerSecondOneByOne: number;
  /** Bytes of the index's own arrays (regions, chains), apart from its maps. */
  readonly indexArraysMB: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly agreement: number;
  readonly mismatches: readonly { category: string; principalId: string; scope: string; expected: boolean }[];
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const MB = 1024 * 1024;

export const percentile = (sorted: ArrayLike<number>, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** The queries as the index takes them (scopes made canonical once, as the service does per distinct scope). */
function toIndexQueries(q: SharedQueries): IndexQuery[] {
  const canonical = new Map<string, string>();
  const out: IndexQuery[] = [];
  for (let i = 0; i < q.count; i++) {
    const s = q.scope[i] as string;
    let c = canonical.get(s);
    if (c === undefined) {
      c = canonicalScope(s);
      canonical.set(s, c);
    }
    const permission = q.permission[i];
    out.push({
      principalId: q.principalId[i] as string,
      target:
        permission !== null && permission !== undefined
          ? { action: permission }
          : { roleDefinitionId: q.roleDefinitionId[i] as string },
      scope: c,
      at: q.time[i] as number,
    });
  }
  return out;
}

export async function benchIndex(database: Database, q: SharedQueries): Promise<IndexBenchResult> {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const { index } = await loadAccessIndex(database.db);
  const loadSeconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  gc();
  gc();
  const mem = process.memoryUsage();
  const queries = toIndexQueries(q);
  const n = queries.length;
  const answers = new Uint8Array(n);

  // Warm-up over every query (not counted: it fills the scope-chain cache and lets the engine compile the
  // check), then passes without timers for throughput — batched, then one call per question — then timed
  // single checks for latency.
  for (let i = 0; i < n; i++) index.check(queries[i] as IndexQuery);
  index.checkMany(queries);
  const passes = n < 200_000 ? Math.ceil(200_000 / n) : 1;
  const t1 = performance.now();
  for (let p = 0; p < passes; p++) {
    const batch = index.checkMany(queries);
    for (let i = 0; i < n; i++) answers[i] = batch[i] ? 1 : 0;
  }
  const seconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  let agreeOneByOne = 0;
  for (let p = 0; p < passes; p++)
    for (let i = 0; i < n; i++)
      if ((index.check(queries[i] as IndexQuery) ? 1 : 0) === answers[i]) agreeOneByOne++;
  const secondsOneByOne = (performance.now() - t2) / 1000;
  if (agreeOneByOne !== n * passes) throw new Error('check and checkMany gave different answers');
  const m = Math.min(n, 200_000);
  const latencies = new Float64Array(m);
  const hr = process.hrtime.bigint;
  for (let i = 0; i < m; i++) {
    const s = hr();
    index.check(queries[i] as IndexQuery);
    latencies[i] = Number(hr() - s) / 1000;
  }
  latencies.sort();

  let agree = 0;
  const mismatches: IndexBenchResult['mismatches'][number][] = [];
  for (let i = 0; i < n; i++) {
    if (answers[i] === q.expected[i]) agree++;
    else if (mismatches.length < 5)
      mismatches.push({
        category: q.category[i] as string,
        principalId: q.principalId[i] as string,
        scope: q.scope[i] as string,
        expected: q.expected[i] === 1,
      });
  }
  const stats = index.stats();
  return {
    loadSeconds,
    loadCpuSeconds: (used.user + used.system) / 1e6,
    grants: stats.grants,
    holders: stats.holders,
    scopes: stats.scopes,
    rssMB: mem.rss / MB,
    indexHeapMB: (mem.heapUsed - heapBefore) / MB,
    checks: n * passes,
    checksPerSecond: (n * passes) / seconds,
    checksPerSecondOneByOne: (n * passes) / secondsOneByOne,
    indexArraysMB: stats.bytes / MB,
    p50Us: percentile(latencies, 50),
    p99Us: percentile(latencies, 99),
    agreement: agree / n,
    mismatches,
  };
}
