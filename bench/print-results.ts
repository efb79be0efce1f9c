// The one table `npm run bench` prints (and the README shows).
import type { ActivationBenchResult } from './activation-bench.js';
import type { HttpBenchResult } from './http-bench.js';
import type { IndexBenchResult } from './index-bench.js';
import type { PeerResult } from './peers.js';
import type { ScimLatencyResult } from './scim-latency.js';

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
  readonly import?: {
    readonly seconds: number;
    readonly inserted: Readonly<Record<string, number>>;
    readonly merged: number;
  };
  readonly index?: IndexBenchResult;
  readonly http?: {
    readonly batch1: HttpBenchResult;
    readonly batch100: HttpBenchResult;
    readonly startSeconds: number;
    readonly rssAfterStartMB: number;
  };
  readonly effect?: ActivationBenchResult;
  readonly lists?: { readonly instancesByPrincipal: Latency; readonly auditByTarget: Latency };
  readonly scim?: ScimLatencyResult;
  readonly peers: readonly PeerResult[];
  readonly loadAverage: { readonly atStart: number; readonly atEnd: number };
}

const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const us = (x: number) =>
  !Number.isFinite(x) ? 'n/a' : x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(1)} µs`;
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : 'n/a');
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

export function printTable(r: BenchResults): string {
  const t = r.tenant;
  const rows: string[][] = [];
  const i = r.index;
  if (i) {
    rows.push([
      'Elevate access index, in-process',
      `${int(i.checksPerSecond)} checks/s`,
      us(i.p50Us),
      us(i.p99Us),
      `agreement ${pct(i.agreement)}; database → index ${i.loadSeconds.toFixed(2)} s (${i.loadCpuSeconds.toFixed(2)} s CPU) for ${int(i.grants)} active grants; RSS ${int(i.rssMB)} MB (index heap ${int(i.indexHeapMB)} MB)`,
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
  const h = r.http;
  if (h) {
    for (const b of [h.batch1, h.batch100])
      rows.push([
        `POST /api/v1/access/decide, batch ${b.batch}, loopback`,
        `${int(b.checksPerSecond)} checks/s`,
        ms(b.p50Ms),
        ms(b.p99Ms),
        `${int(b.requestsPerSecond)} requests/s${b.failed ? `; ${b.failed} failed` : ''}`,
      ]);
    rows.push([
      'server start on the tenant (compose, index load)',
      '',
      '',
      '',
      `${h.startSeconds.toFixed(2)} s; RSS after ${int(h.rssAfterStartMB)} MB`,
    ]);
  }
  const e = r.effect;
  if (e) {
    rows.push([
      'activation commit → effective in decide',
      '',
      ms(e.effectiveP50Ms),
      ms(e.effectiveP99Ms),
      `${e.rounds} activations; allowed at check #${e.maxChecksUntilEffective} at worst`,
    ]);
    rows.push([
      'expiry → denied',
      '',
      '',
      '',
      `${Number.isFinite(e.expiryLagMs) ? `${e.expiryLagMs} ms` : 'NOT denied at end'} (windows compared at read time)`,
    ]);
  }
  if (r.lists) {
    rows.push([
      'GET roleAssignmentScheduleInstances?$filter=principalId eq …',
      '',
      ms(r.lists.instancesByPrincipal.p50Ms),
      ms(r.lists.instancesByPrincipal.p99Ms),
      `${r.lists.instancesByPrincipal.meanItems.toFixed(1)} items on average`,
    ]);
    rows.push([
      'GET directoryAudits?$filter=targetResources/any(t: t/id eq …)',
      '',
      ms(r.lists.auditByTarget.p50Ms),
      ms(r.lists.auditByTarget.p99Ms),
      `${r.lists.auditByTarget.meanItems.toFixed(1)} items on average`,
    ]);
  } else rows.push(['list endpoints', '', '', '', 'bench/list-endpoints.ts not present']);
  if (r.import) {
    const records = Object.values(r.import.inserted).reduce((a, b) => a + b, 0);
    rows.push([
      'elevate import tenant (bulk)',
      `${int(records / r.import.seconds)} records/s`,
      '',
      '',
      `${r.import.seconds.toFixed(1)} s; ${r.import.merged} overlapping live assignments merged`,
    ]);
  }
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
