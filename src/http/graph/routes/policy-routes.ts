import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PolicyScopeQuery } from '../../../app/policies/policy-service.js';
import { callContext } from '../call-context.js';
import { listResponse, odataContext, queryOptions } from '../graph-list.js';
import {
  applySelect,
  type ExpandItem,
  type FilterNode,
  type ListSpec,
  ODataError,
  type QueryOptions,
} from '../odata/index.js';
import type { GraphRouteRegistrar } from '../route-types.js';
import { parsePolicyRulesPatch } from '../shapes/policy-rule-schema.js';
import {
  collectionSchema,
  entityResponse,
  graphPolicyAssignmentSchema,
  graphPolicySchema,
  graphRuleSchema,
  type PolicyExpand,
  parseGraphRule,
  policyAssignmentListSpec,
  policyListSpec,
  toGraphPolicy,
  toGraphPolicyAssignment,
  toGraphRule,
} from '../shapes/policy-shapes.js';

const idParam = z.object({ id: z.string().min(1).max(256) });
const ruleParams = idParam.extend({ ruleId: z.string().min(1).max(128) });
const anyObject = z
  .record(z.string(), z.unknown())
  .describe('A JSON object; its properties are checked by the handler, each problem named by its path');
const tags = ['policies'];
const policies = 'policies/roleManagementPolicies';
const assignments = 'policies/roleManagementPolicyAssignments';

/**
 * Role settings (research §2.1): `/policies/roleManagementPolicies` with their rules, and
 * `/policies/roleManagementPolicyAssignments`. Lists need the scope `$filter`, as Graph's do.
 */
export const registerPolicyRoutes: GraphRouteRegistrar = async (app, services, { publicUrl }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const context = (req: FastifyRequest, path: string) => odataContext(req, publicUrl, path);

  r.get(
    `/${policies}`,
    {
      schema: {
        summary:
          "List role management policies ($filter=scopeId eq '/' and scopeType eq 'DirectoryRole', or scopeId eq '{groupId}' and scopeType eq 'Group')",
        tags,
        response: { 200: collectionSchema(graphPolicySchema) },
      },
    },
    async (req) => {
      const options = listOptions(req, policyListSpec, false);
      const scope = mandatoryScope(options.filter, false);
      const found = await services.policies.listPolicies(callContext(req), scope);
      const expand = policyExpand(options.expand);
      return listResponse({
        request: req,
        publicUrl,
        contextPath: policies,
        options: filterApplied(options),
        items: found.map((p) => toGraphPolicy(p, expand)),
      });
    },
  );

  r.get(
    `/${policies}/:id`,
    {
      schema: {
        summary: 'Get a role management policy ($expand=rules,effectiveRules)',
        tags,
        params: idParam,
        response: { 200: entityResponse(graphPolicySchema.partial()) },
      },
    },
    async (req) => {
      const options = entityOptions(req, policyListSpec);
      const policy = await services.policies.getPolicy(callContext(req), req.params.id);
      const body = toGraphPolicy(policy, policyExpand(options.expand));
      return {
        '@odata.context': context(req, `${policies}/$entity`),
        ...applySelect(body, options.select, options.expand),
      };
    },
  );

  r.patch(
    `/${policies}/:id`,
    {
      schema: {
        summary: 'Update several rules of a role management policy at once (all or none)',
        tags,
        params: idParam,
        body: anyObject,
      },
    },
    async (req, reply) => {
      const inputs = parsePolicyRulesPatch(req.body);
      await services.policies.updateRules(callContext(req), req.params.id, inputs);
      return reply.status(204).send();
    },
  );

  r.get(
    `/${policies}/:id/rules`,
    {
      schema: {
        summary: 'List the 17 rules of a role management policy',
        tags,
        params: idParam,
        response: { 200: collectionSchema(graphRuleSchema) },
      },
    },
    async (req) => {
      const options = queryOptions(req, { fields: { id: { type: 'string' } }, maxTop: 17, defaultTop: 17 });
      const policy = await services.policies.getPolicy(callContext(req), req.params.id);
      return listResponse({
        request: req,
        publicUrl,
        contextPath: `${policies}('${policy.id}')/rules`,
        options,
        items: Object.values(policy.rules).map(toGraphRule),
      });
    },
  );

  r.get(
    `/${policies}/:id/rules/:ruleId`,
    {
      schema: {
        summary: 'Get one rule of a role management policy',
        tags,
        params: ruleParams,
        response: { 200: entityResponse(graphRuleSchema) },
      },
    },
    async (req) => {
      const { id, ruleId } = req.params;
      const rule = await services.policies.getRule(callContext(req), id, ruleId);
      return { '@odata.context': context(req, `${policies}('${id}')/rules/$entity`), ...toGraphRule(rule) };
    },
  );

  r.patch(
    `/${policies}/:id/rules/:ruleId`,
    {
      schema: {
        summary: 'Update one rule of a role management policy (the body carries its derived @odata.type)',
        tags,
        params: ruleParams,
        body: anyObject,
      },
    },
    async (req, reply) => {
      const { id, ruleId } = req.params;
      const input = parseGraphRule(req.body, ruleId);
      await services.policies.updateRule(callContext(req), id, ruleId, input);
      return reply.status(204).send();
    },
  );

  r.get(
    `/${assignments}`,
    {
      schema: {
        summary:
          "List role management policy assignments ($filter=scopeId eq '/' and scopeType eq 'DirectoryRole' [and roleDefinitionId eq '…'])",
        tags,
        response: { 200: collectionSchema(graphPolicyAssignmentSchema) },
      },
    },
    async (req) => {
      const options = listOptions(req, policyAssignmentListSpec, true);
      const scope = mandatoryScope(options.filter, true);
      const found = await services.policies.listPolicyAssignments(callContext(req), scope);
      const expandPolicy = assignmentExpand(options.expand);
      return listResponse({
        request: req,
        publicUrl,
        contextPath: assignments,
        options: filterApplied(options),
        items: found.map((p) => toGraphPolicyAssignment(p, { expandPolicy })),
      });
    },
  );

  r.get(
    `/${assignments}/:id`,
    {
      schema: {
        summary: 'Get a role management policy assignment ($expand=policy($expand=rules))',
        tags,
        params: z.object({ id: z.string().min(1).max(256) }),
        response: { 200: entityResponse(graphPolicyAssignmentSchema.partial()) },
      },
    },
    async (req) => {
      const options = entityOptions(req, policyAssignmentListSpec);
      const id = req.params.id;
      const policy = await services.policies.getPolicyAssignment(callContext(req), id);
      const body = toGraphPolicyAssignment(policy, { expandPolicy: assignmentExpand(options.expand) });
      return {
        '@odata.context': context(req, `${assignments}/$entity`),
        ...applySelect(body, options.select, options.expand),
      };
    },
  );
};

