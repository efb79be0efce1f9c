import { describe, expect, it } from 'vitest';
import type { PolicyRule, RoleManagementPolicy } from '../../../core/model/policy.js';
import { policyRuleIds } from '../../../core/model/policy.js';
import { applyRuleUpdate } from '../../../core/policy/apply-rule-update.js';
import { defaultDirectoryRoleRules } from '../../../core/policy/default-rules.js';
import { parseGraphRule, toGraphPolicy, toGraphPolicyAssignment, toGraphRule } from './policy-shapes.js';

const defaults = defaultDirectoryRoleRules();
const wire = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
const userId = '10a08e2e-3ea2-4ce0-80cb-d5fdd4b05ea6';
const groupId = '14f2746d-7d6f-4ac6-acd8-8cac318b041b';

const policy: RoleManagementPolicy = {
  targetKind: 'directoryRole',
  id: 'DirectoryRole_38d49456-54d4-455d-a8d6-c383c71e0a6d_59d351fe-d0a7-4cf2-9ec2-5de16e9f0b3e',
  scopeId: '/',
  scopeType: 'DirectoryRole',
  roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10',
  rules: defaults,
  lastModifiedAt: new Date('2026-03-01T10:00:00Z'),
  lastModifiedBy: { id: userId, displayName: 'Alice' },
};

/** The D-upd approval PATCH body, verbatim (research §2.6). */
const dUpdApproval = {
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
  id: 'Approval_EndUser_Assignment',
  target: {
    '@odata.type': 'microsoft.graph.unifiedRoleManagementPolicyRuleTarget',
    caller: 'EndUser',
    operations: ['All'],
    level: 'Assignment',
    inheritableSettings: [],
    enforcedSettings: [],
  },
  setting: {
    '@odata.type': 'microsoft.graph.approvalSettings',
    isApprovalRequired: true,
    isApprovalRequiredForExtension: false,
    isRequestorJustificationRequired: true,
    approvalMode: 'SingleStage',
    approvalStages: [
      {
        '@odata.type': 'microsoft.graph.unifiedApprovalStage',
        approvalStageTimeOutInDays: 1,
        isApproverJustificationRequired: true,
        escalationTimeInMinutes: 0,
        isEscalationEnabled: false,
        primaryApprovers: [
          { '@odata.type': '#microsoft.graph.singleUser', userId },
          { '@odata.type': '#microsoft.graph.groupMembers', groupId },
        ],
        escalationApprovers: [],
      },
    ],
  },
};

const errorsOf = (result: ReturnType<typeof parseGraphRule>): readonly string[] =>
  'errors' in result ? result.errors : [];
const ruleOf = (result: ReturnType<typeof parseGraphRule>): PolicyRule => {
  if ('errors' in result) throw new Error(result.errors.join('\n'));
  return result.rule;
};

describe('toGraphRule', () => {
  it('given the default expiration rule, then it is written as Graph writes it', () => {
    expect(toGraphRule(defaults.Expiration_EndUser_Assignment)).toEqual({
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
      id: 'Expiration_EndUser_Assignment',
      isExpirationRequired: true,
      maximumDuration: 'PT8H',
      target: {
        caller: 'EndUser',
        operations: ['all'],
        level: 'Assignment',
        inheritableSettings: [],
        enforcedSettings: [],
        targetObjects: [],
      },
    });
  });

  it('given approvers, then each subject carries its @odata.type', () => {
    const rule = ruleOf(parseGraphRule(dUpdApproval, 'Approval_EndUser_Assignment'));
    const out = wire(toGraphRule(rule)) as { setting: { approvalStages: { primaryApprovers: unknown[] }[] } };
    expect(out.setting.approvalStages[0]!.primaryApprovers).toEqual([
      { '@odata.type': '#microsoft.graph.singleUser', userId, description: null },
      { '@odata.type': '#microsoft.graph.groupMembers', groupId, description: null },
    ]);
  });

  it('given a notification rule, then its five properties and type are written', () => {
    expect(toGraphRule(defaults.Notification_Approver_EndUser_Assignment)).toMatchObject({
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyNotificationRule',
      notificationType: 'Email',
      recipientType: 'Approver',
      notificationLevel: 'All',
      isDefaultRecipientsEnabled: true,
      notificationRecipients: [],
    });
  });
});

