import { directoryRoleIds as roles } from '../../core/catalog/directory-roles.js';
import { demoApprover, type demoGroupSettings } from './demo-role-settings.js';

/** The demo tenant's Privileged Access Groups, by display name (the seed guide's step 1 and its role tiering). */
export const demoGroupNames = {
  serviceDesk: 'PAG-SERVICE-DESK',
  serviceDeskL3: 'PAG-SERVICE-DESK-L3',
  devTeam: 'PAG-DEV-TEAM',
} as const;

/**
 * The groups whose membership the demo provisions to the application at ELEVATE_DEMO_SCIM_URL (demo-scim-link.ts):
 * activated membership reaches it within seconds, and leaves it when the window ends.
 */
export const demoProvisionedGroups: readonly string[] = [
  demoGroupNames.serviceDesk,
  demoGroupNames.serviceDeskL3,
];

/** One Privileged Access Group of the demo: what it holds, who may activate its membership, its settings. */
export interface DemoGroup {
  readonly displayName: string;
  readonly description: string;
  /** Directory roles the group holds actively and permanently (the guide's step 2). */
  readonly roleIds: readonly string[];
  /** Eligible members (PIM for Groups, six months). */
  readonly memberIds: readonly string[];
  readonly settings: Parameters<typeof demoGroupSettings>[0];
}

/**
 * The seed guide's groups (steps 1–3) and one tier of its role tiering. Grace owns each and approves owner
 * activations (the guide's "other owners of the resource").
 */
export function demoGroups(p: {
  adam: string;
  steve: string;
  stan: string;
  grace: string;
  pat: string;
}): DemoGroup[] {
  return [
    {
      displayName: demoGroupNames.serviceDesk,
      description: 'Privileged Access Group of the service desk',
      roleIds: [roles.helpdeskAdministrator, roles.passwordAdministrator],
      memberIds: [p.adam, p.steve],
      settings: { approverId: p.grace, memberMfa: true, activeAssignments: true },
    },
    {
      // The guide's role tiering, level 3 (workload administration: Exchange): Steve's membership needs MFA, a
      // ticket and the approval of Grace or Pat (each is e-mailed once), for an hour at most — the demo's
      // activation that waits for an approver, and is provisioned by SCIM (README, "Try it").
      displayName: demoGroupNames.serviceDeskL3,
      description: 'Privileged Access Group of the service desk, level 3: workload administration (Exchange)',
      roleIds: [roles.exchangeAdministrator],
      memberIds: [p.steve],
      settings: {
        approverId: p.grace,
        memberMfa: true,
        activeAssignments: false,
        memberApprovers: [
          demoApprover(p.grace, 'Grace (Identity Lead)'),
          demoApprover(p.pat, 'Pat (Privileged Role Administrator)'),
        ],
      },
    },
    {
      // PAG-DEV-TEAM's membership asks only for a justification, so one group can be activated end to end with
      // a password (README, "The demo tenant").
      displayName: demoGroupNames.devTeam,
      description: 'Privileged Access Group of the development team',
      roleIds: [roles.applicationAdministrator],
      memberIds: [p.stan],
      settings: { approverId: p.grace, memberMfa: false, activeAssignments: false },
    },
  ];
}
