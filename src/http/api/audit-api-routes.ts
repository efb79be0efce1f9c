import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditSearch } from '../../app/audit/audit-query-service.js';
import { auditExportFormats, auditVerificationSchema } from '../../contracts/native-schemas.js';
import { type AuditEntry, auditCategories } from '../../core/audit/audit-record.js';
import { ElevateError } from '../../core/errors.js';
import { callContext } from '../graph/call-context.js';
import {
  type FilterNode,
  matchFilter,
  ODataError,
  parseFilter,
  validateFilter,
} from '../graph/odata/index.js';
import { planAuditFilter } from '../graph/shapes/audit-filter.js';
import { directoryAuditListSpec, toGraphDirectoryAudit } from '../graph/shapes/audit-shapes.js';
import type { ApiRouteRegistrar } from './api-route-types.js';
import { auditCsvStream, auditExportRecordSchema, auditJsonStream } from './audit-export.js';

const tags = ['audit'];

const instant = (description: string) =>
  z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time such as 2026-01-01T00:00:00Z' })
    .optional()
    .describe(description);

const exportQuery = z
  .strictObject({
    format: z.enum(auditExportFormats).default('csv').describe('csv (default) or json (an array)'),
    from: instant('Records at or after this instant'),
    to: instant('Records before this instant'),
    category: z.enum(auditCategories).optional().describe('Records of this category only'),
    filter: z
      .string()
      .max(4096)
      .optional()
      .describe(
        "Records matching this OData $filter, as /v1.0/auditLogs/directoryAudits takes it (e.g. startswith(initiatedBy/user/displayName,'Ada') and activityDisplayName eq 'Update role setting in PIM'), so a search's results export as shown",
      ),
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['to'],
  });

/** `/api/v1/audit/verify` and `/api/v1/audit/export`: the chain check and the log's export, for audit readers. */
export const registerAuditApiRoutes: ApiRouteRegistrar = async (app, services) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/audit/verify',
    {
      schema: {
        summary: 'Re-hash the audit chain; names the first record that was edited, removed or reordered',
        tags,
        response: { 200: auditVerificationSchema },
      },
    },
    async (req) => services.auditLog.verify(callContext(req)),
  );

  r.get(
    '/audit/export',
    {
      schema: {
        summary: 'Download the audit log, oldest first, as CSV or JSON',
        tags,
        querystring: exportQuery,
        response: {
          200: {
            description: 'An attachment: CSV with a header line, or a JSON array of records',
            content: {
              'text/csv': { schema: z.string() },
              'application/json': { schema: z.array(auditExportRecordSchema) },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const filter = q.filter === undefined ? undefined : readFilter(q.filter);
      const { search, exact } = planAuditFilter(filter);
      const range: AuditSearch = {
        ...(q.from !== undefined && { from: new Date(q.from) }),
        ...(q.to !== undefined && { to: new Date(q.to) }),
        ...(q.category !== undefined && { category: q.category }),
      };
      const entries = services.auditLog.exportEntries(callContext(req), narrower(search, range));
      // Two different categories: the search holds the query's, and each record is checked for the filter's.
      const conflict =
        search.category !== undefined && q.category !== undefined && search.category !== q.category;
      const matching = filter && (!exact || conflict) ? onlyMatching(entries, filter) : entries;
      const stamp = services.clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replaceAll(':', '');
      const json = q.format === 'json';
      // A stream is sent as it is, past the serializer; the response schema above documents its content.
      return (reply as FastifyReply)
        .header('content-type', json ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="elevate-audit-${stamp}.${q.format}"`)
        .header('cache-control', 'no-store')
        .send(json ? auditJsonStream(matching) : auditCsvStream(matching));
    },
  );
};

/** The export's `filter`, checked as the directoryAudits list checks its `$filter`; a bad one is a 400 naming it. */
function readFilter(text: string): FilterNode {
  try {
    return validateFilter(parseFilter(text), directoryAuditListSpec);
  } catch (error) {
    if (error instanceof ODataError) throw new ElevateError('request.invalid', `filter: ${error.message}`);
    throw error;
  }
}

/**
 * Both searches at once: the later `from`, the earlier `to`, and the query's category over the filter's.
 */
function narrower(plan: AuditSearch, range: AuditSearch): AuditSearch {
  const later = (a?: Date, b?: Date) => (a === undefined ? b : b === undefined || a > b ? a : b);
  const earlier = (a?: Date, b?: Date) => (a === undefined ? b : b === undefined || a < b ? a : b);
  const from = later(plan.from, range.from);
  const to = earlier(plan.to, range.to);
  const category = range.category ?? plan.category;
  return {
    ...plan,
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(category !== undefined && { category }),
  };
}

/** The entries the filter accepts, read on the Graph shape the filter names (as the list route does). */
async function* onlyMatching(
  entries: AsyncIterable<AuditEntry>,
  filter: FilterNode,
): AsyncIterable<AuditEntry> {
  for await (const entry of entries) if (matchFilter(filter, toGraphDirectoryAudit(entry))) yield entry;
}
