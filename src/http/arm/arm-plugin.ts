import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app/services.js';
import { authenticateRequest } from '../auth/authenticate.js';
import { callContext } from '../graph/call-context.js';
import { handleApproval } from './arm-approval-routes.js';
import { handleAuthorization } from './arm-authorization-routes.js';
import type { ArmCall } from './arm-call.js';
import { ArmError, sendArmError } from './arm-errors.js';
import { handleGroupSubscription, handleScope } from './arm-tree-routes.js';
import { type ArmPath, parseArmPath } from './parse-arm-path.js';

export interface ArmOptions {
  readonly publicUrl?: string;
}

/** The api-versions each kind of ARM operation takes (README: ARM-shaped API). */
const apiVersions = {
  pim: ['2020-10-01'],
  roleDefinitions: ['2022-04-01', '2018-01-01-preview', '2015-07-01'],
  managementGroups: ['2020-05-01', '2021-04-01', '2023-04-01'],
  subscriptions: ['2020-01-01', '2021-01-01', '2022-12-01'],
  resourceGroups: ['2021-04-01', '2022-09-01'],
  elevateAccess: ['2016-07-01', '2015-07-01'],
  approvals: ['2021-01-01-preview'],
} as const;
/** A resource's api-version is its provider's own: any well-formed one is taken. */
const anyVersion = /^\d{4}-\d{2}-\d{2}(-preview|-beta|-alpha)?$/;

function versionsFor(path: ArmPath): readonly string[] | 'any' {
  switch (path.kind) {
    case 'authorization':
      return path.collection === 'roleDefinitions' ? apiVersions.roleDefinitions : apiVersions.pim;
    case 'elevateAccess':
      return apiVersions.elevateAccess;
    case 'approval':
      return apiVersions.approvals;
    case 'groupSubscription':
      return apiVersions.managementGroups;
    case 'scope':
      switch (path.scope.type) {
        case 'managementGroup':
          return apiVersions.managementGroups;
        case 'subscription':
          return apiVersions.subscriptions;
        case 'resourceGroup':
          return apiVersions.resourceGroups;
        case 'resource':
          return 'any';
      }
  }
}

/** ARM's api-version rule: required on every request, and one the operation knows (400 otherwise). */
function checkApiVersion(path: ArmPath, given: string | undefined): void {
  if (given === undefined || given === '') {
    throw new ArmError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  const allowed = versionsFor(path);
  if (allowed === 'any' ? anyVersion.test(given) : allowed.includes(given)) return;
  throw new ArmError(
    400,
    'InvalidApiVersionParameter',
    allowed === 'any'
      ? `The api-version '${given}' is invalid: write it as YYYY-MM-DD, optionally with -preview.`
      : `The api-version '${given}' is invalid. The supported versions are '${allowed.join(',')}'.`,
  );
}

/** The query string, each option once (a repeated one is refused). */
function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(value))
      throw new ArmError(400, 'InvalidQueryParameter', `'${key}' is given more than once.`);
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

async function dispatch(
  request: FastifyRequest,
  reply: FastifyReply,
  services: Services,
  publicUrl: string | undefined,
): Promise<unknown> {
  const path = parseArmPath(request.url.split('?')[0] ?? '/');
  if (path.kind === 'invalid') throw new ArmError(400, 'InvalidRequestUri', path.message);
  const query = queryOf(request);
  checkApiVersion(path, query['api-version']);
  const call: ArmCall = {
    request,
    reply,
    services,
    ctx: callContext(request),
    publicUrl,
    method: request.method === 'HEAD' ? 'GET' : request.method,
    query,
  };
  switch (path.kind) {
    case 'scope':
      return handleScope(call, path);
    case 'groupSubscription':
      return handleGroupSubscription(call, path);
    case 'authorization':
      return handleAuthorization(call, path);
    case 'approval':
      return handleApproval(call, path);
    case 'elevateAccess':
      if (call.method !== 'POST') throw new ArmError(405, 'MethodNotAllowed', 'elevateAccess takes POST.');
      await services.resources.requests.elevateAccess(call.ctx);
      return reply.status(200).send();
  }
}

