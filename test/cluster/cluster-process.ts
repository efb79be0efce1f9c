import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** `elevate serve` in a child process (node + tsx, no wrapper, so a signal reaches the primary itself). */
export interface ServeProcess {
  readonly pid: number;
  readonly output: () => string;
  /** Resolves with the exit code (null when a signal ended it) once the process has exited. */
  readonly exited: Promise<number | null>;
  /** The URL it announced, once it announces (rejects if it exits first). */
  readonly listening: Promise<string>;
  /** The pids of its workers now (its child processes running `serve`). */
  children(): number[];
  /** Sends `signal` (if it still runs) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function spawnServe(env: Record<string, string>, args: string[] = []): ServeProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', ...args],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ELEVATE_HOST: '127.0.0.1',
        ELEVATE_PORT: '0',
        ELEVATE_LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (c: Buffer) => {
    output += c.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const look = () => {
      const m = output.match(/Elevate is listening on (\S+)/);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', look);
    void exited.then((code) =>
      reject(new Error(`elevate serve exited (${code}) before listening:\n${output}`)),
    );
  });
  listening.catch(() => {});
  const pid = child.pid;
  if (pid === undefined) throw new Error('elevate serve has no pid');
  return {
    pid,
    output: () => output,
    exited,
    listening,
    children() {
      try {
        // Not tsx's esbuild service, which each process also starts.
        return execFileSync('ps', ['--ppid', String(pid), '-o', 'pid=,args='], { encoding: 'utf8' })
          .split('\n')
          .filter((line) => line.includes('main.ts serve'))
          .map((line) => Number.parseInt(line.trim(), 10));
      } catch {
        return []; // ps exits 1 when there is none
      }
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly worker: string | undefined;
  readonly body: unknown;
}

/**
 * One keep-alive connection to the server: every request goes over the same socket, so to the same worker
 * (node:cluster hands out connections, not requests).
 */
export function connection(url: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const base = new URL(url);
  function call(method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method,
          path,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              worker: res.headers['x-elevate-worker'] as string | undefined,
              body: text ? JSON.parse(text) : undefined,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
  return {
    call,
    /** Which worker serves this connection. */
    worker: async () => (await call('GET', '/healthz')).worker,
    close: () => agent.destroy(),
  };
}

export type Connection = ReturnType<typeof connection>;

/** Keep-alive connections until one per worker id in `count` distinct workers (connections go round-robin). */
export async function connectionsToDistinctWorkers(url: string, count: number): Promise<Connection[]> {
  const byWorker = new Map<string, Connection>();
  for (let attempt = 0; attempt < 200 && byWorker.size < count; attempt++) {
    const c = connection(url);
    const worker = await c.worker();
    if (worker === undefined) throw new Error('no x-elevate-worker header: not a cluster');
    if (byWorker.has(worker)) c.close();
    else byWorker.set(worker, c);
  }
  if (byWorker.size < count) throw new Error(`only ${byWorker.size} distinct workers answered`);
  return [...byWorker.values()];
}
