import { durationMs, parseDuration } from '../../../src/contracts/browser';
import { isoFromMinutes } from './time';

/** One rule of a policy in Graph's spelling (`@odata.type`, `id` and the rule's own properties). */
export type GraphRule = { readonly '@odata.type': string; readonly id: string } & Readonly<
  Record<string, unknown>
>;

/** An approver: a user, or the members of a group; `name` is what people read. */
export interface Approver {
  readonly kind: 'user' | 'group';
  readonly id: string;
  readonly name: string;
}

export type NotificationLevel = 'All' | 'Critical' | 'None';

export interface NotificationSetting {
  readonly level: NotificationLevel;
  readonly defaultRecipients: boolean;
  /** The extra recipients as people type them: addresses separated by `;` (Entra's portal does the same). */
  readonly additionalRecipients: string;
}

/** The nine notification rules: on which event (`Eligibility`, `Assignment`, `Activation`), to whom. */
export const notificationEvents = [
  {
    event: 'eligible',
    title: 'When members are assigned as eligible to this role',
    caller: 'Admin_Eligibility',
  },
  { event: 'active', title: 'When members are assigned as active to this role', caller: 'Admin_Assignment' },
  { event: 'activation', title: 'When eligible members activate this role', caller: 'EndUser_Assignment' },
] as const;

export const notificationRecipients = [
  { recipient: 'Admin', label: 'Role assignment alert' },
  { recipient: 'Requestor', label: 'Notification to the assigned user (assignee)' },
  { recipient: 'Approver', label: 'Request to approve a role assignment renewal or extension' },
] as const;

/** `Notification_{Recipient}_{Caller}_{Level}`, the nine notification rule ids. */
export const notificationRuleIds = notificationEvents.flatMap((e) =>
  notificationRecipients.map((r) => `Notification_${r.recipient}_${e.caller}`),
);

/** The activation approver label for the third recipient depends on the event (Entra's wording). */
export const notificationRowLabel = (recipient: string, event: string): string =>
  recipient === 'Approver' && event === 'activation'
    ? 'Request to approve an activation'
    : (notificationRecipients.find((r) => r.recipient === recipient)?.label ?? recipient);

export type MfaChoice = 'none' | 'mfa' | 'context';

/** Every setting of a target's role settings, as the editor shows them (the 17 rules, grouped like Entra's portal). */
export interface SettingsForm {
  // Activation
  readonly activationMinutes: number;
  readonly requireMfa: boolean;
  readonly requireContext: boolean;
  readonly claimValue: string;
  readonly requireJustification: boolean;
  readonly requireTicket: boolean;
  readonly requireApproval: boolean;
  readonly approvers: readonly Approver[];
  readonly approverJustification: boolean;
  readonly approvalTimeoutDays: number;
  readonly approvalForExtension: boolean;
  // Assignment
  readonly allowPermanentEligible: boolean;
  readonly eligibleDays: number;
  readonly allowPermanentActive: boolean;
  readonly activeDays: number;
  readonly requireMfaOnActive: boolean;
  readonly requireJustificationOnActive: boolean;
  // Notification, by rule id
  readonly notifications: Readonly<Record<string, NotificationSetting>>;
}

type Json = Readonly<Record<string, unknown>>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const bool = (v: unknown) => v === true;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);
const dayMs = 86_400_000;

function minutesOf(iso: unknown, fallback: number): number {
  const d = typeof iso === 'string' ? parseDuration(iso) : null;
  return d ? Math.round(durationMs(d) / 60_000) : fallback;
}

function daysOf(iso: unknown, fallback: number): number {
  const d = typeof iso === 'string' ? parseDuration(iso) : null;
  return d ? Math.round(durationMs(d) / dayMs) : fallback;
}

/** The rules by id, ignoring case as Graph does. */
function byId(rules: readonly GraphRule[]): (id: string) => Json {
  const map = new Map(rules.map((r) => [r.id.toLowerCase(), r]));
  return (id) => map.get(id.toLowerCase()) ?? {};
}

function firstStage(approval: Json): Json {
  const setting = isObject(approval.setting) ? approval.setting : {};
  const stages = Array.isArray(setting.approvalStages) ? setting.approvalStages : [];
  return isObject(stages[0]) ? stages[0] : {};
}

function approversOf(stage: Json): Approver[] {
  const list = Array.isArray(stage.primaryApprovers) ? stage.primaryApprovers : [];
  return list.filter(isObject).flatMap((a): Approver[] => {
    const name = typeof a.description === 'string' && a.description ? a.description : null;
    if (typeof a.userId === 'string') return [{ kind: 'user', id: a.userId, name: name ?? a.userId }];
    if (typeof a.groupId === 'string') return [{ kind: 'group', id: a.groupId, name: name ?? a.groupId }];
    return [];
  });
}

