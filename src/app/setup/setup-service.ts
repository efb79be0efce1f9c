import { azureRoleIds } from '../../core/catalog/azure-roles.js';
import { directoryRoleIds as roles } from '../../core/catalog/directory-roles.js';
import type { PolicyRules } from '../../core/model/policy.js';
import type { Actor } from '../../core/model/principal.js';
import type { ScheduleRequestInput } from '../../core/model/request.js';
import type { PimTarget } from '../../core/model/schedule.js';
import {
  managementGroupPath,
  parseScopePath,
  resourceGroupPath,
  subscriptionPath,
} from '../../core/scope/resource-scope.js';
import type { AppDeps, CallContext } from '../context.js';
import { generatePassword } from '../directory/user-service.js';
import { policyFor } from '../requests/target-context.js';
import type { ScopeInput } from '../resources/scope-tree-service.js';
import type { Services } from '../services.js';
import { readFlag, writeFlag } from '../tenant/tenant-settings.js';
import { type DemoGroup, demoGroups } from './demo-groups.js';
import { demoGroupSettings, demoResourceRoleSettings, demoRoleSettings } from './demo-role-settings.js';

export interface SetupResult {
  /** What to print once for the person starting the server. */
  readonly lines: string[];
}

/** The setup identity: acts as a Global Administrator with MFA, shown in audit as "Elevate PIM". */
const setupActor: Actor = {
  id: '00000000-0000-0000-0000-000000000001',
  type: 'servicePrincipal',
  displayName: 'Elevate PIM',
  roleIds: new Set([roles.globalAdministrator]),
  mfa: true,
  isSystem: true,
};

export const demoDomain = 'elevate.example';

/** The demo tree's subscriptions, fixed so that URLs in the README work on every demo tenant. */
export const demoSubscriptions = {
  prod: '6b1e0e5c-7a3d-4f2e-9c41-5e0c1d2a7f01',
  dev: '6b1e0e5c-7a3d-4f2e-9c41-5e0c1d2a7f02',
} as const;

