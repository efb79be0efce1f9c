import { z } from 'zod';
import type { ApproverSubject, PolicyRule, PolicyRuleId, RuleTarget } from '../../../core/model/policy.js';
import { policyRuleIds } from '../../../core/model/policy.js';
import {
  canonicalRuleId,
  defaultTargetOf,
  type RuleKind,
  ruleKindOf,
} from '../../../core/policy/rule-ids.js';

/** Inbound rules (research §2.6): a rule PATCH body read into the model, every problem named by its path. */

/** The derived `@odata.type` of each kind of rule, without the leading '#' (research §2.3). */
export const graphRuleTypes: Readonly<Record<RuleKind, string>> = {
  expiration: 'microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
  enablement: 'microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
  authenticationContext: 'microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule',
  approval: 'microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
  notification: 'microsoft.graph.unifiedRoleManagementPolicyNotificationRule',
};

const maxText = 1024;
const maxList = 1000;
const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
// `@odata.type`, `@odata.context`, `setting@odata.type`: instance and property annotations are ignored.
const isAnnotation = (key: string): boolean => key.toLowerCase().includes('@odata.');

const text = () => z.string().max(maxText);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(maxList);
const guid = () =>
  text()
    .regex(guidPattern, { error: 'must be a GUID' })
    .transform((s) => s.toLowerCase());

/** A Graph enum: any letter case in, the canonical spelling out. */
function anyCase<const T extends readonly [string, ...string[]]>(values: T) {
  const byLower = new Map(values.map((v) => [v.toLowerCase(), v] as const));
  return text().transform((s, ctx): T[number] => {
    const v = byLower.get(s.toLowerCase());
    if (v !== undefined) return v;
    ctx.issues.push({ code: 'custom', input: s, message: `must be ${quoteList(values)}; got '${s}'` });
    return z.NEVER;
  });
}

const quoteList = (values: readonly string[]): string =>
  values.length === 1 ? `'${values[0]}'` : `one of ${values.map((v) => `'${v}'`).join(', ')}`;

/** A strict object: unknown properties are errors, `@odata.*` annotations are dropped. */
function graphObject<S extends z.ZodRawShape>(shape: S) {
  const known = new Set(Object.keys(shape));
  return z.preprocess(
    (v) =>
      isObject(v)
        ? Object.fromEntries(Object.entries(v).filter(([k]) => known.has(k) || !isAnnotation(k)))
        : v,
    z.strictObject(shape),
  );
}

const operations = [
  'all',
  'activate',
  'deactivate',
  'assign',
  'update',
  'remove',
  'extend',
  'renew',
  'unknownFutureValue',
] as const;
const targetSchema = graphObject({
  caller: anyCase(['None', 'Admin', 'EndUser']).optional(),
  operations: list(anyCase(operations)).optional(),
  level: anyCase(['Eligibility', 'Assignment']).optional(),
  inheritableSettings: list(text()).optional(),
  enforcedSettings: list(text()).optional(),
  targetObjects: z
    .array(z.unknown())
    .max(0, { error: 'must be empty: Elevate does not scope rules to target objects' })
    .nullable()
    .optional(),
});

