import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestUser } from '../support/app.js';
import { type CliHarness, startCliHarness } from './support/cli-harness.js';

const password = 'correct horse battery staple';

describe('elevate password', () => {
  let h: CliHarness;
  let adam: TestUser;

  beforeEach(async () => {
    h = await startCliHarness();
    adam = await h.t.givenUser('Adam', { password });
  });
  afterEach(() => h.close());

  it('changes my password from stdin; the old one no longer signs in', async () => {
    const changed = await h.run(['password', '--stdin'], {
      as: adam,
      stdin: `${password}\nan even longer passphrase\n`,
    });
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toBe('Password changed.\n');
    const old = await h.t.graph(null, 'POST', '/api/auth/token', { username: adam.upn, password });
    expect(old.status).toBe(401);
    const fresh = await h.t.graph(null, 'POST', '/api/auth/token', {
      username: adam.upn,
      password: 'an even longer passphrase',
    });
    expect(fresh.status).toBe(200);
  });

  it('says why a change is refused, and needs --stdin without a terminal', async () => {
    const short = await h.run(['password', '--stdin'], { as: adam, stdin: `${password}\nshort\n` });
    expect(short.code).toBe(1);
    expect(short.stderr).toBe('elevate: The new password must be at least 12 characters long (it has 5).\n');
    const wrong = await h.run(['password', '--stdin'], {
      as: adam,
      stdin: 'not mine\nan even longer passphrase\n',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('elevate: The current password is incorrect.\n');
    const noTty = await h.run(['password'], { as: adam });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('give --stdin');
  });
});
