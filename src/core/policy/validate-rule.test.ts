import { describe, expect, it } from 'vitest';
import type {
  ApprovalRule,
  ApprovalStage,
  ApproverSubject,
  AuthenticationContextRule,
  EnablementRule,
  ExpirationRule,
  NotificationRule,
  PolicyRule,
  PolicyRules,
} from '../model/policy.js';
import { defaultDirectoryRoleRules } from './default-rules.js';
import { isEmailAddress, validateRule, validateRules } from './validate-rule.js';

const defaults = defaultDirectoryRoleRules();
const user = (userId: string): ApproverSubject => ({ kind: 'singleUser', userId, description: null });
const group = (groupId: string): ApproverSubject => ({ kind: 'groupMembers', groupId, description: null });
const guidN = (n: number) => `00000000-0000-0000-0000-${n.toString().padStart(12, '0')}`;

const expiration = (id: ExpirationRule['id'], patch: Partial<ExpirationRule>): ExpirationRule => ({
  ...(defaults[id as keyof PolicyRules] as ExpirationRule),
  ...patch,
});
const enablement = (id: EnablementRule['id'], enabledRules: string[]): EnablementRule => ({
  ...(defaults[id as keyof PolicyRules] as EnablementRule),
  enabledRules: enabledRules as EnablementRule['enabledRules'],
});
const authContext = (patch: Partial<AuthenticationContextRule>): AuthenticationContextRule => ({
  ...defaults.AuthenticationContext_EndUser_Assignment,
  ...patch,
});
const stage = (patch: Partial<ApprovalStage> = {}): ApprovalStage => ({
  ...defaults.Approval_EndUser_Assignment.setting.approvalStages[0]!,
  ...patch,
});
const approval = (patch: Partial<ApprovalRule['setting']>): ApprovalRule => ({
  ...defaults.Approval_EndUser_Assignment,
  setting: { ...defaults.Approval_EndUser_Assignment.setting, ...patch },
});
const notification = (patch: Partial<NotificationRule>): NotificationRule => ({
  ...defaults.Notification_Admin_EndUser_Assignment,
  ...patch,
});

describe('validateRule: accepts', () => {
  it('given each of the 17 default rules, then there is nothing to report', () => {
    for (const rule of Object.values(defaults) as PolicyRule[]) expect(validateRule(rule)).toEqual([]);
  });

  it('given the D-upd approval sample (a singleUser and a groupMembers approver), then it is valid', () => {
    const rule = approval({
      isApprovalRequired: true,
      approvalStages: [
        stage({
          primaryApprovers: [
            user('10a08e2e-3ea2-4ce0-80cb-d5fdd4b05ea6'),
            group('14f2746d-7d6f-4ac6-acd8-8cac318b041b'),
          ],
        }),
      ],
    });
    expect(validateRule(rule)).toEqual([]);
  });

  it('given an activation maximum of PT1H45M (D-upd), then it is valid', () => {
    expect(validateRule(expiration('Expiration_EndUser_Assignment', { maximumDuration: 'PT1H45M' }))).toEqual(
      [],
    );
  });

  it.each(['PT30M', 'PT24H', 'P1D', 'PT5H30M'])(
    'given an activation maximum of %s, then it is valid',
    (d) => {
      expect(validateRule(expiration('Expiration_EndUser_Assignment', { maximumDuration: d }))).toEqual([]);
    },
  );

  it('given activation requiring justification, MFA and a ticket (D-upd), then it is valid', () => {
    const rule = enablement('Enablement_EndUser_Assignment', [
      'Justification',
      'MultiFactorAuthentication',
      'Ticketing',
    ]);
    expect(validateRule(rule)).toEqual([]);
  });

  it.each(['Expiration_Admin_Eligibility', 'Expiration_Admin_Assignment'] as const)(
    'given %s expiring after P90D (D-upd), then it is valid',
    (id) => {
      expect(validateRule(expiration(id, { isExpirationRequired: true, maximumDuration: 'P90D' }))).toEqual(
        [],
      );
    },
  );

  it.each(['P1D', 'P3650D', 'P1Y', 'P10Y', 'P6M'])(
    'given an assignment maximum of %s, then it is valid',
    (d) => {
      expect(validateRule(expiration('Expiration_Admin_Assignment', { maximumDuration: d }))).toEqual([]);
    },
  );

  it('given an enabled authentication context c1, then it is valid', () => {
    expect(validateRule(authContext({ isEnabled: true, claimValue: 'c1' }))).toEqual([]);
  });

  it('given approval off with NoApproval and no stages (as Graph sends it), then it is valid', () => {
    expect(validateRule(approval({ approvalMode: 'NoApproval', approvalStages: [] }))).toEqual([]);
  });

  it('given approval on with no approvers (admins decide) and a 7-day timeout, then it is valid', () => {
    const rule = approval({
      isApprovalRequired: true,
      approvalStages: [stage({ approvalStageTimeOutInDays: 7 })],
    });
    expect(validateRule(rule)).toEqual([]);
  });

  it('given critical notifications to extra recipients, then it is valid', () => {
    const rule = notification({
      notificationLevel: 'Critical',
      isDefaultRecipientsEnabled: false,
      notificationRecipients: ['admin@contoso.com', 'first.last+pim@mail.example.org'],
    });
    expect(validateRule(rule)).toEqual([]);
  });
});