describe('toGraphPolicy and toGraphPolicyAssignment', () => {
  it('given a policy without expansion, then it has the Graph fields and no rules', () => {
    expect(toGraphPolicy(policy, { expandRules: false })).toEqual({
      id: policy.id,
      displayName: 'DirectoryRole',
      description: 'DirectoryRole',
      isOrganizationDefault: false,
      scopeId: '/',
      scopeType: 'DirectoryRole',
      lastModifiedDateTime: '2026-03-01T10:00:00.000Z',
      lastModifiedBy: { displayName: 'Alice', id: userId },
    });
  });

  it('given a never-modified policy with rules and effective rules expanded, then both lists hold the 17', () => {
    const out = toGraphPolicy(
      { ...policy, lastModifiedAt: null, lastModifiedBy: null },
      { expandRules: true, expandEffectiveRules: true },
    );
    expect(out.lastModifiedDateTime).toBeNull();
    expect(out.lastModifiedBy).toEqual({ displayName: null, id: null });
    expect(out.rules?.map((r) => r.id)).toEqual([...policyRuleIds]);
    expect(out.effectiveRules).toEqual(out.rules);
  });

  it('given an assignment, then its id joins the policy and role ids', () => {
    expect(toGraphPolicyAssignment(policy, { expandPolicy: false })).toEqual({
      id: `${policy.id}_62e90394-69f5-4237-9190-012177145e10`,
      policyId: policy.id,
      scopeId: '/',
      scopeType: 'DirectoryRole',
      roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10',
    });
  });

  it('given $expand=policy($expand=rules), then the policy comes with its rules', () => {
    const out = toGraphPolicyAssignment(policy, { expandPolicy: { expandRules: true } });
    expect(out.policy?.rules).toHaveLength(17);
    expect(toGraphPolicyAssignment(policy, { expandPolicy: true }).policy).not.toHaveProperty('rules');
  });
});

