// The peers' figures from ../shared/bench, run in the same `npm run bench` on the same tenant: node-casbin,
// Cedar (cedar-wasm) and the naive baseline index, each in its own process, as that benchmark runs them.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchDataDir, peerCopy } from './shared-tenant.js';

const run = promisify(execFile);

export interface PeerResult {
  readonly engine: string;
  readonly checks: number;
  readonly buildSeconds: number;
  readonly rssMB: number;
  readonly checksPerSecond: number;
  readonly p50Us: number;
  readonly p99Us: number;
  /** Against `expected`, or `expectedIgnoringTime` for engines that cannot express windows (noted). */
  readonly agreement: number;
  readonly ignoresTime: boolean;
  /** Cedar-lazy loads only the policy sets its sample needs. */
  readonly partial: boolean;
}

interface RawRun {
  queries: number;
  buildSeconds: number;
  prepareSeconds?: number;
  memory: { rssAfterBuildMB: number };
  checksPerSecond: number;
  latencyUs: { p50: number; p99: number };
  agreement: { rate: number };
  ignoresTime?: boolean;
  engineInfo?: { preparsedPolicies?: number; policyCount?: number };
}

/** Runs the shared benchmark (one run per engine) on the tenant generated with `params`; installs its two packages first if needed. */
export async function benchPeers(params: Readonly<Record<string, unknown>>): Promise<PeerResult[]> {
  const copy = peerCopy();
  if (!existsSync(join(copy, 'node_modules', 'casbin'))) {
    process.stderr.write('installing the peer benchmark’s packages (casbin, cedar-wasm) with npm ci …\n');
    await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: copy, maxBuffer: 64 << 20 });
  }
  const json = join(benchDataDir(), `peers-${process.pid}.json`);
  const args = ['--max-old-space-size=12000', 'src/bench.js', '--runs', '1', '--json', json];
  const flags: Record<string, string> = {
    users: 'users',
    groups: 'groups',
    subscriptions: 'subscriptions',
    resourceGroups: 'resource-groups',
    resources: 'resources',
    assignments: 'assignments',
    queries: 'queries',
    seed: 'seed',
    now: 'now',
  };
  for (const [key, flag] of Object.entries(flags))
    if (params[key] !== undefined) args.push(`--${flag}`, String(params[key]));
  args.push('--sample-casbin', '2000', '--sample-cedar', '2000', '--sample-casbin-abac', '3');
  process.stderr.write('running the peers (../shared/bench) …\n');
  await run(process.execPath, args, {
    cwd: copy,
    env: { ...process.env, BENCH_DATA_DIR: benchDataDir() },
    maxBuffer: 64 << 20,
    timeout: 30 * 60_000,
  });
  const raw = JSON.parse(readFileSync(json, 'utf8')) as { results: Record<string, RawRun[]> };
  rmSync(json, { force: true });
  return Object.entries(raw.results).flatMap(([engine, runs]) => {
    const r = runs[runs.length - 1];
    if (!r) return [];
    return [
      {
        engine,
        checks: r.queries,
        buildSeconds: r.buildSeconds + (r.prepareSeconds ?? 0),
        rssMB: r.memory.rssAfterBuildMB,
        checksPerSecond: r.checksPerSecond,
        p50Us: r.latencyUs.p50,
        p99Us: r.latencyUs.p99,
        agreement: r.agreement.rate,
        ignoresTime: r.ignoresTime === true,
        partial:
          r.engineInfo?.preparsedPolicies !== undefined &&
          r.engineInfo.preparsedPolicies < (r.engineInfo.policyCount ?? 0),
      },
    ];
  });
}
