import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/app/auth/totp.js';
import type { TestUser } from '../support/app.js';
import { type CliHarness, startCliHarness } from './support/cli-harness.js';

const password = 'correct horse battery staple';

describe('elevate mfa, login with a code or a token, activate with step-up', () => {
  let h: CliHarness;
  let adam: TestUser;

  beforeEach(async () => {
    h = await startCliHarness();
    adam = await h.t.givenUser('Adam', { password });
  });
  afterEach(() => h.close());

  it('enrols an authenticator app, confirms it, and shows the status', async () => {
    const started = await h.run(['mfa', 'enroll', '--json'], { as: adam });
    expect(started.code, started.stderr).toBe(0);
    const { secret, otpauthUri } = started.json();
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect((await h.run(['mfa', 'status'], { as: adam })).stdout).toBe(
      'adam@elevate.test: authenticator app enrolment started, not confirmed; 0 recovery codes left.\n',
    );

    const wrong = await h.run(['mfa', 'confirm', '000000'], { as: adam });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('elevate: The verification code is incorrect.\n');
    const confirmed = await h.run(['mfa', 'confirm', await totpCode(secret, h.t.clock.now())], { as: adam });
    expect(confirmed.code, confirmed.stderr).toBe(0);
    const lines = confirmed.stdout.trimEnd().split('\n');
    expect(lines[0]).toContain('Authenticator app confirmed');
    expect(lines.slice(1)).toHaveLength(10);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);

    const status = await h.run(['mfa', 'status', '--json'], { as: adam });
    expect(status.json()).toMatchObject({
      user: 'adam@elevate.test',
      totp: 'confirmed',
      recoveryCodesLeft: 10,
    });
    const again = await h.run(['mfa', 'enroll'], { as: adam });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already enrolled');
  });

  it('signs in with --totp once the account has an authenticator, and says how when it is missing', async () => {
    await h.t.enrolTotp(adam);
    const login = ['login', '--username', adam.upn, '--password', password];
    const noCode = await h.run(login);
    expect(noCode.code).toBe(2);
    expect(noCode.stderr).toBe(
      'elevate: adam@elevate.test signs in with an authenticator app: pass its current code with --totp CODE\n',
    );
    const wrong = await h.run([...login, '--totp', '000000']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('elevate: The verification code is incorrect.\n');

    const code = await h.t.nextTotp(adam);
    const ok = await h.run([...login, '--totp', code]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`Signed in to ${h.server} as adam@elevate.test`);
    const replay = await h.run([...login, '--totp', code]);
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain('already used');
  });

  it('keeps a personal access token with login --token', async () => {
    const created = await h.t.graph(adam, 'POST', '/api/v1/me/tokens', { name: 'cli', expiresInDays: 30 });
    const token: string = created.body.token;
    const bad = await h.run(['login', '--token', 'not-a-pat']);
    expect(bad.code).toBe(2);
    const login = await h.run(['login', '--token', token]);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('as adam@elevate.test with a personal access token; it expires in 30d');
    expect(login.stdout).not.toContain(token);
    const saved = JSON.parse(await readFile(join(h.configDir, 'credentials.json'), 'utf8'));
    expect(saved).toMatchObject({
      token,
      username: 'adam@elevate.test',
      expiresAt: created.body.expiresDateTime,
    });
    expect((await h.run(['whoami'])).stdout).toContain('adam@elevate.test (Adam)');

    expect((await h.t.graph(adam, 'DELETE', `/api/v1/me/tokens/${created.body.id}`)).status).toBe(204);
    const revoked = await h.run(['whoami']);
    expect(revoked.code).toBe(3);
  });

  it('steps up for a role that requires MFA: with --totp at once, else it says to pass one; a spent code fails', async () => {
    // Helpdesk Administrator asks for MFA and a justification on activation (Entra's defaults).
    const eligible = await h.run(['assign', adam.upn, 'Helpdesk Administrator', '--eligible'], {
      as: h.t.admin,
    });
    expect(eligible.code, eligible.stderr).toBe(0);
    await h.t.enrolTotp(adam);
    const activate = ['activate', 'helpdesk', '--duration', 'PT1H', '--justification', 'Queue'];

    const without = await h.run(activate, { as: adam });
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(
      /^elevate: The following policy rules failed: \["MfaRule"\]\. .*--totp CODE, or step up at your identity provider with --oidc\.\n$/,
    );

    const code = await h.t.nextTotp(adam);
    const ok = await h.run([...activate, '--totp', code], { as: adam });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^Activated Helpdesk Administrator at \/ until /);

    // On a terminal the CLI asks for the code when the server says the role needs MFA.
    const exchange = await h.run(['assign', adam.upn, 'Exchange Administrator', '--eligible'], {
      as: h.t.admin,
    });
    expect(exchange.code, exchange.stderr).toBe(0);
    const asked = await h.run(
      ['activate', 'Exchange Administrator', '--duration', 'PT1H', '--justification', 'Mail'],
      {
        as: adam,
        tty: true,
        stdin: `${await h.t.nextTotp(adam)}\n`,
      },
    );
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stderr).toBe('This role requires MFA. Authenticator code: ');
    expect(asked.stdout).toMatch(/^Activated Exchange Administrator at \/ until /);

    // The same code again is refused at the step-up, before any request is sent.
    const replay = await h.run([...activate, '--totp', code], { as: adam });
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain('already used');
  });

  it('lets an administrator see and reset a user’s factors', async () => {
    await h.t.enrolTotp(adam);
    const status = await h.run(['mfa', 'status', adam.upn], { as: h.t.admin });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(
      /^adam@elevate.test: authenticator app enrolled .*; 10 recovery codes left\.\n$/,
    );
    const byAdam = await h.run(['mfa', 'reset', h.t.admin.upn], { as: adam });
    expect(byAdam.code).toBe(1);
    const reset = await h.run(['mfa', 'reset', adam.upn], { as: h.t.admin });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toBe(
      'Reset the second factors of adam@elevate.test; they enrol again at their next sign-in.\n',
    );
    expect((await h.run(['login', '--username', adam.upn, '--password', password])).code).toBe(0);
    expect((await h.run(['mfa', 'reset', 'nobody@elevate.test'], { as: h.t.admin })).code).toBe(2);
  });
});