/** First start: a bootstrap Global Administrator, or the whole demo tenant; each made once. */
export function createSetupService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'>,
  services: () => Pick<Services, 'users' | 'groups' | 'requests' | 'policies' | 'resources'>,
) {
  const { db, ids, clock } = deps;
  const ctx = (): CallContext => ({ actor: setupActor, requestId: ids.newId() });

  async function assign(
    input: Pick<ScheduleRequestInput, 'kind' | 'action' | 'principalId' | 'roleDefinitionId'> & {
      end?: Date | null;
      /** PIM for Groups: the group whose membership or ownership `roleDefinitionId` (member|owner) names. */
      groupId?: string;
      /** An Azure resource role: the canonical scope of the resource tree. */
      resourceScope?: string;
    },
  ) {
    const { end, groupId, resourceScope, ...rest } = input;
    await services().requests.create(ctx(), {
      ...rest,
      targetKind: groupId ? 'group' : resourceScope ? 'resourceRole' : 'directoryRole',
      scopeId: groupId ?? resourceScope ?? '/',
      justification: 'Demo tenant seed',
      ticketInfo: { ticketNumber: null, ticketSystem: null },
      isValidationOnly: false,
      scheduleInfo: {
        startDateTime: null,
        expiration: end
          ? { type: 'afterDateTime', endDateTime: end, duration: null }
          : { type: 'noExpiration', endDateTime: null, duration: null },
      },
    });
  }

  async function setRules(target: PimTarget, change: (r: PolicyRules) => PolicyRules) {
    const policy = await policyFor(db, deps, target, clock.now());
    const next = change(policy.rules);
    const changed = (Object.keys(next) as (keyof PolicyRules)[]).filter(
      (k) => JSON.stringify(next[k]) !== JSON.stringify(policy.rules[k]),
    );
    const inputs = changed.map((k) => ({ rule: next[k] }));
    if (target.targetKind === 'resourceRole') {
      await services().resources.policies.update(ctx(), target.scopeId, policy.id, inputs);
    } else {
      await services().policies.updateRules(ctx(), policy.id, inputs);
    }
  }

  /** Registers one scope of the demo's resource tree (by its ARM path) and returns its canonical id. */
  async function registerScope(path: string, input: ScopeInput): Promise<string> {
    const parsed = parseScopePath(path);
    if ('error' in parsed || parsed.type === 'root')
      throw new Error(`demo scope ${path} is not a tree scope`);
    return (await services().resources.tree.put(ctx(), parsed, input)).scope.id;
  }

  return {
    /** Without --demo: one Global Administrator with a one-time password, printed on the first start only. */
    async bootstrap(): Promise<SetupResult> {
      if (await readFlag(db, 'bootstrapped')) return { lines: [] };
      const password = generatePassword();
      const admin = await services().users.createUnchecked(ctx(), {
        userPrincipalName: 'admin@elevate.local',
        displayName: 'Bootstrap Administrator',
        password,
      });
      await assign({
        kind: 'assignment',
        action: 'adminAssign',
        principalId: admin.id,
        roleDefinitionId: roles.globalAdministrator,
      });
      await writeFlag(db, 'bootstrapped', { at: clock.now().toISOString(), userId: admin.id });
      return {
        lines: [
          'Bootstrap Global Administrator (shown once — change it after signing in):',
          `  user: admin@elevate.local   password: ${password}`,
        ],
      };
    },

    /** The tenant of the seed guide: people, Privileged Access Groups, role settings and eligibilities (once). */
    async seedDemoTenant(configuredPassword?: string): Promise<SetupResult> {
      const seeded = (await readFlag(db, 'demo_seeded')) as { at: string } | undefined;
      if (seeded) {
        return {
          lines: [
            `Demo tenant (seeded ${seeded.at}); sign in as adam@${demoDomain}, steve@, stan@, grace@, pat@, breakglass1@, breakglass2@.`,
            configuredPassword
              ? '  Password: the value of ELEVATE_DEMO_PASSWORD when the tenant was first seeded.'
              : '  Password: the one printed at the first start (or remove the data directory to seed again).',
          ],
        };
      }
      const password = configuredPassword ?? generatePassword();
      const person = async (name: string, jobTitle: string, extra: { isEmergencyAccess?: boolean } = {}) =>
        services().users.createUnchecked(ctx(), {
          userPrincipalName: `${name.toLowerCase().replace(/\s+/g, '')}@${demoDomain}`,
          displayName: name,
          mail: `${name.toLowerCase().replace(/\s+/g, '')}@${demoDomain}`,
          jobTitle,
          password,
          ...extra,
        });

      const adam = await person('Adam', 'Service Desk');
      const steve = await person('Steve', 'Service Desk');
      const stan = await person('Stan', 'Development');
      const grace = await person('Grace', 'Identity Lead (Global Administrator, approver)');
      const pat = await person('Pat', 'Privileged Role Administrator');
      const breakglass1 = await person('Breakglass1', 'Emergency access', { isEmergencyAccess: true });
      const breakglass2 = await person('Breakglass2', 'Emergency access', { isEmergencyAccess: true });

      // Privileged Access Groups without standing members: membership is activated through PIM for Groups.
      const people = { adam: adam.id, steve: steve.id, stan: stan.id, grace: grace.id, pat: pat.id };
      const groups: { id: string; plan: DemoGroup }[] = [];
      for (const g of demoGroups(people)) {
        const created = await services().groups.create(ctx(), {
          displayName: g.displayName,
          mailNickname: g.displayName.toLowerCase(),
          description: g.description,
          securityEnabled: true,
          mailEnabled: false,
          isAssignableToRole: true,
          owners: [{ id: grace.id, type: 'user' as const }],
        });
        groups.push({ id: created.id, plan: g });
      }

      for (const [roleId, change] of demoRoleSettings({ approverId: grace.id }))
        await setRules({ targetKind: 'directoryRole', roleDefinitionId: roleId, scopeId: '/' }, change);
      for (const { id, plan: g } of groups) {
        for (const [accessId, change] of demoGroupSettings(g.settings))
          await setRules({ targetKind: 'group', roleDefinitionId: accessId, scopeId: id }, change);
      }

      const now = clock.now();
      const sixMonths = new Date(now.getTime() + 180 * 86_400_000);
      // Standing access only where the seed keeps it: the approver, the role administrator, the emergency accounts.
      for (const id of [grace.id, breakglass1.id, breakglass2.id]) {
        await assign({
          kind: 'assignment',
          action: 'adminAssign',
          principalId: id,
          roleDefinitionId: roles.globalAdministrator,
        });
      }
      await assign({
        kind: 'assignment',
        action: 'adminAssign',
        principalId: pat.id,
        roleDefinitionId: roles.privilegedRoleAdministrator,
      });
      // The groups hold the team roles actively and permanently (the guide's step 2); people hold them only
      // while they are members, and membership is what they activate (PIM for Groups, eligible for six months).
      for (const { id, plan: g } of groups) {
        for (const roleId of g.roleIds) {
          await assign({
            kind: 'assignment',
            action: 'adminAssign',
            principalId: id,
            roleDefinitionId: roleId,
          });
        }
      }
      for (const { id: groupId, plan: g } of groups) {
        for (const principalId of g.memberIds) {
          await assign({
            kind: 'eligibility',
            action: 'adminAssign',
            principalId,
            roleDefinitionId: 'member',
            groupId,
            end: sixMonths,
          });
        }
      }
      // Single people hold what only they need. Helpdesk Administrator directly too, so the service desk can
      // work with a password until step-up MFA arrives (the guide's Helpdesk row asks for no MFA).
      for (const principalId of [adam.id, steve.id]) {
        await assign({
          kind: 'eligibility',
          action: 'adminAssign',
          principalId,
          roleDefinitionId: roles.helpdeskAdministrator,
          end: sixMonths,
        });
      }
      await assign({
        kind: 'eligibility',
        action: 'adminAssign',
        principalId: steve.id,
        roleDefinitionId: roles.exchangeAdministrator,
        end: sixMonths,
      });
      await assign({
        kind: 'eligibility',
        action: 'adminAssign',
        principalId: adam.id,
        roleDefinitionId: roles.globalAdministrator,
      });

      // Azure resources (the seed guide's "Plan and implement PIM for Azure Resource roles"): one management
      // group over production and development, Grace the standing Owner and approver there, Pat eligible for
      // Owner under the guide's Owner row, Stan eligible for Contributor on development.
      const mg = await registerScope(managementGroupPath('mg-contoso'), { displayName: 'Contoso' });
      await registerScope(subscriptionPath(demoSubscriptions.prod), {
        displayName: 'sub-prod',
        parentId: mg,
      });
      const dev = await registerScope(subscriptionPath(demoSubscriptions.dev), {
        displayName: 'sub-dev',
        parentId: mg,
      });
      await registerScope(resourceGroupPath(demoSubscriptions.prod, 'rg-web'), { location: 'westeurope' });
      await registerScope(resourceGroupPath(demoSubscriptions.prod, 'rg-data'), { location: 'westeurope' });
      await registerScope(
        `${resourceGroupPath(demoSubscriptions.prod, 'rg-web')}/providers/Microsoft.Compute/virtualMachines/vm-web-01`,
        { location: 'westeurope' },
      );
      for (const [target, change] of demoResourceRoleSettings({
        approverId: grace.id,
        managementGroup: mg,
        devSubscription: dev,
      })) {
        await setRules({ targetKind: 'resourceRole', ...target }, change);
      }
      const threeMonths = new Date(now.getTime() + 90 * 86_400_000);
      await assign({
        kind: 'assignment',
        action: 'adminAssign',
        principalId: grace.id,
        roleDefinitionId: azureRoleIds.owner,
        resourceScope: mg,
        end: sixMonths,
      });
      await assign({
        kind: 'eligibility',
        action: 'adminAssign',
        principalId: pat.id,
        roleDefinitionId: azureRoleIds.owner,
        resourceScope: mg,
        end: threeMonths,
      });
      await assign({
        kind: 'eligibility',
        action: 'adminAssign',
        principalId: stan.id,
        roleDefinitionId: azureRoleIds.contributor,
        resourceScope: dev,
        end: sixMonths,
      });

      await writeFlag(db, 'demo_seeded', { at: now.toISOString() });
      return {
        lines: [
          'Demo tenant seeded. Sign in as any of:',
          `  adam@${demoDomain}, steve@${demoDomain} (service desk, eligible members of PAG-SERVICE-DESK), stan@${demoDomain} (development, eligible member of PAG-DEV-TEAM),`,
          `  steve@${demoDomain} also of PAG-SERVICE-DESK-L3 (Exchange Administrator; MFA, ticket, approval by Grace or Pat),`,
          `  grace@${demoDomain} (Global Administrator, approver), pat@${demoDomain} (Privileged Role Administrator, approver),`,
          '  Azure resources: mg-contoso → sub-prod (rg-web with vm-web-01, rg-data), sub-dev; Grace is Owner of mg-contoso,',
          '  Pat eligible for Owner there (MFA, ticket, Grace approves), Stan eligible for Contributor on sub-dev.',
          `  breakglass1@${demoDomain}, breakglass2@${demoDomain} (emergency access)`,
          configuredPassword
            ? '  Password: the value of ELEVATE_DEMO_PASSWORD.'
            : `  Password (shown once): ${password}`,
          `Try: npm run elevate -- login --username adam@${demoDomain}   then   npm run elevate -- roles`,
        ],
      };
    },
  };
}

export type SetupService = ReturnType<typeof createSetupService>;