const subjectTypes: Readonly<Record<string, string>> = {
  singleuser: '#microsoft.graph.singleUser',
  groupmembers: '#microsoft.graph.groupMembers',
};
const singleUser = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.singleUser'),
  userId: guid(),
  description: text().nullable().optional(),
});
const groupMembers = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.groupMembers'),
  groupId: guid(),
  description: text().nullable().optional(),
});
// The subject's `@odata.type` picks its shape, in any case, with or without '#' and even without the
// namespace (`singleUser`); when it is left out, `userId` or `groupId` says which it is.
const subjectSchema = z.preprocess(
  (v) => {
    if (!isObject(v)) return v;
    const raw = v['@odata.type'];
    const rest = Object.fromEntries(Object.entries(v).filter(([k]) => !isAnnotation(k)));
    const type =
      typeof raw === 'string'
        ? (subjectTypes[raw.toLowerCase().replace(/^#?(microsoft\.graph\.)?/, '')] ?? raw)
        : raw === undefined && 'userId' in v
          ? '#microsoft.graph.singleUser'
          : raw === undefined && 'groupId' in v
            ? '#microsoft.graph.groupMembers'
            : raw;
    return { ...rest, '@odata.type': type };
  },
  z.discriminatedUnion('@odata.type', [singleUser, groupMembers]),
);

const stageSchema = graphObject({
  approvalStageTimeOutInDays: z.int(),
  isApproverJustificationRequired: z.boolean(),
  escalationTimeInMinutes: z.int().default(0),
  isEscalationEnabled: z.boolean().default(false),
  primaryApprovers: list(subjectSchema),
  escalationApprovers: list(subjectSchema).nullable().default([]),
});

// `@odata.type` and `id` are checked against the path's rule id by `checkRuleType` and `checkId`.
const base = {
  '@odata.type': z.unknown().optional(),
  id: z.unknown().optional(),
  target: targetSchema.optional(),
};
const schemas = {
  expiration: graphObject({ ...base, isExpirationRequired: z.boolean(), maximumDuration: text() }),
  enablement: graphObject({
    ...base,
    enabledRules: list(anyCase(['MultiFactorAuthentication', 'Justification', 'Ticketing'])),
  }),
  authenticationContext: graphObject({
    ...base,
    isEnabled: z.boolean(),
    claimValue: text().nullable().optional(),
  }),
  approval: graphObject({
    ...base,
    setting: graphObject({
      isApprovalRequired: z.boolean(),
      isApprovalRequiredForExtension: z.boolean(),
      isRequestorJustificationRequired: z.boolean(),
      approvalMode: anyCase(['SingleStage', 'Serial', 'Parallel', 'NoApproval']),
      approvalStages: list(stageSchema),
    }),
  }),
  notification: graphObject({
    ...base,
    notificationType: anyCase(['Email']).default('Email'),
    recipientType: anyCase(['Requestor', 'Approver', 'Admin']).optional(),
    notificationLevel: anyCase(['None', 'Critical', 'All']),
    isDefaultRecipientsEnabled: z.boolean(),
    notificationRecipients: list(text()).nullable(),
  }),
};

type Parsed<K extends RuleKind> = z.output<(typeof schemas)[K]>;
type ParsedTarget = NonNullable<Parsed<RuleKind>['target']>;
type ParsedSubject = z.output<typeof subjectSchema>;

export type ParseRuleResult = { readonly rule: PolicyRule } | { readonly errors: readonly string[] };

/**
 * Reads a rule from a `PATCH …/rules/{ruleId}` body (research §2.6) into the model. The body's
 * `@odata.type` must be the rule id's derived type, a body `id` must be the id in the path, unknown
 * properties are refused and `@odata.*` annotations ignored; a missing `target` (or target field) is
 * taken from `current`, else from the rule's default target. Errors carry JSON paths
 * (`setting.approvalStages[0].primaryApprovers[1].userId: must be a GUID`). The result is only
 * well-formed: the caller still runs it through `applyRuleUpdate`, which checks the settings.
 */
export function parseGraphRule(body: unknown, ruleId: string, current?: PolicyRule): ParseRuleResult {
  const id = canonicalRuleId(ruleId);
  if (id === null) {
    return {
      errors: [
        `'${ruleId}' is not a rule of a role management policy; the rules are ${policyRuleIds.join(', ')}`,
      ],
    };
  }
  if (!isObject(body)) return { errors: [`body: must be a JSON object holding the rule ${id}`] };
  const kind = ruleKindOf(id);
  const errors = [...checkRuleType(body['@odata.type'], kind, id), ...checkId(body.id, id)];
  const fallback = current?.id === id ? current.target : defaultTargetOf(id);
  const target = (t: ParsedTarget | undefined): RuleTarget => ({
    caller: t?.caller ?? fallback.caller,
    level: t?.level ?? fallback.level,
    operations: t?.operations ?? fallback.operations,
    inheritableSettings: t?.inheritableSettings ?? fallback.inheritableSettings,
    enforcedSettings: t?.enforcedSettings ?? fallback.enforcedSettings,
  });
  const read = <K extends RuleKind>(k: K, build: (d: Parsed<K>) => PolicyRule): ParseRuleResult => {
    const result = schemas[k].safeParse(body, { error: issueMessage });
    if (!result.success) errors.push(...formatIssues(result.error.issues));
    return errors.length > 0 || !result.success ? { errors } : { rule: build(result.data as Parsed<K>) };
  };
  switch (kind) {
    case 'expiration':
      return read('expiration', (d) => ({
        type: 'expiration',
        id,
        target: target(d.target),
        isExpirationRequired: d.isExpirationRequired,
        maximumDuration: d.maximumDuration,
      }));
    case 'enablement':
      return read('enablement', (d) => ({
        type: 'enablement',
        id,
        target: target(d.target),
        enabledRules: d.enabledRules,
      }));
    case 'authenticationContext':
      return read('authenticationContext', (d) => ({
        type: 'authenticationContext',
        id,
        target: target(d.target),
        isEnabled: d.isEnabled,
        claimValue: d.claimValue ?? null,
      }));
    case 'approval':
      return read('approval', (d) => ({
        type: 'approval',
        id,
        target: target(d.target),
        setting: {
          ...d.setting,
          approvalStages: d.setting.approvalStages.map((s) => ({
            ...s,
            primaryApprovers: s.primaryApprovers.map(toSubject),
            escalationApprovers: (s.escalationApprovers ?? []).map(toSubject),
          })),
        },
      }));
    case 'notification':
      return read('notification', (d) => ({
        type: 'notification',
        id,
        target: target(d.target),
        notificationType: d.notificationType,
        recipientType: d.recipientType ?? (id.split('_')[1] as 'Requestor' | 'Approver' | 'Admin'),
        notificationLevel: d.notificationLevel,
        isDefaultRecipientsEnabled: d.isDefaultRecipientsEnabled,
        notificationRecipients: d.notificationRecipients ?? [],
      }));
  }
}

// What a policy PATCH may not change: everything but its rules (research §2.1: policies are read-only).
const readOnlyPolicyProperties = new Set([
  'id',
  'displayName',
  'description',
  'isOrganizationDefault',
  'scopeId',
  'scopeType',
  'lastModifiedDateTime',
  'lastModifiedBy',
  'effectiveRules',
]);

/**
 * Reads `PATCH /policies/roleManagementPolicies/{id}` with `{ "rules": [ … ] }`: each rule as
 * `parseGraphRule` reads it, named by its own `id` (required here), each rule at most once. Problems with
 * the body itself come back as one more result with errors; the caller applies all rules or none.
 */
export function parsePolicyRulesPatch(body: unknown): ParseRuleResult[] {
  const example = `e.g. { "rules": [ { "@odata.type": "#${graphRuleTypes.expiration}", "id": "Expiration_EndUser_Assignment", … } ] }`;
  if (!isObject(body)) return [{ errors: [`body: must be a JSON object holding rules, ${example}`] }];
  const problems: string[] = [];
  for (const key of Object.keys(body)) {
    if (key === 'rules' || isAnnotation(key)) continue;
    problems.push(
      readOnlyPolicyProperties.has(key)
        ? `${key}: is read-only; a policy changes only through its rules`
        : `${key}: is not a property Graph defines here; remove it`,
    );
  }
  const rules = body.rules;
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > policyRuleIds.length) {
    problems.push(`rules: must list 1 to ${policyRuleIds.length} rules, ${example}`);
    return [{ errors: problems }];
  }
  const results: ParseRuleResult[] = problems.length > 0 ? [{ errors: problems }] : [];
  const seen = new Set<string>();
  rules.forEach((rule: unknown, i) => {
    const id = isObject(rule) ? rule.id : undefined;
    if (typeof id !== 'string') {
      results.push({
        errors: [`rules[${i}].id: is required; name the rule, e.g. Expiration_EndUser_Assignment`],
      });
      return;
    }
    const at = `rules[${i}] (${canonicalRuleId(id) ?? id})`;
    const key = id.toLowerCase();
    if (seen.has(key)) {
      results.push({ errors: [`${at}: the rule is listed more than once; list each rule once`] });
      return;
    }
    seen.add(key);
    const parsed = parseGraphRule(rule, id);
    results.push('errors' in parsed ? { errors: parsed.errors.map((e) => `${at}: ${e}`) } : parsed);
  });
  return results;
}

const toSubject = (s: ParsedSubject): ApproverSubject =>
  s['@odata.type'] === '#microsoft.graph.singleUser'
    ? { kind: 'singleUser', userId: s.userId, description: s.description ?? null }
    : { kind: 'groupMembers', groupId: s.groupId, description: s.description ?? null };

// Graph requires the derived type on a rule PATCH (research §2.6); it must be the one the id implies.
function checkRuleType(value: unknown, kind: RuleKind, id: PolicyRuleId): string[] {
  const expected = `#${graphRuleTypes[kind]}`;
  if (value === undefined) return [`@odata.type: is required; send '${expected}' for rule ${id}`];
  if (
    typeof value === 'string' &&
    value.replace(/^#/, '').toLowerCase() === graphRuleTypes[kind].toLowerCase()
  )
    return [];
  return [`@odata.type: must be '${expected}' for rule ${id}; got ${describeInput(value)}`];
}

function checkId(value: unknown, id: PolicyRuleId): string[] {
  if (value === undefined || (typeof value === 'string' && value.toLowerCase() === id.toLowerCase()))
    return [];
  return [`id: must be '${id}', the rule named in the URL; got ${describeInput(value)}`];
}

const describeInput = (v: unknown): string => {
  if (typeof v === 'string') return `'${v.length > 80 ? `${v.slice(0, 77)}...` : v}'`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : String(v);
};

const expectedText: Readonly<Record<string, string>> = {
  boolean: 'true or false',
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  object: 'an object',
  array: 'a list',
};

/** Zod's issue → the text after "path: ". Issues that already carry a message keep it. */
function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${expectedText[issue.expected] ?? issue.expected}; got ${describeInput(issue.input)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters`
        : `may hold at most ${issue.maximum} items`;
    case 'invalid_value':
      return `must be ${quoteList(issue.values.map(String))}; got ${describeInput(issue.input)}`;
    case 'invalid_union': {
      const input = issue.input;
      const got = isObject(input) ? input['@odata.type'] : input;
      if (got === undefined)
        return `is required: '#microsoft.graph.singleUser' or '#microsoft.graph.groupMembers'`;
      return `must be '#microsoft.graph.singleUser' or '#microsoft.graph.groupMembers' (approvers are users or groups); got ${describeInput(got)}`;
    }
    default:
      return undefined;
  }
}

/** `setting.approvalStages[0].primaryApprovers[1].userId` */
const jsonPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${String(seg)}` : String(seg)),
    '',
  );

function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(
        (k) => `${jsonPath([...issue.path, k])}: is not a property Graph defines here; remove it`,
      );
    }
    return [`${jsonPath(issue.path) || 'body'}: ${issue.message}`];
  });
}