const description = `Azure Resource Manager-shaped API for resource roles (README: ARM-shaped API). The path after the prefix is parsed by Elevate: a scope of any depth — '', '/providers/Microsoft.Management/managementGroups/{id}', '/subscriptions/{id}', '…/resourceGroups/{name}', '…/providers/{namespace}/{type}/{name}' — then, for PIM, '/providers/Microsoft.Authorization/{collection}[/{name}[/cancel|/validate]]' with collection roleDefinitions (GET, api-version 2022-04-01), roleEligibilityScheduleRequests and roleAssignmentScheduleRequests (GET list with $filter=atScope()|asTarget()|asRequestor()|asApprover()|principalId eq '…'; PUT {name} → 201; GET {name}; POST {name}/cancel; POST {name}/validate), roleEligibilitySchedules, roleAssignmentSchedules, roleEligibilityScheduleInstances, roleAssignmentScheduleInstances (GET list and {name}), roleManagementPolicies (GET, PATCH {name} with properties.rules), roleManagementPolicyAssignments (GET; $filter=roleDefinitionId eq '…'), all at api-version 2020-10-01; lists page with nextLink. Without Microsoft.Authorization the path is the scope itself: PUT registers or moves it, GET reads it, DELETE unregisters it. Also POST /providers/Microsoft.Authorization/elevateAccess (2016-07-01) and /providers/Microsoft.Authorization/roleAssignmentApprovals/{id}[/stages/{stageId}] (2021-01-01-preview). Errors use ARM's { "error": { "code", "message" } }.`;

const querystring = z.looseObject({
  'api-version': z
    .string()
    .max(32)
    .optional()
    .describe('Required: the operation’s api-version, e.g. 2020-10-01'),
  $filter: z.string().max(1024).optional().describe("e.g. atScope(), asTarget(), principalId eq '{id}'"),
  $top: z.string().max(8).optional().describe('Page size, 1–1000 (200 by default)'),
  $skiptoken: z.string().max(64).optional().describe('From nextLink'),
  $expand: z.string().max(32).optional().describe('children, on a management group'),
});

/**
 * Mounts the ARM-shaped surface at `/subscriptions/…` and `/providers/…`: one wildcard route per prefix whose
 * path Elevate parses itself (parse-arm-path.ts), so scopes of any depth reach the same handlers. Every call
 * needs a bearer token; errors leave through arm-errors.ts in ARM's CloudError envelope.
 */
export async function registerArm(
  app: FastifyInstance,
  services: Services,
  options: ArmOptions = {},
): Promise<void> {
  await app.register(async (arm) => {
    // ARM clients POST cancel and elevateAccess without a body, sometimes with a JSON content type.
    arm.removeContentTypeParser('application/json');
    arm.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch (error) {
        done(
          new ArmError(
            400,
            'InvalidRequestContent',
            `The request body is not valid JSON: ${(error as Error).message}`,
          ),
          undefined,
        );
      }
    });
    arm.addHook('onRequest', async (request, reply) => {
      reply.header('x-ms-request-id', request.id);
      request.actor = await authenticateRequest(services, request);
    });
    arm.setErrorHandler((error, request, reply) => sendArmError(error, request, reply));
    for (const prefix of ['/subscriptions', '/providers']) {
      arm.route({
        method: ['GET', 'PUT', 'PATCH', 'DELETE', 'POST'],
        url: `${prefix}/*`,
        schema: {
          summary: `ARM-shaped resource roles and resource tree under ${prefix}/…`,
          description,
          tags: ['ARM'],
          querystring,
        },
        handler: (request, reply) => dispatch(request, reply, services, options.publicUrl),
      });
    }
  });
}
