import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startServer } from '../../src/main.js';

describe('a start-up that fails', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('closes the database it opened, so the process can end and the next start succeeds', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'elevate-failed-start-'));
    dirs.push(dataDir);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const quiet = { log: false, announce: () => {} };
    const config = (p: number) =>
      loadConfig({
        ELEVATE_DATA_DIR: dataDir,
        ELEVATE_HOST: '127.0.0.1',
        ELEVATE_PORT: String(p),
        ELEVATE_SCHEDULER_INTERVAL: '3600',
      });
    try {
      await expect(startServer(config(port), quiet)).rejects.toThrow(/EADDRINUSE/);
    } finally {
      taken.close();
    }
    // The embedded database admits one process at a time: a second start finds it released.
    const server = await startServer(config(0), quiet);
    await server.stop();
  });
});
