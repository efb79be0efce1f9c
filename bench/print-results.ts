// The one table `npm run bench` prints (and the README shows).
import type { ActivationBenchResult } from './activation-bench.js';
import type { IndexBenchResult } from './index-bench.js';
import type { PeerResult } from './peers.js';
import type { ScimLatencyResult } from './scim-latency.js';
import type { ImportFigures, ServerFigures, ServerRun } from './server-bench.js';

interface Latency {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanItems: number;
}

export interface BenchResults {
  readonly machine: string;
  readonly tenant: Readonly<Record<string, number | string>>;
  readonly decisions: { readonly perSecond: number };
  readonly activation: { readonly p50: number; readonly p99: number; readonly dialect: string };
  readonly import?: ImportFigures;
  readonly index?: IndexBenchResult;
  /** The server process (absent from results written before it ran in its own process). */
  readonly server?: ServerFigures;
  readonly http?: ServerRun['http'];
  readonly effect?: ActivationBenchResult;
  readonly lists?: {
    readonly instancesByPrincipal: Latency;
    readonly auditByTarget: Latency;
    readonly armEligibilityInstancesByPrincipal?: Latency;
  };
  /** The server part again on another database (`--postgres URL`). */
  readonly otherRuns?: readonly ServerRun[];
  readonly scim?: ScimLatencyResult;
  readonly peers: readonly PeerResult[];
  readonly loadAverage: { readonly atStart: number; readonly atEnd: number };
}

const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const us = (x: number) =>
  !Number.isFinite(x) ? 'n/a' : x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(1)} µs`;
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : 'n/a');
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

const mb = (x: number) => `${int(x)} MB`;

/** The server's rows: start-up and memory, decide over loopback, activation → effective, expiry, lists. */
function serverRows(
  r: Pick<BenchResults, 'server' | 'http' | 'effect' | 'lists'>,
  suffix: string,
): string[][] {
  const rows: string[][] = [];
  const s = r.server;
  const h = r.http;
  const workers = s?.workers ?? 1;
  // Several workers: the figures are the cluster's (RSS summed over the primary and the workers).
  const served = workers > 1 ? `, ${workers} workers` : '';
  if (s) {
    const processes = s.afterStart.processes ?? 1;
    rows.push([
      workers > 1
        ? `server start on the tenant (elevate serve --workers ${workers}, ${s.dialect})`
        : `server start on the tenant (elevate serve, own process, ${s.dialect})`,
      '',
      '',
      '',
      `${s.startSeconds.toFixed(2)} s to /healthz${workers > 1 ? ' from every worker' : ''}; RSS ${mb(s.afterStart.rssMB)} after start, ${mb(s.afterLoad.rssMB)} after the decide load, peak ${mb(s.atEnd.peakRssMB)}${processes > 1 ? ` (sums over ${processes} processes${s.afterLoad.pssMB === undefined ? '' : `; PSS after the load ${mb(s.afterLoad.pssMB)}`})` : ''}; log level ${s.logLevel}`,
    ]);
  } else if (h) {
    rows.push([
      'server start on the tenant (compose, index load)',
      '',
      '',
      '',
      `${h.startSeconds.toFixed(2)} s; RSS after ${int(h.rssAfterStartMB)} MB`,
    ]);
  }
  if (h) {
    for (const b of [h.batch1, h.batch100])
      rows.push([
        `POST /api/v1/access/decide, batch ${b.batch}, loopback${served}${suffix}`,
        `${int(b.checksPerSecond)} checks/s`,
        ms(b.p50Ms),
        ms(b.p99Ms),
        `${int(b.requestsPerSecond)} requests/s${b.failed ? `; ${b.failed} failed` : ''}`,
      ]);
  }
  const e = r.effect;
  if (e) {
    rows.push([
      `activation commit → effective in decide${served}${suffix}`,
      '',
      ms(e.effectiveP50Ms),
      ms(e.effectiveP99Ms),
      `${e.rounds} activations; allowed at check #${e.maxChecksUntilEffective} at worst`,
    ]);
    rows.push([
      `expiry → denied${suffix}`,
      '',
      '',
      '',
      `${Number.isFinite(e.expiryLagMs) ? `${e.expiryLagMs} ms` : 'NOT denied at end'} (windows compared at read time)`,
    ]);
  }
  const l = r.lists;
  if (l) {
    rows.push([
      `GET roleAssignmentScheduleInstances?$filter=principalId eq …${suffix}`,
      '',
      ms(l.instancesByPrincipal.p50Ms),
      ms(l.instancesByPrincipal.p99Ms),
      `${l.instancesByPrincipal.meanItems.toFixed(1)} items on average`,
    ]);
    rows.push([
      `GET directoryAudits?$filter=targetResources/any(t: t/id eq …)${suffix}`,
      '',
      ms(l.auditByTarget.p50Ms),
      ms(l.auditByTarget.p99Ms),
      `${l.auditByTarget.meanItems.toFixed(1)} items on average`,
    ]);
    const arm = l.armEligibilityInstancesByPrincipal;
    if (arm)
      rows.push([
        `GET (ARM, root) roleEligibilityScheduleInstances?$filter=assignedTo('…')${suffix}`,
        '',
        ms(arm.p50Ms),
        ms(arm.p99Ms),
        `${arm.meanItems.toFixed(1)} items on average (direct and through groups, at every scope)`,
      ]);
  }
  return rows;
}