/** The editor's view of a policy's rules (Graph's spelling); rules that are missing read as Entra's defaults. */
export function formFromRules(rules: readonly GraphRule[]): SettingsForm {
  const rule = byId(rules);
  const activation = strings(rule('Enablement_EndUser_Assignment').enabledRules);
  const active = strings(rule('Enablement_Admin_Assignment').enabledRules);
  const context = rule('AuthenticationContext_EndUser_Assignment');
  const approval = rule('Approval_EndUser_Assignment');
  const setting = isObject(approval.setting) ? approval.setting : {};
  const stage = firstStage(approval);
  const eligible = rule('Expiration_Admin_Eligibility');
  const assigned = rule('Expiration_Admin_Assignment');
  const notifications = Object.fromEntries(
    notificationRuleIds.map((id): [string, NotificationSetting] => {
      const n = rule(id);
      const level = n.notificationLevel;
      return [
        id,
        {
          level: level === 'Critical' || level === 'None' ? level : 'All',
          defaultRecipients: n.isDefaultRecipientsEnabled !== false,
          additionalRecipients: strings(n.notificationRecipients).join('; '),
        },
      ];
    }),
  );
  return {
    activationMinutes: minutesOf(rule('Expiration_EndUser_Assignment').maximumDuration, 480),
    requireMfa: activation.includes('MultiFactorAuthentication'),
    requireContext: bool(context.isEnabled),
    claimValue: typeof context.claimValue === 'string' ? context.claimValue : '',
    requireJustification: activation.includes('Justification'),
    requireTicket: activation.includes('Ticketing'),
    requireApproval: bool(setting.isApprovalRequired),
    approvers: approversOf(stage),
    approverJustification: stage.isApproverJustificationRequired !== false,
    approvalTimeoutDays:
      typeof stage.approvalStageTimeOutInDays === 'number' ? stage.approvalStageTimeOutInDays : 1,
    approvalForExtension: bool(setting.isApprovalRequiredForExtension),
    allowPermanentEligible: eligible.isExpirationRequired !== true,
    eligibleDays: daysOf(eligible.maximumDuration, 365),
    allowPermanentActive: assigned.isExpirationRequired !== true,
    activeDays: daysOf(assigned.maximumDuration, 180),
    requireMfaOnActive: active.includes('MultiFactorAuthentication'),
    requireJustificationOnActive: active.includes('Justification'),
    notifications,
  };
}

/** What "On activation, require" shows: Entra offers MFA or an authentication context, not both. */
export const mfaChoice = (f: SettingsForm): MfaChoice =>
  f.requireContext ? 'context' : f.requireMfa ? 'mfa' : 'none';

/** The extra recipients as a list: split on `;` or `,`, blanks dropped. */
export const recipientList = (text: string): string[] =>
  text
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

const emailPattern = /^[^\s@"<>]+@[^\s@"<>]+\.[^\s@"<>]+$/;
const claimPattern = /^[A-Za-z0-9._:-]{1,64}$/;

/** Problems with the form, by field name, in the words the server would use; empty when it can be saved. */
export function validateForm(f: SettingsForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!Number.isFinite(f.activationMinutes) || f.activationMinutes < 30 || f.activationMinutes > 1440) {
    errors.activationMinutes = 'Activation maximum must be between 0.5 and 24 hours.';
  }
  if (f.requireContext && !claimPattern.test(f.claimValue.trim())) {
    errors.claimValue =
      'Name the authentication context (such as c1): letters, digits, dot, dash, colon or underscore, at most 64.';
  }
  if (f.approvers.length > 25) errors.approvers = 'At most 25 approvers.';
  if (!Number.isInteger(f.approvalTimeoutDays) || f.approvalTimeoutDays < 1 || f.approvalTimeoutDays > 7) {
    errors.approvalTimeoutDays = 'Approvers have between 1 and 7 whole days to decide.';
  }
  for (const [field, days] of [
    ['eligibleDays', f.eligibleDays],
    ['activeDays', f.activeDays],
  ] as const) {
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      errors[field] = 'Expiry must be a whole number of days between 1 and 3650.';
    }
  }
  for (const id of notificationRuleIds) {
    const list = recipientList(f.notifications[id]?.additionalRecipients ?? '');
    const bad = list.find((r) => !emailPattern.test(r) || r.length > 254);
    if (bad !== undefined) errors[id] = `'${bad}' is not an email address such as alice@contoso.com.`;
    else if (new Set(list.map((r) => r.toLowerCase())).size !== list.length) {
      errors[id] = 'An address is listed twice.';
    } else if (list.length > 1000) errors[id] = 'At most 1000 extra recipients.';
  }
  return errors;
}

/** `enabledRules` with `feature` on or off, the others kept in their order. */
function toggled(list: readonly string[], feature: string, on: boolean): string[] {
  const without = list.filter((f) => f !== feature);
  return on ? [...without, feature] : without;
}

