import { armPimApiVersion } from './arm-types.js';
import type {
  GraphGroup,
  GraphPolicy,
  GraphPolicyAssignment,
  GraphPolicyRule,
  GraphUser,
  GroupAccessId,
} from './graph-types.js';

type Query = Readonly<Record<string, string | number | undefined>>;

/** What the client's transport lends these calls: one call, or every page of a list. */
export interface SettingsTransport {
  call<T>(method: string, path: string, opts?: { body?: unknown; query?: Query }): Promise<T>;
  list<T>(path: string, query?: Query, limit?: number): Promise<T[]>;
}

/** Whose settings: a directory role at a scope, or a group's membership or ownership (PIM for Groups). */
export type SettingsTarget =
  | { readonly kind: 'directoryRole'; readonly roleDefinitionId: string; readonly directoryScopeId: string }
  | { readonly kind: 'group'; readonly groupId: string; readonly accessId: GroupAccessId };

/** A target's policy with its 17 rules in Graph's spelling. */
export interface TargetPolicy extends GraphPolicy {
  readonly rules: readonly GraphPolicyRule[];
}

const odataString = (s: string): string => s.replaceAll("'", "''");
const policies = '/v1.0/policies/roleManagementPolicies';
const authorization = (scope: string, rest: string) =>
  `${scope === '/' ? '' : scope.replace(/\/+$/, '')}/providers/Microsoft.Authorization/${rest}`;
const armQuery = { 'api-version': armPimApiVersion };
/** Role definitions are an older ARM resource type, with their own api-version. */
const roleDefinitionsApiVersion = '2022-04-01';

type Json = Readonly<Record<string, unknown>>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** ARM's `ruleType` and Graph's `@odata.type` of each kind of rule (research §2.5, ARM sample policy). */
const ruleTypes: readonly (readonly [arm: string, graph: string])[] = [
  'Expiration',
  'Enablement',
  'AuthenticationContext',
  'Approval',
  'Notification',
].map((k) => [`RoleManagementPolicy${k}Rule`, `#microsoft.graph.unifiedRoleManagementPolicy${k}Rule`]);

/** Maps the approvers of every approval stage of a rule's `setting`. */
function mapApprovers(setting: unknown, map: (a: Json) => Json): unknown {
  if (!isObject(setting) || !Array.isArray(setting.approvalStages)) return setting;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter(isObject).map(map) : []);
  return {
    ...setting,
    approvalStages: setting.approvalStages.map((stage: unknown) =>
      isObject(stage)
        ? {
            ...stage,
            primaryApprovers: list(stage.primaryApprovers),
            escalationApprovers: list(stage.escalationApprovers),
          }
        : stage,
    ),
  };
}

/** An ARM rule (`ruleType`, approvers as `{ id, userType }`, empty lists null) in Graph's spelling. */
export function graphRuleFromArm(rule: Json): GraphPolicyRule {
  const { ruleType, setting, ...rest } = rule;
  const graphType =
    ruleTypes.find(([arm]) => arm.toLowerCase() === String(ruleType).toLowerCase())?.[1] ?? String(ruleType);
  const out: Record<string, unknown> = { '@odata.type': graphType, ...rest, id: String(rule.id) };
  if (setting !== undefined) {
    out.setting = mapApprovers(setting, (a) =>
      String(a.userType).toLowerCase() === 'group'
        ? {
            '@odata.type': '#microsoft.graph.groupMembers',
            groupId: a.id,
            description: a.description ?? null,
          }
        : { '@odata.type': '#microsoft.graph.singleUser', userId: a.id, description: a.description ?? null },
    );
  }
  if (rest.notificationRecipients === null) out.notificationRecipients = [];
  if (rest.claimValue === '') out.claimValue = null;
  return out as GraphPolicyRule;
}

/** A rule in Graph's spelling back in ARM's, with the ARM rule it came from giving `ruleType` and `target`. */
export function armRuleFromGraph(rule: GraphPolicyRule, original: Json): Json {
  const { '@odata.type': _type, target: _target, setting, ...rest } = rule;
  return {
    ...rest,
    ruleType: original.ruleType,
    target: original.target,
    ...(setting !== undefined
      ? {
          setting: mapApprovers(setting, (a) => ({
            id: a.userId ?? a.groupId,
            description: a.description ?? null,
            isBackup: false,
            userType: typeof a.groupId === 'string' ? 'Group' : 'User',
          })),
        }
      : {}),
  };
}

interface ArmPolicy {
  readonly name: string;
  readonly properties: {
    readonly rules: readonly Json[];
    readonly lastModifiedDateTime: string | null;
    readonly lastModifiedBy: { readonly id: string | null; readonly displayName: string | null } | null;
  };
}

