import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditExportFormats, auditVerificationSchema } from '../../contracts/native-schemas.js';
import { auditCategories } from '../../core/audit/audit-record.js';
import { callContext } from '../graph/call-context.js';
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
      const entries = services.auditLog.exportEntries(callContext(req), {
        ...(q.from !== undefined && { from: new Date(q.from) }),
        ...(q.to !== undefined && { to: new Date(q.to) }),
        ...(q.category !== undefined && { category: q.category }),
      });
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
        .send(json ? auditJsonStream(entries) : auditCsvStream(entries));
    },
  );
};