function importRow(i: ImportFigures, dialect: string | undefined): string[] {
  const records = Object.values(i.inserted).reduce((a, b) => a + b, 0);
  return [
    `elevate import tenant (bulk${dialect ? `, ${dialect}` : ''})`,
    `${int(records / i.seconds)} records/s`,
    '',
    '',
    `${i.seconds.toFixed(1)} s; ${i.merged} overlapping live assignments merged`,
  ];
}

export function printTable(r: BenchResults): string {
  const t = r.tenant;
  const rows: string[][] = [];
  const i = r.index;
  if (i) {
    rows.push([
      'Elevate access index, in-process (checkMany, batches)',
      `${int(i.checksPerSecond)} checks/s`,
      us(i.p50Us),
      us(i.p99Us),
      `agreement ${pct(i.agreement)}; database → index ${i.loadSeconds.toFixed(2)} s (${i.loadCpuSeconds.toFixed(2)} s CPU) for ${int(i.grants)} active grants; RSS ${int(i.rssMB)} MB (index heap ${int(i.indexHeapMB)} MB${i.indexArraysMB === undefined ? '' : `, of which arrays ${int(i.indexArraysMB)} MB`})`,
    ]);
    if (i.checksPerSecondOneByOne !== undefined)
      rows.push([
        'Elevate access index, in-process (one check call per question)',
        `${int(i.checksPerSecondOneByOne)} checks/s`,
        us(i.p50Us),
        us(i.p99Us),
        'the same answers; p50/p99 are of single calls',
      ]);
  }
  for (const p of r.peers) {
    rows.push([
      `peer: ${p.engine}`,
      `${int(p.checksPerSecond)} checks/s`,
      us(p.p50Us),
      us(p.p99Us),
      `agreement ${pct(p.agreement)}${p.ignoresTime ? ' (time-free reference)' : ''}; build ${p.buildSeconds.toFixed(2)} s${p.partial ? ' (only the policies its sample needs)' : ''}; RSS ${int(p.rssMB)} MB; ${int(p.checks)} checks`,
    ]);
  }
  rows.push(...serverRows(r, ''));
  if (r.import) rows.push(importRow(r.import, r.server?.dialect));
  for (const run of r.otherRuns ?? [])
    rows.push(...serverRows(run, ` (${run.dialect})`), importRow(run.import, run.dialect));
  if (r.scim) {
    rows.push([
      'activation → member in the SCIM application (outbox, loopback)',
      '',
      ms(r.scim.addP50Ms),
      ms(r.scim.addP99Ms),
      `${r.scim.rounds} rounds on ${r.scim.dialect}; deactivation → removed p50 ${ms(r.scim.removeP50Ms)}, p99 ${ms(r.scim.removeP99Ms)}`,
    ]);
  }
  rows.push([
    'decideScheduleRequest (selfActivate, 17 rules)',
    `${int(r.decisions.perSecond)} decisions/s`,
    '',
    '',
    'pure core',
  ]);
  rows.push([
    `POST selfActivate over Fastify inject (${r.activation.dialect}, empty)`,
    '',
    ms(r.activation.p50),
    ms(r.activation.p99),
    '',
  ]);

  const header = ['what', 'throughput', 'p50', 'p99', 'notes'];
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  return [
    `Elevate benchmark — ${r.machine}; load average ${r.loadAverage.atStart.toFixed(2)} at start, ${r.loadAverage.atEnd.toFixed(2)} at end`,
    `Tenant (../shared/bench): ${int(Number(t.users))} users, ${int(Number(t.groups))} groups, ${t.roles} roles, ${int(Number(t.assignments))} assignments, ${int(Number(t.subscriptions) + Number(t.resourceGroups) + Number(t.resources) + Number(t.managementGroups) + 1)} scopes, ${int(Number(t.queries))} queries`,
    '',
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    '',
  ].join('\n');
}