describe('parseGraphRule', () => {
  it.each(policyRuleIds)(
    'given default %s written by toGraphRule, when parsed back, then it is the same rule',
    (id) => {
      const rule = defaults[id];
      expect(ruleOf(parseGraphRule(wire(toGraphRule(rule)), id))).toEqual(rule);
    },
  );

  it('given the D-upd approval sample, when parsed and applied, then approval is on with a user and a group', () => {
    const rule = ruleOf(parseGraphRule(dUpdApproval, 'Approval_EndUser_Assignment'));
    const outcome = applyRuleUpdate(defaults, rule);
    if (!('rules' in outcome)) throw new Error(outcome.errors.join('\n'));
    expect(outcome.rules.Approval_EndUser_Assignment.setting.approvalStages[0]!.primaryApprovers).toEqual([
      { kind: 'singleUser', userId, description: null },
      { kind: 'groupMembers', groupId, description: null },
    ]);
    expect(outcome.rules.Approval_EndUser_Assignment.target.operations).toEqual(['all']);
  });

  it('given PascalCase and odd-case enums and an @odata.type without #, then they are read in canonical form', () => {
    const body = {
      '@odata.type': 'Microsoft.Graph.UnifiedRoleManagementPolicyNotificationRule',
      target: { caller: 'enduser', operations: ['ALL'], level: 'assignment' },
      notificationType: 'email',
      recipientType: 'admin',
      notificationLevel: 'critical',
      isDefaultRecipientsEnabled: false,
      notificationRecipients: ['ops@contoso.com'],
    };
    expect(ruleOf(parseGraphRule(body, 'Notification_Admin_EndUser_Assignment'))).toEqual({
      ...defaults.Notification_Admin_EndUser_Assignment,
      notificationLevel: 'Critical',
      isDefaultRecipientsEnabled: false,
      notificationRecipients: ['ops@contoso.com'],
    });
  });

  it('given enabledRules and approval mode in any case and subjects typed "singleUser", then they are accepted', () => {
    const enablement = parseGraphRule(
      {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
        enabledRules: ['justification', 'MULTIFACTORAUTHENTICATION', 'Ticketing'],
      },
      'Enablement_EndUser_Assignment',
    );
    expect(ruleOf(enablement)).toMatchObject({
      enabledRules: ['Justification', 'MultiFactorAuthentication', 'Ticketing'],
    });
    const body = structuredClone(dUpdApproval) as typeof dUpdApproval & { setting: { approvalMode: string } };
    body.setting.approvalMode = 'singlestage';
    body.setting.approvalStages[0]!.primaryApprovers = [
      { '@odata.type': 'singleUser', userId: userId.toUpperCase() } as never,
    ];
    const approval = ruleOf(parseGraphRule(body, 'Approval_EndUser_Assignment'));
    expect(approval).toMatchObject({
      setting: {
        approvalMode: 'SingleStage',
        approvalStages: [{ primaryApprovers: [{ kind: 'singleUser', userId }] }],
      },
    });
  });

  it('given no target, then the rule keeps its own target', () => {
    const body = {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
      isExpirationRequired: true,
      maximumDuration: 'PT1H45M',
    };
    expect(ruleOf(parseGraphRule(body, 'Expiration_EndUser_Assignment'))).toEqual({
      ...defaults.Expiration_EndUser_Assignment,
      maximumDuration: 'PT1H45M',
    });
  });

  it('given @odata annotations anywhere, then they are ignored', () => {
    const body = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#x',
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
      'maximumDuration@odata.type': '#Duration',
      isExpirationRequired: true,
      maximumDuration: 'PT2H',
      target: { '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyRuleTarget', caller: 'EndUser' },
    };
    expect(errorsOf(parseGraphRule(body, 'Expiration_EndUser_Assignment'))).toEqual([]);
  });

  it('given unknown properties at several depths, then each is refused with its path', () => {
    const body = structuredClone(dUpdApproval) as Record<string, unknown> & typeof dUpdApproval;
    body.colour = 'blue';
    (body.target as Record<string, unknown>).scope = '/';
    (body.setting.approvalStages[0] as Record<string, unknown>).stageName = 'one';
    (body.setting.approvalStages[0]!.primaryApprovers[0] as Record<string, unknown>).mail = 'a@b.com';
    expect(errorsOf(parseGraphRule(body, 'Approval_EndUser_Assignment'))).toEqual([
      'target.scope: is not a property Graph defines here; remove it',
      'setting.approvalStages[0].primaryApprovers[0].mail: is not a property Graph defines here; remove it',
      'setting.approvalStages[0].stageName: is not a property Graph defines here; remove it',
      'colour: is not a property Graph defines here; remove it',
    ]);
  });

  it('given a rule @odata.type of another kind, then it names the expected type', () => {
    const body = { ...wire(toGraphRule(defaults.Expiration_EndUser_Assignment)) };
    body['@odata.type'] = '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule';
    expect(errorsOf(parseGraphRule(body, 'Expiration_EndUser_Assignment'))).toEqual([
      "@odata.type: must be '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule' for rule Expiration_EndUser_Assignment; got '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule'",
    ]);
  });

  it('given no @odata.type, then it asks for it', () => {
    const { '@odata.type': _omitted, ...body } = wire(toGraphRule(defaults.Enablement_Admin_Assignment));
    expect(errorsOf(parseGraphRule(body, 'Enablement_Admin_Assignment'))).toEqual([
      "@odata.type: is required; send '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule' for rule Enablement_Admin_Assignment",
    ]);
  });

  it('given a body id other than the path id, then it is refused', () => {
    const body = wire(toGraphRule(defaults.Expiration_Admin_Assignment));
    expect(errorsOf(parseGraphRule(body, 'Expiration_Admin_Eligibility'))).toEqual([
      "id: must be 'Expiration_Admin_Eligibility', the rule named in the URL; got 'Expiration_Admin_Assignment'",
    ]);
  });

  it('given a path id that is none of the 17, then it is refused', () => {
    expect(errorsOf(parseGraphRule({}, 'Expiration_Guest_Assignment'))[0]).toMatch(
      /^'Expiration_Guest_Assignment' is not a rule of a role management policy/,
    );
  });

  it('given a body that is not an object, then it says so', () => {
    expect(errorsOf(parseGraphRule([1], 'Expiration_Admin_Eligibility'))).toEqual([
      'body: must be a JSON object holding the rule Expiration_Admin_Eligibility',
    ]);
  });

  it('given a non-GUID approver and an unknown subject type, then the JSON paths say where', () => {
    const body = structuredClone(dUpdApproval);
    body.setting.approvalStages[0]!.primaryApprovers = [
      { '@odata.type': '#microsoft.graph.requestorManager', managerLevel: 1 } as never,
      { '@odata.type': '#microsoft.graph.singleUser', userId: 'alice' },
    ];
    expect(errorsOf(parseGraphRule(body, 'Approval_EndUser_Assignment'))).toEqual([
      "setting.approvalStages[0].primaryApprovers[0].@odata.type: must be '#microsoft.graph.singleUser' or '#microsoft.graph.groupMembers' (approvers are users or groups); got '#microsoft.graph.requestorManager'",
      'setting.approvalStages[0].primaryApprovers[1].userId: must be a GUID',
    ]);
  });

  it('given wrong types, missing fields and an unknown enum value, then each is named', () => {
    const body = {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyNotificationRule',
      notificationLevel: 'Loud',
      isDefaultRecipientsEnabled: 'yes',
      target: { operations: 'all' },
    };
    expect(errorsOf(parseGraphRule(body, 'Notification_Admin_EndUser_Assignment'))).toEqual([
      "target.operations: must be a list; got 'all'",
      "notificationLevel: must be one of 'None', 'Critical', 'All'; got 'Loud'",
      "isDefaultRecipientsEnabled: must be true or false; got 'yes'",
      'notificationRecipients: is required',
    ]);
  });

  it('given an over-long string and an over-long list, then the bounds are named', () => {
    const body = {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyNotificationRule',
      notificationLevel: 'All',
      isDefaultRecipientsEnabled: true,
      notificationRecipients: [`${'a'.repeat(1100)}@contoso.com`],
      target: { inheritableSettings: Array.from({ length: 1001 }, () => 'x') },
    };
    expect(errorsOf(parseGraphRule(body, 'Notification_Admin_EndUser_Assignment'))).toEqual([
      'target.inheritableSettings: may hold at most 1000 items',
      'notificationRecipients[0]: must be at most 1024 characters',
    ]);
  });

  it('given a fractional stage timeout and non-empty targetObjects, then both are refused', () => {
    const body = structuredClone(dUpdApproval) as typeof dUpdApproval & {
      target: { targetObjects?: unknown[] };
    };
    body.setting.approvalStages[0]!.approvalStageTimeOutInDays = 1.5;
    body.target.targetObjects = [{ id: userId }];
    expect(errorsOf(parseGraphRule(body, 'Approval_EndUser_Assignment'))).toEqual([
      'target.targetObjects: must be empty: Elevate does not scope rules to target objects',
      'setting.approvalStages[0].approvalStageTimeOutInDays: must be a whole number; got 1.5',
    ]);
  });

  it('given a current rule with its own target, when the body omits target, then the current target is kept', () => {
    const current = {
      ...defaults.Expiration_Admin_Assignment,
      target: { ...defaults.Expiration_Admin_Assignment.target, operations: ['assign'] },
    };
    const body = {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
      isExpirationRequired: true,
      maximumDuration: 'P90D',
    };
    expect(ruleOf(parseGraphRule(body, 'Expiration_Admin_Assignment', current)).target.operations).toEqual([
      'assign',
    ]);
  });
});
