import { z } from 'zod';
import {
  type AuditEntry,
  auditCategories,
  auditOperationTypes,
  auditServices,
  auditTargetTypes,
} from '../../../core/audit/audit-record.js';
import type { ListSpec } from '../odata/index.js';

// Response schemas: the serializer keeps only what they list, so nothing beyond Graph's directoryAudit leaves.
const userIdentity = z.object({
  id: z.string(),
  displayName: z.string(),
  userPrincipalName: z.string().nullable(),
  ipAddress: z.string().nullable(),
});

const appIdentity = z.object({
  appId: z.string(),
  displayName: z.string(),
  servicePrincipalId: z.string(),
  servicePrincipalName: z.string().nullable(),
});

const targetResource = z.object({
  id: z.string(),
  displayName: z.string(),
  type: z.string(),
  userPrincipalName: z.string().nullable(),
  groupType: z.string().nullable(),
  modifiedProperties: z.array(
    z.object({ displayName: z.string(), oldValue: z.string().nullable(), newValue: z.string().nullable() }),
  ),
});

/** Graph's `directoryAudit` (research §7.1). */
const directoryAuditSchema = z.object({
  id: z.string(),
  category: z.string(),
  correlationId: z.string().nullable(),
  result: z.string(),
  resultReason: z.string().nullable(),
  activityDisplayName: z.string(),
  activityDateTime: z.string().describe('UTC, ISO 8601 with Z'),
  loggedByService: z.string(),
  operationType: z.string(),
  initiatedBy: z.object({ user: userIdentity.nullable(), app: appIdentity.nullable() }),
  targetResources: z.array(targetResource),
  additionalDetails: z.array(z.object({ key: z.string(), value: z.string() })),
});
export type GraphDirectoryAudit = z.output<typeof directoryAuditSchema>;

/** A single directoryAudit with its `@odata.context`. */
export const directoryAuditEntityResponse = directoryAuditSchema.extend({ '@odata.context': z.string() });

/** Graph's collection envelope of directoryAudits; items may be cut down by `$select` (`id` always stays). */
export const directoryAuditCollectionResponse = z.object({
  '@odata.context': z.string(),
  '@odata.count': z.number().int().optional(),
  value: z.array(directoryAuditSchema.partial()),
  '@odata.nextLink': z.string().optional(),
});

const option = (description: string) => z.string().max(4096).optional().describe(description);

/** The OData options the list takes; other parameters are passed on, and `parseQueryOptions` names bad ones. */
export const directoryAuditListQuery = z.looseObject({
  $filter: option(
    "e.g. loggedByService eq 'PIM' and activityDateTime ge 2026-01-01T00:00:00Z, " +
      "targetResources/any(t: t/id eq '…'), initiatedBy/user/id eq '…', startswith(activityDisplayName,'Add')",
  ),
  $top: option('Page size, 1 to 999 (default 100)'),
  $orderby: option('activityDateTime desc (the default: newest first) or activityDateTime asc'),
  $select: option('Comma-separated directoryAudit properties; id is always returned'),
  $count: option('true adds @odata.count, the number of matching records across all pages'),
  $skiptoken: option('The cursor from @odata.nextLink; follow the link rather than building it'),
});

/** Maps one audit entry to Graph's spelling: absent identities and properties become `null`. */
export function toGraphDirectoryAudit(entry: AuditEntry): GraphDirectoryAudit {
  const { user, app } = entry.initiatedBy;
  return {
    id: entry.id,
    category: entry.category,
    correlationId: entry.correlationId,
    result: entry.result,
    resultReason: entry.resultReason,
    activityDisplayName: entry.activityDisplayName,
    activityDateTime: entry.activityDateTime.toISOString(),
    loggedByService: entry.loggedByService,
    operationType: entry.operationType,
    initiatedBy: {
      user: user
        ? {
            id: user.id,
            displayName: user.displayName,
            userPrincipalName: user.userPrincipalName,
            ipAddress: null,
          }
        : null,
      // Entra fills servicePrincipalName with the service principal's display name.
      app: app
        ? {
            appId: app.appId,
            displayName: app.displayName,
            servicePrincipalId: app.servicePrincipalId,
            servicePrincipalName: app.displayName,
          }
        : null,
    },
    targetResources: entry.targetResources.map((t) => ({
      id: t.id,
      displayName: t.displayName,
      type: t.type,
      userPrincipalName: t.userPrincipalName ?? null,
      groupType: null,
      modifiedProperties: t.modifiedProperties.map((p) => ({
        displayName: p.displayName,
        oldValue: p.oldValue,
        newValue: p.newValue,
      })),
    })),
    additionalDetails: entry.additionalDetails.map((d) => ({ key: d.key, value: d.value })),
  };
}

const graphResults = ['success', 'failure', 'timeout', 'unknownFutureValue'];

/** What `$filter`, `$select` and `$orderby` accept on `/auditLogs/directoryAudits`. */
export const directoryAuditListSpec: ListSpec = {
  fields: {
    id: { type: 'guid', ops: ['eq', 'ne', 'in'] },
    activityDateTime: { type: 'datetime', ops: ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] },
    category: { type: 'enum', values: auditCategories, ops: ['eq', 'ne', 'in'] },
    activityDisplayName: { type: 'string', ops: ['eq', 'ne', 'in', 'startswith'] },
    loggedByService: { type: 'enum', values: auditServices, ops: ['eq', 'ne', 'in'] },
    operationType: { type: 'enum', values: auditOperationTypes, ops: ['eq', 'ne', 'in'] },
    result: { type: 'enum', values: graphResults, ops: ['eq', 'ne', 'in'] },
    correlationId: { type: 'guid', ops: ['eq', 'ne', 'in', 'null'] },
    'initiatedBy/user/id': { type: 'guid', ops: ['eq', 'ne', 'in', 'null'] },
    'initiatedBy/user/displayName': { type: 'string', ops: ['eq', 'ne', 'startswith'] },
    'initiatedBy/user/userPrincipalName': { type: 'string', ops: ['eq', 'ne', 'startswith', 'null'] },
    'initiatedBy/app/appId': { type: 'guid', ops: ['eq', 'ne', 'in', 'null'] },
    'initiatedBy/app/servicePrincipalId': { type: 'guid', ops: ['eq', 'ne', 'in', 'null'] },
    'initiatedBy/app/displayName': { type: 'string', ops: ['eq', 'ne', 'startswith'] },
  },
  lambdas: {
    targetResources: {
      id: { type: 'string', ops: ['eq', 'ne', 'in'] },
      displayName: { type: 'string', ops: ['eq', 'ne', 'startswith'] },
      type: { type: 'enum', values: auditTargetTypes, ops: ['eq', 'ne', 'in'] },
      userPrincipalName: { type: 'string', ops: ['eq', 'ne', 'startswith', 'null'] },
    },
  },
  select: Object.keys(directoryAuditSchema.shape),
  orderBy: ['activityDateTime'],
  defaultTop: 100,
  maxTop: 999,
};