describe('validateRule: rejects', () => {
  it.each([
    ['P2D', 'P2D'],
    ['PT29M', 'PT29M'],
    ['PT24H1S', 'PT24H1S'],
  ])('given an activation maximum of %s, then it names the bounds', (d, got) => {
    expect(validateRule(expiration('Expiration_EndUser_Assignment', { maximumDuration: d }))).toEqual([
      `Expiration_EndUser_Assignment.maximumDuration must be between 30 minutes and 24 hours (PT30M–PT24H); got ${got}`,
    ]);
  });

  it('given an activation that need not expire, then it says activations always end', () => {
    expect(
      validateRule(expiration('Expiration_EndUser_Assignment', { isExpirationRequired: false })),
    ).toEqual([
      'Expiration_EndUser_Assignment.isExpirationRequired must be true: activations always end; got false',
    ]);
  });

  it('given a maximum that is not a duration, then it asks for ISO 8601', () => {
    expect(validateRule(expiration('Expiration_EndUser_Assignment', { maximumDuration: '8 hours' }))).toEqual(
      [
        'Expiration_EndUser_Assignment.maximumDuration must be an ISO 8601 duration between 30 minutes and 24 hours (PT30M–PT24H), such as PT8H; got 8 hours',
      ],
    );
  });

  it.each([
    ['PT12H', 'Expiration_Admin_Eligibility'],
    ['P3651D', 'Expiration_Admin_Eligibility'],
    ['P11Y', 'Expiration_Admin_Assignment'],
  ] as const)('given an assignment maximum of %s on %s, then it names P1D–P3650D', (d, id) => {
    expect(validateRule(expiration(id, { maximumDuration: d }))).toEqual([
      `${id}.maximumDuration must be between 1 day and 3650 days (P1D–P3650D); got ${d}`,
    ]);
  });

  it('given an assignment maximum that does not parse, then it says so', () => {
    expect(validateRule(expiration('Expiration_Admin_Assignment', { maximumDuration: 'P' }))).toEqual([
      'Expiration_Admin_Assignment.maximumDuration must be an ISO 8601 duration between 1 day and 3650 days (P1D–P3650D), such as P365D; got P',
    ]);
  });

  it('given isExpirationRequired that is not a boolean, then it says so', () => {
    const rule = expiration('Expiration_Admin_Eligibility', {
      isExpirationRequired: 'yes' as unknown as boolean,
    });
    expect(validateRule(rule)).toEqual([
      'Expiration_Admin_Eligibility.isExpirationRequired must be true or false; got yes',
    ]);
  });

  it.each([
    ['Enablement_Admin_Eligibility', 'Ticketing', 'MultiFactorAuthentication or Justification'],
    ['Enablement_Admin_Assignment', 'Ticketing', 'MultiFactorAuthentication or Justification'],
    ['Enablement_EndUser_Assignment', 'Fido2', 'MultiFactorAuthentication, Justification or Ticketing'],
  ] as const)('given %s requiring %s, then it lists what is allowed', (id, feature, allowed) => {
    expect(validateRule(enablement(id, ['Justification', feature]))).toEqual([
      `${id}.enabledRules may contain only ${allowed}; got ${feature}`,
    ]);
  });

  it('given a requirement listed twice, then it says which', () => {
    expect(
      validateRule(enablement('Enablement_EndUser_Assignment', ['Justification', 'Justification'])),
    ).toEqual(['Enablement_EndUser_Assignment.enabledRules lists Justification more than once']);
  });

  it.each([null, ''])(
    'given an enabled authentication context with claimValue %j, then claimValue is required',
    (c) => {
      expect(validateRule(authContext({ isEnabled: true, claimValue: c }))).toEqual([
        "AuthenticationContext_EndUser_Assignment.claimValue is required when isEnabled is true: 1–64 letters, digits, '.', '_', ':' or '-' naming an authentication context, such as c1",
      ]);
    },
  );

  it.each(['x'.repeat(65), 'c 1'])('given claimValue %j, then it is refused', (c) => {
    const [error] = validateRule(authContext({ isEnabled: true, claimValue: c }));
    expect(error).toMatch(/^AuthenticationContext_EndUser_Assignment\.claimValue must be 1–64 letters/);
  });

  it('given approval required with NoApproval, then approvalMode must be SingleStage', () => {
    expect(validateRule(approval({ isApprovalRequired: true, approvalMode: 'NoApproval' }))).toEqual([
      'Approval_EndUser_Assignment.setting.approvalMode must be SingleStage when isApprovalRequired is true; got NoApproval',
    ]);
  });

  it.each(['Serial', 'Parallel'] as const)(
    'given approvalMode %s, then only single stage is allowed',
    (mode) => {
      expect(validateRule(approval({ approvalMode: mode }))).toEqual([
        `Approval_EndUser_Assignment.setting.approvalMode must be SingleStage (or NoApproval when approval is off): Graph supports single-stage approval only for roles; got ${mode}`,
      ]);
    },
  );

  it.each([0, 2])('given SingleStage with %i stages, then exactly one is required', (n) => {
    const rule = approval({ approvalStages: Array.from({ length: n }, () => stage()) });
    expect(validateRule(rule)).toEqual([
      `Approval_EndUser_Assignment.setting.approvalStages must hold exactly 1 stage (Graph supports single-stage approval only for roles); got ${n}`,
    ]);
  });

  it.each([0, 8, 1.5])('given a stage timeout of %s days, then it must be 1–7 whole days', (days) => {
    expect(validateRule(approval({ approvalStages: [stage({ approvalStageTimeOutInDays: days })] }))).toEqual(
      [
        `Approval_EndUser_Assignment.setting.approvalStages[0].approvalStageTimeOutInDays must be a whole number of days between 1 and 7 (Entra uses 1); got ${days}`,
      ],
    );
  });

  it('given escalation enabled with escalation approvers, then escalation is refused', () => {
    const rule = approval({
      approvalStages: [stage({ isEscalationEnabled: true, escalationApprovers: [user(guidN(1))] })],
    });
    expect(validateRule(rule)).toEqual([
      'Approval_EndUser_Assignment.setting.approvalStages[0].isEscalationEnabled must be false: escalation is not supported for roles; got true',
      'Approval_EndUser_Assignment.setting.approvalStages[0].escalationApprovers must be empty: escalation is not supported for roles; got 1 approver(s)',
    ]);
  });

  it('given 26 approvers, then at most 25 are allowed', () => {
    const approvers = Array.from({ length: 26 }, (_, i) => user(guidN(i)));
    expect(validateRule(approval({ approvalStages: [stage({ primaryApprovers: approvers })] }))).toEqual([
      'Approval_EndUser_Assignment.setting.approvalStages[0].primaryApprovers may name at most 25 users and groups; got 26',
    ]);
  });

  it('given an approver id that is not a GUID, then it names the approver and field', () => {
    const rule = approval({
      approvalStages: [stage({ primaryApprovers: [user(guidN(1)), group('admins')] })],
    });
    expect(validateRule(rule)).toEqual([
      'Approval_EndUser_Assignment.setting.approvalStages[0].primaryApprovers[1].groupId must be a GUID; got admins',
    ]);
  });

  it('given the same user twice in any case, then it is a duplicate', () => {
    const id = '10a08e2e-3ea2-4ce0-80cb-d5fdd4b05ea6';
    const rule = approval({
      approvalStages: [stage({ primaryApprovers: [user(id), user(id.toUpperCase())] })],
    });
    expect(validateRule(rule)).toEqual([
      `Approval_EndUser_Assignment.setting.approvalStages[0].primaryApprovers names user ${id.toUpperCase()} more than once`,
    ]);
  });

  it('given a user and a group with the same id, then they are not duplicates', () => {
    const rule = approval({
      approvalStages: [stage({ primaryApprovers: [user(guidN(1)), group(guidN(1))] })],
    });
    expect(validateRule(rule)).toEqual([]);
  });

  it('given an unknown notification level and type, then it lists the allowed values', () => {
    const rule = notification({
      notificationLevel: 'Some' as NotificationRule['notificationLevel'],
      notificationType: 'Sms' as 'Email',
    });
    expect(validateRule(rule)).toEqual([
      'Notification_Admin_EndUser_Assignment.notificationType must be Email; got Sms',
      'Notification_Admin_EndUser_Assignment.notificationLevel must be None, Critical or All; got Some',
    ]);
  });

  it('given the wrong recipientType for the rule id, then it names the one the id implies', () => {
    expect(validateRule(notification({ recipientType: 'Requestor' }))).toEqual([
      'Notification_Admin_EndUser_Assignment.recipientType must be Admin for this rule; got Requestor',
    ]);
  });

  it('given 1001 recipients, then at most 1000 are allowed', () => {
    const recipients = Array.from({ length: 1001 }, (_, i) => `u${i}@contoso.com`);
    expect(validateRule(notification({ notificationRecipients: recipients }))).toEqual([
      'Notification_Admin_EndUser_Assignment.notificationRecipients may list at most 1000 addresses; got 1001',
    ]);
  });

  it('given a bad and a repeated address, then both are reported', () => {
    const rule = notification({
      notificationRecipients: ['ops@contoso.com', 'not-an-address', 'OPS@contoso.com'],
    });
    expect(validateRule(rule)).toEqual([
      'Notification_Admin_EndUser_Assignment.notificationRecipients[1] must be an email address such as alice@contoso.com; got not-an-address',
      'Notification_Admin_EndUser_Assignment.notificationRecipients lists OPS@contoso.com more than once',
    ]);
  });

  it('given a target moved to another caller and level, then the rule cannot be moved', () => {
    const rule: ExpirationRule = {
      ...defaults.Expiration_EndUser_Assignment,
      target: { ...defaults.Expiration_EndUser_Assignment.target, caller: 'Admin', level: 'Eligibility' },
    };
    expect(validateRule(rule)).toEqual([
      'Expiration_EndUser_Assignment.target.caller must stay EndUser: a rule cannot be moved to another caller; got Admin',
      'Expiration_EndUser_Assignment.target.level must stay Assignment: a rule cannot be moved to another level; got Eligibility',
    ]);
  });

  it('given a target limited to some operations or with inherited settings, then it is refused', () => {
    const rule: ExpirationRule = {
      ...defaults.Expiration_Admin_Assignment,
      target: {
        ...defaults.Expiration_Admin_Assignment.target,
        operations: ['assign'],
        enforcedSettings: ['x'],
      },
    };
    expect(validateRule(rule)).toEqual([
      'Expiration_Admin_Assignment.target.operations must be ["all"]: each rule applies to every operation; got ["assign"]',
      'Expiration_Admin_Assignment.target.enforcedSettings must be empty: Elevate has no policy inheritance; got ["x"]',
    ]);
  });

  it('given a rule whose type is not its id kind, then it says which kind the id needs', () => {
    const rule = {
      ...defaults.Approval_EndUser_Assignment,
      id: 'Expiration_EndUser_Assignment',
    } as PolicyRule;
    expect(validateRule(rule)).toEqual([
      'Expiration_EndUser_Assignment is an expiration rule; got an approval rule',
    ]);
  });

  it('given an id that is none of the 17, then it lists the rules', () => {
    const rule = {
      ...defaults.Expiration_EndUser_Assignment,
      id: 'Expiration_Guest',
    } as unknown as PolicyRule;
    expect(validateRule(rule)[0]).toMatch(
      /^'Expiration_Guest' is not a rule of a role management policy; the rules are /,
    );
  });
});

describe('validateRules', () => {
  it('given a rule stored under another id and a missing rule, then both are reported', () => {
    const rules = {
      ...defaults,
      Expiration_Admin_Assignment: defaults.Expiration_Admin_Eligibility,
      Notification_Admin_Admin_Assignment: undefined,
    } as unknown as PolicyRules;
    expect(validateRules(rules)).toEqual([
      'Expiration_Admin_Assignment holds the rule Expiration_Admin_Eligibility',
      'Notification_Admin_Admin_Assignment is missing',
    ]);
  });
});

describe('isEmailAddress', () => {
  it.each(['a@b.co', "o'brien@contoso.com", 'x.y+z@sub.example.org'])(
    'given %s, then it is an address',
    (a) => {
      expect(isEmailAddress(a)).toBe(true);
    },
  );
  it.each([
    'a@localhost',
    'a@@b.com',
    '.a@b.com',
    'a..b@c.com',
    'a b@c.com',
    'a@-b.com',
    '',
    `${'a'.repeat(65)}@b.com`,
  ])('given %j, then it is not', (a) => {
    expect(isEmailAddress(a)).toBe(false);
  });
});
