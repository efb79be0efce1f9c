import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/app/auth/totp.js';
import { systemActor } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/config.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { startServer } from '../../src/main.js';
import { TestClock } from '../support/clock.js';

describe('expiry across a restart (invariant 6)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('ends on start-up, before serving, an activation whose end passed while the server was down', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'elevate-restart-'));
    dirs.push(dataDir);
    const config = loadConfig({
      ELEVATE_DATA_DIR: dataDir,
      ELEVATE_PORT: '0',
      ELEVATE_SCHEDULER_INTERVAL: '3600',
    });
    const clock = new TestClock('2026-03-02T08:00:00Z');
    const quiet = { clock, log: false, announce: () => {} };

    const first = await startServer(config, quiet);
    const admin = {
      actor: { ...systemActor, roleIds: new Set([roles.globalAdministrator]), mfa: true },
      requestId: first.services.ids.newId(),
    };
    const user = await first.services.users.createUnchecked(admin, {
      userPrincipalName: 'night@elevate.test',
      displayName: 'Night shift',
    });
    const base = {
      principalId: user.id,
      targetKind: 'directoryRole' as const,
      roleDefinitionId: roles.helpdeskAdministrator,
      scopeId: '/',
      justification: 'Night shift',
      ticketInfo: { ticketNumber: null, ticketSystem: null },
      isValidationOnly: false,
    };
    await first.services.requests.create(admin, {
      ...base,
      kind: 'eligibility',
      action: 'adminAssign',
      scheduleInfo: null,
    });
    const self = {
      actor: {
        id: user.id,
        type: 'user' as const,
        displayName: 'Night shift',
        roleIds: new Set<string>(),
        mfa: true,
      },
      requestId: first.services.ids.newId(),
    };
    // Helpdesk Administrator requires MFA on activation by default: enrol an authenticator and step up.
    const { secret } = await first.services.mfa.startTotp(self);
    await first.services.mfa.confirmTotp(
      self,
      await totpCode(secret, new Date(clock.now().getTime() - 30_000)),
    );
    const { proof } = await first.services.stepUp.stepUp(self, {
      target: { targetKind: 'directoryRole', roleDefinitionId: roles.helpdeskAdministrator, scopeId: '/' },
      totp: await totpCode(secret, clock.now()),
    });
    const activation = await first.services.requests.create(
      self,
      {
        ...base,
        kind: 'assignment',
        action: 'selfActivate',
        scheduleInfo: {
          startDateTime: null,
          expiration: { type: 'afterDuration', endDateTime: null, duration: 'PT1H' },
        },
      },
      { stepUpProof: proof },
    );
    await first.stop();

    clock.advanceHours(3); // the server is down while the hour ends
    const second = await startServer(config, quiet);
    try {
      const schedule = await second.services.lookups.schedule(activation.targetScheduleId!);
      expect(schedule).toMatchObject({ status: 'Expired', end: new Date('2026-03-02T09:00:00Z') });
      const res = await fetch(`${second.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await second.services.scheduler.tick()).toMatchObject({ total: 0 });
    } finally {
      await second.stop();
    }
  });

  it('refuses a second server on the same data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'elevate-lock-'));
    dirs.push(dataDir);
    const config = loadConfig({ ELEVATE_DATA_DIR: dataDir, ELEVATE_PORT: '0' });
    const first = await startServer(config, { log: false, announce: () => {} });
    try {
      await expect(startServer(config, { log: false, announce: () => {} })).rejects.toThrow(
        /in use by process/,
      );
    } finally {
      await first.stop();
    }
  });
});