const scopeFilterText = "scopeId eq '/' and scopeType eq 'DirectoryRole'";

/**
 * The scope named by a list's mandatory `$filter` (research §8.1): `scopeId` and `scopeType`, each once
 * with `eq`, joined by `and`; the assignment list may add `roleDefinitionId eq '…'`. The service uses them
 * all, so nothing is left to filter in memory.
 */
function listOptions(req: FastifyRequest, spec: ListSpec, withRole: boolean): QueryOptions {
  try {
    return queryOptions(req, spec);
  } catch (error) {
    if (error instanceof ODataError && error.message.startsWith('Invalid $filter')) {
      throw new ODataError(`${error.message.replace(/\.$/, '')}. ${requiredFilter(withRole)}`);
    }
    throw error;
  }
}

const requiredFilter = (withRole: boolean): string =>
  `This list requires $filter=${scopeFilterText}${withRole ? ` [and roleDefinitionId eq '{roleDefinitionId}']` : ''} (scopeType 'Directory' is accepted too; for a group: scopeId eq '{groupId}' and scopeType eq 'Group'${withRole ? ` [and roleDefinitionId eq 'member']` : ''}).`;

function mandatoryScope(
  filter: FilterNode | undefined,
  withRole: boolean,
): PolicyScopeQuery & { roleDefinitionId?: string } {
  const required = (problem: string) => new ODataError(`${problem}. ${requiredFilter(withRole)}`);
  if (filter === undefined) throw required('The $filter on scopeId and scopeType is missing');
  const terms = new Map<string, string>();
  const visit = (node: FilterNode): void => {
    if (node.kind === 'and') {
      visit(node.left);
      visit(node.right);
      return;
    }
    if (node.kind !== 'compare' || node.op !== 'eq' || !('value' in node.value)) {
      throw required(`The $filter may only join eq comparisons with 'and'`);
    }
    const name = node.property.path;
    if (terms.has(name)) throw required(`The $filter names ${name} more than once`);
    terms.set(name, String(node.value.value));
  };
  visit(filter);
  const scopeId = terms.get('scopeId');
  const scopeType = terms.get('scopeType');
  if (scopeId === undefined || scopeType === undefined) {
    throw required(`The $filter must name both scopeId and scopeType`);
  }
  const roleDefinitionId = terms.get('roleDefinitionId');
  return { scopeId, scopeType, ...(roleDefinitionId !== undefined && { roleDefinitionId }) };
}

/** The options with the mandatory filter marked as applied: the service already narrowed the list. */
const filterApplied = ({ filter: _applied, ...rest }: QueryOptions): QueryOptions => rest;

const policyExpand = (expand: readonly ExpandItem[]): PolicyExpand => ({
  expandRules: expand.some((e) => e.name === 'rules'),
  expandEffectiveRules: expand.some((e) => e.name === 'effectiveRules'),
});

/** `$expand=policy` embeds the policy; `policy($expand=rules)` its rules too. */
function assignmentExpand(expand: readonly ExpandItem[]): boolean | PolicyExpand {
  const policy = expand.find((e) => e.name === 'policy');
  if (policy === undefined) return false;
  return policy.expand === undefined ? true : policyExpand(policy.expand);
}

/** `$select` and `$expand` of a single entity; the collection options make no sense there. */
function entityOptions(req: FastifyRequest, spec: ListSpec): QueryOptions {
  const query = (req.query ?? {}) as Record<string, unknown>;
  const collectionOnly = Object.keys(query).find((k) =>
    ['$filter', '$top', '$skiptoken', '$count', '$orderby'].includes(k.toLowerCase()),
  );
  if (collectionOnly !== undefined) {
    throw new ODataError(`Query option '${collectionOnly}' applies to lists; this URL names a single item`);
  }
  return queryOptions(req, spec);
}
