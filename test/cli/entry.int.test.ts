import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

it('runs as a process: `node --import tsx src/cli/main.ts --help` exits 0 and lists every command', async () => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--help'], {
    cwd: root,
    env: { ...process.env, ELEVATE_CONFIG_DIR: join(root, 'nonexistent-config') },
  });
  for (const command of [
    'serve',
    'login',
    'logout',
    'whoami',
    'roles',
    'activate',
    'deactivate',
    'requests',
    'assign',
    'unassign',
    'settings',
    'audit',
  ]) {
    expect(stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
  }
  expect(stdout).toContain('--json');
  expect(stdout).toContain('--server <url>');
});

it('exits 3 with one line when not signed in, as a process', async () => {
  const failure = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'roles'], {
    cwd: root,
    env: { ...process.env, ELEVATE_CONFIG_DIR: join(root, 'nonexistent-config'), ELEVATE_TOKEN: '' },
  }).catch((e: { code: number; stderr: string }) => e);
  expect(failure).toMatchObject({
    code: 3,
    stderr: "elevate: Not signed in; run 'elevate login' (or set ELEVATE_TOKEN).\n",
  });
});
