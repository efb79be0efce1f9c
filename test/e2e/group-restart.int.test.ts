import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app/services.js';
import { loadConfig } from '../../src/config/config.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { Actor } from '../../src/core/model/principal.js';
import { startServer } from '../../src/main.js';
import { TestClock } from '../support/clock.js';

/** The signed-in user `upn` as the server sees her now: her roles come from her memberships at this instant. */
async function signedIn(services: Services, upn: string): Promise<Actor> {
  const user = await services.users.getByUpnOrId(upn);
  const { accessToken } = await services.auth.issueToken({ id: user.id, type: 'user', mfa: false });
  return services.auth.authenticate(accessToken);
}

describe('the demo tenant: Privileged Access Groups activated through PIM for Groups, across a restart', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('seeds PAGs that hold roles with eligible members; an activation gives the roles and its end, passed while down, is ended on start-up', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'elevate-group-restart-'));
    dirs.push(dataDir);
    const config = loadConfig({
      ELEVATE_DATA_DIR: dataDir,
      ELEVATE_PORT: '0',
      ELEVATE_SCHEDULER_INTERVAL: '3600',
      ELEVATE_DEMO_PASSWORD: 'demo-password-1',
    });
    const clock = new TestClock('2026-03-02T08:00:00Z');
    const quiet = { clock, log: false, announce: () => {}, demo: true };

    const first = await startServer(config, quiet);
    let activationId: string;
    try {
      const s = first.services;
      const stan = await signedIn(s, 'stan@elevate.example');
      const adam = await signedIn(s, 'adam@elevate.example');
      // Given the seed: no standing membership, no role, but eligibility for the group's membership
      expect(stan.roleIds.size).toBe(0);
      const groups = await s.groups.list();
      const devTeam = groups.find((g) => g.displayName === 'PAG-DEV-TEAM')!;
      const serviceDesk = groups.find((g) => g.displayName === 'PAG-SERVICE-DESK')!;
      expect(await s.groups.listRelated(devTeam.id, 'member')).toEqual([]);
      expect(await s.groups.listRelated(serviceDesk.id, 'member')).toEqual([]);
      const ctx = (actor: Actor) => ({ actor, requestId: s.ids.newId() });
      const eligible = await s.schedules.listSchedules(ctx(stan), 'eligibility', {
        targetKind: 'group',
        currentUser: true,
      });
      expect(eligible).toEqual([
        expect.objectContaining({ targetKind: 'group', roleDefinitionId: 'member', scopeId: devTeam.id }),
      ]);

      // The seed's Member row for PAG-SERVICE-DESK needs MFA: a password session is refused, naming the rule
      const request = (actor: Actor, groupId: string) =>
        s.requests.create(ctx(actor), {
          kind: 'assignment',
          action: 'selfActivate',
          principalId: actor.id,
          targetKind: 'group',
          roleDefinitionId: 'member',
          scopeId: groupId,
          justification: 'Release night',
          scheduleInfo: {
            startDateTime: null,
            expiration: { type: 'afterDuration', endDateTime: null, duration: 'PT1H' },
          },
          ticketInfo: { ticketNumber: null, ticketSystem: null },
          isValidationOnly: false,
        });
      await expect(request(adam, serviceDesk.id)).rejects.toThrow(/MfaRule/);

      // When Stan activates PAG-DEV-TEAM's membership (justification only in the demo) for an hour
      const activation = await request(stan, devTeam.id);
      activationId = activation.targetScheduleId!;
      // Then he holds what the group holds: Application Administrator
      expect([...(await signedIn(s, 'stan@elevate.example')).roleIds]).toEqual([
        roles.applicationAdministrator,
      ]);
      expect((await s.groups.memberOf(stan.id)).map((g) => g.displayName)).toEqual(['PAG-DEV-TEAM']);
      // PAG-SERVICE-DESK's policies carry the guide's Member and Owner rows
      const policies = await s.policies.listPolicies(ctx(adam), {
        scopeType: 'Group',
        scopeId: serviceDesk.id,
      });
      const member = policies.find((p) => p.roleDefinitionId === 'member')!;
      const owner = policies.find((p) => p.roleDefinitionId === 'owner')!;
      expect(member.rules.Expiration_EndUser_Assignment.maximumDuration).toBe('PT5H');
      expect(member.rules.Enablement_EndUser_Assignment.enabledRules).toContain('MultiFactorAuthentication');
      expect(member.rules.Approval_EndUser_Assignment.setting.isApprovalRequired).toBe(false);
      expect(member.rules.Expiration_Admin_Eligibility).toMatchObject({ maximumDuration: 'P180D' });
      expect(owner.rules.Expiration_EndUser_Assignment.maximumDuration).toBe('PT1H');
      expect(owner.rules.Enablement_EndUser_Assignment.enabledRules).toContain('Ticketing');
      expect(owner.rules.Approval_EndUser_Assignment.setting.isApprovalRequired).toBe(true);
      expect(owner.rules.Expiration_Admin_Eligibility).toMatchObject({ maximumDuration: 'P90D' });
    } finally {
      await first.stop();
    }

    clock.advanceHours(3); // the server is down while the hour ends
    const second = await startServer(config, quiet);
    try {
      const schedule = await second.services.lookups.schedule(activationId);
      expect(schedule).toMatchObject({
        status: 'Expired',
        targetKind: 'group',
        end: new Date('2026-03-02T09:00:00Z'),
      });
      expect((await signedIn(second.services, 'stan@elevate.example')).roleIds.size).toBe(0);
      expect(await second.services.scheduler.tick()).toMatchObject({ total: 0 });
      const grace = await signedIn(second.services, 'grace@elevate.example');
      const page = await second.services.auditLog.list(
        { actor: grace, requestId: second.services.ids.newId() },
        { order: 'desc', limit: 50, matches: (e) => e.category === 'GroupManagement' },
      );
      expect(page.entries.map((e) => e.activityDisplayName)).toContain(
        'Remove member from group (PIM activation expired)',
      );
    } finally {
      await second.stop();
    }
  });
});
