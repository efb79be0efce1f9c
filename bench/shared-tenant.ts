// The shared peer benchmark (../shared/bench) is read-only: copy it to a temporary directory once, and run its
// generator and its engines there. Generation needs no dependencies; the peers (casbin, cedar) need `npm ci`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where the shared benchmark lives: BENCH_PEER_DIR, else ../shared/bench beside the repository. */
const sharedBenchDir = (): string =>
  resolve(process.env.BENCH_PEER_DIR ?? new URL('../../shared/bench', import.meta.url).pathname);

/** Where generated tenants go (the generator's BENCH_DATA_DIR): never the repository. */
export const benchDataDir = (): string => process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'elevate-bench');

/** A writable copy of the shared benchmark (made once per machine, refreshed when its package.json changes). */
export function peerCopy(): string {
  const source = sharedBenchDir();
  if (!existsSync(join(source, 'src', 'generate.js')))
    throw new Error(`The shared benchmark is not at ${source}; set BENCH_PEER_DIR or pass --tenant DIR`);
  const copy = join(benchDataDir(), 'peer-bench');
  const stamp = readFileSync(join(source, 'package.json'), 'utf8');
  if (!existsSync(join(copy, 'package.json')) || readFileSync(join(copy, 'package.json'), 'utf8') !== stamp) {
    mkdirSync(copy, { recursive: true });
    cpSync(source, copy, { recursive: true, filter: (p) => !p.includes('node_modules') });
  }
  return copy;
}

/** Generates (or re-uses) the tenant of `users` users and returns its directory (tenant.jsonl, queries.jsonl). */
export function generateTenant(users: number, extra: readonly string[] = []): string {
  const copy = peerCopy();
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=12000', 'src/generate.js', '--users', String(users), ...extra],
    {
      cwd: copy,
      env: { ...process.env, BENCH_DATA_DIR: benchDataDir() },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const dir = out.trim().split('\n').pop() ?? '';
  if (!existsSync(join(dir, 'tenant.jsonl')))
    throw new Error(`The generator did not write a tenant (${dir})`);
  return dir;
}
