import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliHarness, startCliHarness } from './support/cli-harness.js';

const password = 'correct horse battery staple';

describe('elevate login, whoami, logout', () => {
  let h: CliHarness;

  beforeEach(async () => {
    h = await startCliHarness();
    await h.t.givenUser('Adam', { password });
  });
  afterEach(() => h.close());

  const credentialsFile = () => join(h.configDir, 'credentials.json');

  it('signs in with a good password and saves the token readable by its owner only (0600)', async () => {
    const login = await h.run(['login', '--username', 'adam@elevate.test', '--password', password]);
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Signed in to ${h.server} as adam@elevate.test`);
    expect(login.stdout).not.toContain('ey'); // never the token

    expect((await stat(credentialsFile())).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(credentialsFile(), 'utf8'));
    expect(saved).toMatchObject({ server: h.server, username: 'adam@elevate.test' });
    expect(saved.token).toMatch(/^ey/);
    expect(new Date(saved.expiresAt).getTime()).toBeGreaterThan(h.t.clock.now().getTime());

    const whoami = await h.run(['whoami'], { env: { ELEVATE_SERVER: undefined } });
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.stdout).toContain(`adam@elevate.test (Adam) on ${h.server}`);
    const json = await h.run(['whoami', '--json']);
    expect(json.json()).toMatchObject({ userPrincipalName: 'adam@elevate.test', tokenSource: 'login' });

    const logout = await h.run(['logout']);
    expect(logout.stdout).toContain('Signed out adam@elevate.test');
    const after = await h.run(['whoami']);
    expect(after.code).toBe(3);
    expect(after.stderr).toBe("elevate: Not signed in; run 'elevate login' (or set ELEVATE_TOKEN).\n");
  });

  it('reads the password from stdin with --password-stdin', async () => {
    const login = await h.run(['login', '--username', 'adam@elevate.test', '--password-stdin'], {
      stdin: `${password}\n`,
    });
    expect(login.code, login.stderr).toBe(0);
    expect((await h.run(['whoami'])).stdout).toContain('adam@elevate.test');
  });

  it('refuses a bad password with exit 1 and writes nothing', async () => {
    const login = await h.run(['login', '--username', 'adam@elevate.test', '--password', 'wrong password!']);
    expect(login.code).toBe(1);
    expect(login.stderr).toBe('elevate: The user name or password is incorrect.\n');
    await expect(stat(credentialsFile())).rejects.toThrow();
  });

  it('will not prompt without a terminal (exit 2)', async () => {
    const noUser = await h.run(['login', '--password', password]);
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toContain('--username is required');
    const noPassword = await h.run(['login', '--username', 'adam@elevate.test']);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('--password-stdin');
  });

  it('exits 3 when not signed in, when the saved sign-in is for another server, and when no server answers', async () => {
    expect((await h.run(['roles'])).code).toBe(3);

    await h.run(['login', '--username', 'adam@elevate.test', '--password', password]);
    const other = await h.run(['roles', '--server', 'http://127.0.0.1:9']);
    expect(other.code).toBe(3);
    expect(other.stderr).toContain('Not signed in to http://127.0.0.1:9');

    const down = await h.run(['roles'], {
      env: { ELEVATE_TOKEN: 'x', ELEVATE_SERVER: 'http://127.0.0.1:9' },
    });
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/^elevate: Cannot reach the Elevate server at http:\/\/127\.0\.0\.1:9\/: /);

    const badToken = await h.run(['roles'], { env: { ELEVATE_TOKEN: 'not-a-token' } });
    expect(badToken.code).toBe(3);
    expect(badToken.stderr).toContain("Sign in again with 'elevate login'.");
  });

  it('treats a saved sign-in past its expiry as signed out (exit 3)', async () => {
    await h.run(['login', '--username', 'adam@elevate.test', '--password', password]);
    h.t.clock.advanceDays(91); // the test server issues 90-day tokens
    const late = await h.run(['roles']);
    expect(late.code).toBe(3);
    expect(late.stderr).toContain('expired');
  });

  it('answers bad usage with exit 2 and one line', async () => {
    for (const argv of [
      ['activate'],
      ['roles', '--bogus'],
      ['assign', 'adam@elevate.test', 'Helpdesk Administrator'],
      ['assign', 'adam@elevate.test', 'Helpdesk Administrator', '--eligible', '--active'],
      ['activate', 'Helpdesk Administrator', '--duration', 'two hours'],
      ['settings', 'set', 'Helpdesk Administrator', '--require-mfa', 'maybe'],
      ['requests', 'list', '--status', 'Sideways'],
    ]) {
      const r = await h.run(argv, { as: h.t.admin });
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^elevate: /);
    }
  });
});
