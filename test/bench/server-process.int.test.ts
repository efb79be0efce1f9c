import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { readProcessMemory, startServerProcess } from '../../bench/server-process.js';
import { databaseUrlFor, runAsAdmin } from '../support/global-setup.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the bench runs the server as its own process', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'elevate-server-process-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts elevate serve on an embedded database, reads its memory from /proc and stops it', async () => {
    // given a fresh data directory
    // when the bench starts the server on it
    const server = await startServerProcess({
      dataDir: join(dir, 'data'),
      logLevel: 'warn',
      logFile: join(dir, 'server.log'),
    });
    try {
      // then it answers on loopback, as a process other than this one
      expect(server.pid).not.toBe(process.pid);
      expect(server.dialect).toBe('pglite');
      expect(server.startSeconds).toBeGreaterThan(0);
      const health = await fetch(`${server.baseUrl}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const memory = server.memory();
      expect(memory.rssMB).toBeGreaterThan(10);
      expect(memory.peakRssMB).toBeGreaterThanOrEqual(memory.rssMB);
    } finally {
      await server.stop();
    }
    // and stopping it ends the process
    expect(alive(server.pid)).toBe(false);
  });

  it('reports a server that fails to start with its error', async () => {
    // given the port is taken by someone else
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      // when the bench starts the server on that port, then it is told why the server did not start
      await expect(
        startServerProcess({
          dataDir: join(dir, 'data'),
          port,
          logLevel: 'warn',
          logFile: join(dir, 'server.log'),
          timeoutSeconds: 60,
        }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      taken.close();
    }
  });

  it('reads VmRSS and VmHWM of a live process', () => {
    const own = readProcessMemory(process.pid);
    expect(own.rssMB).toBeGreaterThan(0);
    expect(own.peakRssMB).toBeGreaterThanOrEqual(own.rssMB);
    expect(() => readProcessMemory(2 ** 22 + 1)).toThrow();
  });
});

describe.skipIf(!process.env.TEST_POSTGRES_URL)(
  'the bench runs the server as a cluster on PostgreSQL',
  () => {
    it('waits for every worker, sums the memory of the primary and the workers, and stops them all', async () => {
      const url = process.env.TEST_POSTGRES_URL as string;
      const name = `elevate_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      await runAsAdmin(url, `create database ${name} template ${inject('postgresTemplateDatabase')}`);
      const dir = await mkdtemp(join(tmpdir(), 'elevate-server-process-'));
      try {
        // given a server with two workers
        const server = await startServerProcess({
          dataDir: join(dir, 'data'),
          databaseUrl: databaseUrlFor(url, name),
          logLevel: 'warn',
          logFile: join(dir, 'server.log'),
          workers: 2,
        });
        let memory: ReturnType<typeof server.memory>;
        const answeredBy = new Set<string>();
        try {
          // then both workers answer once it is ready, and its memory adds up three processes
          expect(server.workers).toBe(2);
          for (let i = 0; i < 50 && answeredBy.size < 2; i++) {
            const res = await fetch(`${server.baseUrl}/healthz`, { headers: { connection: 'close' } });
            answeredBy.add(res.headers.get('x-elevate-worker') ?? '');
          }
          memory = server.memory();
        } finally {
          await server.stop();
        }
        expect(answeredBy.size).toBe(2);
        expect(memory.processes).toBe(3);
        expect(memory.rssMB).toBeGreaterThan(30);
        expect(memory.pssMB).toBeGreaterThan(0);
        expect(memory.pssMB).toBeLessThanOrEqual(memory.rssMB);
        // and stopping it ends the primary
        expect(alive(server.pid)).toBe(false);
      } finally {
        await rm(dir, { recursive: true, force: true });
        await runAsAdmin(url, `drop database if exists ${name} with (force)`);
      }
    }, 120_000);
  },
);