/** An ISO duration of `days`, keeping the original text when it says the same (P1Y stays P1Y). */
function daysIso(original: unknown, days: number): string {
  return typeof original === 'string' && daysOf(original, -1) === days ? original : `P${days}D`;
}

function minutesIso(original: unknown, minutes: number): string {
  return typeof original === 'string' && minutesOf(original, -1) === minutes
    ? original
    : isoFromMinutes(minutes);
}

/** The approvers in Graph's spelling; those already listed keep their entry as the server wrote it. */
function graphApprovers(stage: Json, approvers: readonly Approver[]): unknown[] {
  const current = Array.isArray(stage.primaryApprovers) ? stage.primaryApprovers.filter(isObject) : [];
  const known = (a: Approver) => current.find((c) => (a.kind === 'user' ? c.userId : c.groupId) === a.id);
  return approvers.map(
    (a) =>
      known(a) ??
      (a.kind === 'user'
        ? { '@odata.type': '#microsoft.graph.singleUser', userId: a.id, description: a.name }
        : { '@odata.type': '#microsoft.graph.groupMembers', groupId: a.id, description: a.name }),
  );
}

/** Every rule with the form's values written in; properties the form does not show are kept as they were. */
export function rulesFromForm(rules: readonly GraphRule[], f: SettingsForm): GraphRule[] {
  return rules.map((r): GraphRule => {
    switch (r.id.toLowerCase()) {
      case 'expiration_enduser_assignment':
        return { ...r, maximumDuration: minutesIso(r.maximumDuration, f.activationMinutes) };
      case 'enablement_enduser_assignment': {
        let list = toggled(strings(r.enabledRules), 'MultiFactorAuthentication', f.requireMfa);
        list = toggled(list, 'Justification', f.requireJustification);
        return { ...r, enabledRules: toggled(list, 'Ticketing', f.requireTicket) };
      }
      case 'authenticationcontext_enduser_assignment':
        return {
          ...r,
          isEnabled: f.requireContext,
          claimValue: f.requireContext ? f.claimValue.trim() : (r.claimValue ?? null),
        };
      case 'approval_enduser_assignment': {
        const setting = isObject(r.setting) ? r.setting : {};
        const stage = firstStage(r);
        const stages = Array.isArray(setting.approvalStages) ? setting.approvalStages : [];
        const newStage = {
          approvalStageTimeOutInDays: 1,
          escalationTimeInMinutes: 0,
          isEscalationEnabled: false,
          escalationApprovers: [],
          ...stage,
          isApproverJustificationRequired: f.approverJustification,
          primaryApprovers: graphApprovers(stage, f.approvers),
        };
        const unchangedStage =
          sameJson(stage.primaryApprovers ?? [], newStage.primaryApprovers) &&
          stage.isApproverJustificationRequired === f.approverJustification &&
          stage.approvalStageTimeOutInDays === f.approvalTimeoutDays;
        return {
          ...r,
          setting: {
            ...setting,
            isApprovalRequired: f.requireApproval,
            isApprovalRequiredForExtension: f.approvalForExtension,
            approvalMode:
              f.requireApproval && (setting.approvalMode === 'NoApproval' || !setting.approvalMode)
                ? 'SingleStage'
                : setting.approvalMode,
            approvalStages:
              unchangedStage && stages.length > 0
                ? stages
                : [{ ...newStage, approvalStageTimeOutInDays: f.approvalTimeoutDays }],
          },
        };
      }
      case 'expiration_admin_eligibility':
        return {
          ...r,
          isExpirationRequired: !f.allowPermanentEligible,
          maximumDuration: daysIso(r.maximumDuration, f.eligibleDays),
        };
      case 'expiration_admin_assignment':
        return {
          ...r,
          isExpirationRequired: !f.allowPermanentActive,
          maximumDuration: daysIso(r.maximumDuration, f.activeDays),
        };
      case 'enablement_admin_assignment': {
        const list = toggled(strings(r.enabledRules), 'MultiFactorAuthentication', f.requireMfaOnActive);
        return { ...r, enabledRules: toggled(list, 'Justification', f.requireJustificationOnActive) };
      }
      default: {
        const id = notificationRuleIds.find((n) => n.toLowerCase() === r.id.toLowerCase());
        const n = id ? f.notifications[id] : undefined;
        if (!n) return r;
        const recipients = recipientList(n.additionalRecipients);
        return {
          ...r,
          notificationLevel: n.level,
          isDefaultRecipientsEnabled: n.defaultRecipients,
          notificationRecipients: sameJson(strings(r.notificationRecipients), recipients)
            ? r.notificationRecipients
            : recipients,
        };
      }
    }
  });
}

/** The rules of `after` that differ from `before` (lists compared as sets): what a save sends. */
export function changedRules(before: readonly GraphRule[], after: readonly GraphRule[]): GraphRule[] {
  return after.filter((rule, i) => !sameJson(before[i], rule));
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).sort().join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