/** The filter of `roleManagementPolicyAssignments` that names one target's policy (research §2.1, §3.1). */
const assignmentFilter = (t: SettingsTarget): string =>
  t.kind === 'group'
    ? `scopeId eq '${odataString(t.groupId)}' and scopeType eq 'Group' and roleDefinitionId eq '${t.accessId}'`
    : `scopeId eq '${odataString(t.directoryScopeId)}' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${odataString(t.roleDefinitionId)}'`;

/** Role settings as an editor reads and saves them: a target's whole policy, and several rules changed at once. */
export function settingsCalls(t: SettingsTransport) {
  return {
    /** The target's policy with its rules, or null when the target has none (an unknown role or group). */
    async getTargetPolicy(target: SettingsTarget): Promise<TargetPolicy | null> {
      const [found] = await t.list<GraphPolicyAssignment & { policy?: GraphPolicy }>(
        '/v1.0/policies/roleManagementPolicyAssignments',
        { $filter: assignmentFilter(target), $expand: 'policy($expand=rules)' },
        1,
      );
      const policy = found?.policy;
      return policy ? { ...policy, rules: policy.rules ?? [] } : null;
    },

    /** Users and groups whose display name starts with `text` (an approver or a target), at most `top` of each. */
    async searchPrincipals(
      text: string,
      opts: { groups?: boolean; users?: boolean; top?: number } = {},
    ): Promise<{ users: GraphUser[]; groups: GraphGroup[] }> {
      const top = opts.top ?? 10;
      const query = { $filter: `startswith(displayName,'${odataString(text)}')`, $top: top };
      const [users, groups] = await Promise.all([
        opts.users === false ? [] : t.list<GraphUser>('/v1.0/users', query, top),
        opts.groups === false ? [] : t.list<GraphGroup>('/v1.0/groups', query, top),
      ]);
      return { users, groups };
    },

    /** The built-in Azure roles at an ARM scope: id (a GUID) and name. */
    async listAzureRoles(scope: string): Promise<{ id: string; roleName: string }[]> {
      const found = await t.call<{ value: { name: string; properties: { roleName: string } }[] }>(
        'GET',
        authorization(scope, 'roleDefinitions'),
        { query: { 'api-version': roleDefinitionsApiVersion } },
      );
      return found.value.map((r) => ({ id: r.name, roleName: r.properties.roleName }));
    },

    /**
     * An Azure role's settings at an ARM scope (ARM's roleManagementPolicyAssignments, then the policy), its rules
     * read into Graph's spelling so one editor serves every kind of target.
     */
    async getResourcePolicy(scope: string, roleGuid: string): Promise<TargetPolicy | null> {
      const roleDefinitionId = authorization(scope, `roleDefinitions/${roleGuid}`);
      const found = await t.call<{ value: { properties: { policyId: string } }[] }>(
        'GET',
        authorization(scope, 'roleManagementPolicyAssignments'),
        { query: { ...armQuery, $filter: `roleDefinitionId eq '${odataString(roleDefinitionId)}'` } },
      );
      const name = found.value[0]?.properties.policyId.split('/').pop();
      if (!name) return null;
      const policy = await t.call<ArmPolicy>(
        'GET',
        authorization(scope, `roleManagementPolicies/${encodeURIComponent(name)}`),
        { query: armQuery },
      );
      return {
        id: policy.name,
        scopeId: scope,
        scopeType: 'Resource',
        lastModifiedDateTime: policy.properties.lastModifiedDateTime,
        lastModifiedBy: policy.properties.lastModifiedBy
          ? {
              id: policy.properties.lastModifiedBy.id,
              displayName: policy.properties.lastModifiedBy.displayName,
            }
          : null,
        rules: policy.properties.rules.map(graphRuleFromArm),
      };
    },

    /** ARM's `PATCH {scope}/…/roleManagementPolicies/{name}` with the rules (Graph's spelling, as read): all or none. */
    async updateResourcePolicyRules(
      scope: string,
      name: string,
      rules: readonly GraphPolicyRule[],
    ): Promise<void> {
      const path = authorization(scope, `roleManagementPolicies/${encodeURIComponent(name)}`);
      const current = await t.call<ArmPolicy>('GET', path, { query: armQuery });
      const originals = new Map(current.properties.rules.map((r) => [String(r.id).toLowerCase(), r]));
      await t.call<unknown>('PATCH', path, {
        query: armQuery,
        body: {
          properties: {
            rules: rules.map((r) => armRuleFromGraph(r, originals.get(r.id.toLowerCase()) ?? {})),
          },
        },
      });
    },

    /** `PATCH /policies/roleManagementPolicies/{id}` with `{ rules }`: every rule is saved, or none. */
    updatePolicyRules: (policyId: string, rules: readonly GraphPolicyRule[]) =>
      t.call<void>('PATCH', `${policies}/${encodeURIComponent(policyId)}`, { body: { rules } }),
  };
}
