import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** `elevate serve` in a child process (node + tsx, no wrapper, so a signal reaches the server itself). */
export interface ServeProcess {
  readonly url: string;
  /** The bootstrap administrator's one-time password, printed on the first start only. */
  readonly bootstrapPassword: string | undefined;
  readonly output: () => string;
  /** Sends `signal` and waits for the process to end. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export async function startServe(env: Record<string, string>): Promise<ServeProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve'],
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
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const m = output.match(/Elevate is listening on (\S+)/);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', look);
    child.once('exit', (code) =>
      reject(new Error(`elevate serve exited (${code}) before listening:\n${output}`)),
    );
  });
  return {
    url,
    bootstrapPassword: output.match(/admin@elevate\.local\s+password: (\S+)/)?.[1],
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A small client of one running server, signed in as `username`. */
export async function signIn(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const { access_token: token } = (await res.json()) as { access_token: string };
  return async function call(method: string, path: string, body?: unknown, base = url) {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
}
