// The server under test, run as a deployment runs it: `node --import tsx src/cli/main.ts serve` in its own
// process, on the database the bench prepared (which the bench must have closed first: embedded PGlite is
// locked by one process at a time). Its memory is read from /proc/<pid>/status, so it is the server's own —
// not the bench's index, queries or garbage. With several workers (node:cluster, PostgreSQL only) it is the sum
// over the primary and every worker.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * The server's memory: resident now (VmRSS) and its peak so far (VmHWM), in MiB — summed over the primary and
 * its workers when there are several (the peak then adds each process's own peak: an upper bound).
 */
export interface ProcessMemory {
  readonly rssMB: number;
  readonly peakRssMB: number;
  /** How many processes the figures add up (1 without a cluster; absent in results written before). */
  readonly processes?: number;
  /**
   * Proportional set size (smaps_rollup's Pss), summed: pages shared between the processes (Node's own code)
   * counted once in all, so unlike the summed RSS it does not grow by what the workers share.
   */
  readonly pssMB?: number;
}

/** Pss of a live process in MiB, if the kernel tells (Linux 4.14 and later). */
function readPss(pid: number): number | undefined {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface ServerProcess {
  readonly baseUrl: string;
  readonly pid: number;
  readonly dialect: 'pglite' | 'postgres';
  /** Server processes answering (ELEVATE_WORKERS): 1, or the cluster's workers (plus a primary). */
  readonly workers: number;
  /** Spawn → `GET /healthz` answered 200 (compose, index load, reconcile, listen) — by every worker. */
  readonly startSeconds: number;
  readonly logFile: string;
  memory(): ProcessMemory;
  /** SIGTERM (the server closes HTTP and the database), SIGKILL after 30 s. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  /** PGlite's data directory (ignored when `databaseUrl` is set). */
  readonly dataDir: string;
  readonly databaseUrl?: string;
  /** ELEVATE_LOG_LEVEL of the server; its log goes to `logFile`. */
  readonly logLevel: string;
  readonly logFile: string;
  /** The port to listen on; a free one by default. */
  readonly port?: number;
  /** ELEVATE_WORKERS (PostgreSQL only); 1 by default. */
  readonly workers?: number;
  /** How long start-up may take before the bench gives up (the full tenant on a busy machine: minutes). */
  readonly timeoutSeconds?: number;
}

const repoRoot = new URL('..', import.meta.url).pathname;

/** Reads VmRSS and VmHWM of a live process (Linux). */
export function readProcessMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(m[1]);
  };
  return { rssMB: kb('VmRSS') / 1024, peakRssMB: kb('VmHWM') / 1024 };
}

/** The cluster's workers: child processes of `pid` running the server (not tsx's esbuild service). */
function workerPids(pid: number): number[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((task) => {
    try {
      return readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      return [];
    }
  });
  return children.map(Number).filter((child) => {
    try {
      return readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('serve');
    } catch {
      return false; // gone meanwhile
    }
  });
}

/** The memory of `pid` and of its workers, summed. */
function readServerMemory(pid: number): ProcessMemory {
  const pids = [pid, ...workerPids(pid)];
  const all = pids.map(readProcessMemory);
  const pss = pids.map(readPss);
  return {
    rssMB: all.reduce((sum, m) => sum + m.rssMB, 0),
    peakRssMB: all.reduce((sum, m) => sum + m.peakRssMB, 0),
    processes: all.length,
    ...(pss.every((x) => x !== undefined) ? { pssMB: pss.reduce((sum, x) => sum + x, 0) } : {}),
  };
}

/** A port nobody listens on right now (the server is told it; a race with another process is unlikely). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from the probe');
  return address.port;
}

/** The end of the server's log, and where the whole of it is (kept when the start-up failed). */
const tail = (file: string): string =>
  existsSync(file)
    ? `${readFileSync(file, 'utf8').split('\n').slice(-20).join('\n')}(log: ${file})`
    : '(no log)';

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('close', (code) => resolve(code)); // after stderr's last chunk
  });
}

/** Starts `elevate serve` and resolves once it answers `/healthz`; rejects (with its log) if it dies first. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ELEVATE_HOST: '127.0.0.1',
    ELEVATE_PORT: String(port),
    ELEVATE_PUBLIC_URL: baseUrl,
    ELEVATE_DATA_DIR: options.dataDir,
    ELEVATE_LOG_LEVEL: options.logLevel,
    ELEVATE_WORKERS: String(options.workers ?? 1),
  };
  if (options.databaseUrl) env.ELEVATE_DATABASE_URL = options.databaseUrl;
  else delete env.ELEVATE_DATABASE_URL;
  delete env.NODE_OPTIONS; // the server gets Node's defaults, not the bench's flags

  const log = openSync(options.logFile, 'a');
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'serve'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', log, 'pipe'],
  });
  // The log (pino) goes to stdout; stderr carries the CLI's own errors (`elevate: …`). A start-up that failed
  // may leave the process alive (an open database pool), so such a line counts as a failure too.
  let failure: string | null = null;
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    appendFileSync(log, chunk);
    if (failure === null && /^elevate: /m.test(chunk)) failure = chunk.trim();
  });
  const done = exited(child);
  let dead = false;
  void done.then(() => {
    dead = true;
    closeSync(log);
  });

  const deadline = t0 + (options.timeoutSeconds ?? 900) * 1000;
  for (;;) {
    if (dead)
      throw new Error(`the server exited during start-up (${child.exitCode}):\n${tail(options.logFile)}`);
    if (failure !== null) {
      child.kill('SIGKILL');
      await done;
      throw new Error(`the server failed to start:\n${tail(options.logFile)}`);
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /healthz in time:\n${tail(options.logFile)}`);
    }
    const ok = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
      (res) => res.status === 200,
      () => false,
    );
    // One worker answering is not all: the primary announces once every worker listens.
    if (ok && (options.workers ?? 1) <= 1) break;
    if (ok && readFileSync(options.logFile, 'utf8').includes('Elevate is listening on')) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const startSeconds = (performance.now() - t0) / 1000;
  const pid = child.pid;
  if (pid === undefined) throw new Error('the server process has no pid');

  return {
    baseUrl,
    pid,
    dialect: options.databaseUrl ? 'postgres' : 'pglite',
    workers: options.workers ?? 1,
    startSeconds,
    logFile: options.logFile,
    memory: () => readServerMemory(pid),
    async stop() {
      if (dead) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await done;
      clearTimeout(timer);
      if (code !== 0 && code !== null)
        process.stderr.write(`the server exited with ${code}:\n${tail(options.logFile)}\n`);
    },
  };
}
