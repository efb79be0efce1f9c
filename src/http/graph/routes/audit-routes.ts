import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditEntry } from '../../../core/audit/audit-record.js';
import { callContext } from '../call-context.js';
import { baseUrl, odataContext, queryOptions } from '../graph-list.js';
import {
  applySelect,
  collectionResponse,
  encodeSkipToken,
  matchFilter,
  ODataError,
  type QueryOptions,
} from '../odata/index.js';
import type { GraphRouteRegistrar } from '../route-types.js';
import { planAuditFilter } from '../shapes/audit-filter.js';
import {
  directoryAuditCollectionResponse,
  directoryAuditEntityResponse,
  directoryAuditListQuery,
  directoryAuditListSpec,
  toGraphDirectoryAudit,
} from '../shapes/audit-shapes.js';

const path = 'auditLogs/directoryAudits';
const tags = ['audit'];
const idParam = z.object({ id: z.string().min(1).max(256) });

type Order = 'asc' | 'desc';

/**
 * `/auditLogs/directoryAudits` (research §7): newest first by default, keyset-paged on the log's sequence.
 * The database narrows by what it can (planAuditFilter); the full `$filter` then runs on the Graph shape of
 * each candidate, so the answer is exact whatever the filter. Readers of audit only (canReadAudit).
 */
export const registerAuditRoutes: GraphRouteRegistrar = async (app, services, { publicUrl }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    `/${path}`,
    {
      schema: {
        summary: 'List directory audit records (PIM, Core Directory, Authentication)',
        tags,
        querystring: directoryAuditListQuery,
        response: { 200: directoryAuditCollectionResponse },
      },
    },
    async (req) => {
      const options = queryOptions(req, directoryAuditListSpec);
      const order: Order = options.orderBy?.[0]?.direction ?? 'desc';
      const afterSequence = readCursor(options.skipToken, order);
      const { search, exact } = planAuditFilter(options.filter);
      const matches = exact ? undefined : matcher(options);
      const ctx = callContext(req);
      const page = await services.auditLog.list(ctx, {
        search,
        order,
        limit: options.top,
        ...(matches && { matches }),
        ...(afterSequence !== undefined && { afterSequence }),
      });
      const count = options.count
        ? await services.auditLog.count(ctx, { search, ...(matches && { matches }) })
        : undefined;
      return collectionResponse({
        context: odataContext(req, publicUrl, path),
        items: page.entries.map((entry) => applySelect(toGraphDirectoryAudit(entry), options.select)),
        top: options.top,
        requestUrl: `${baseUrl(req, publicUrl)}${req.url}`,
        ...(page.nextAfterSequence !== undefined && {
          nextSkipToken: encodeSkipToken({ s: page.nextAfterSequence, o: order }),
        }),
        ...(count !== undefined && { count }),
      });
    },
  );

  r.get(
    `/${path}/:id`,
    {
      schema: {
        summary: 'Get one directory audit record',
        tags,
        params: idParam,
        response: { 200: directoryAuditEntityResponse },
      },
    },
    async (req) => {
      const entry = await services.auditLog.get(callContext(req), req.params.id);
      return {
        '@odata.context': odataContext(req, publicUrl, `${path}/$entity`),
        ...toGraphDirectoryAudit(entry),
      };
    },
  );
};

function matcher(options: QueryOptions): ((entry: AuditEntry) => boolean) | undefined {
  const { filter } = options;
  return filter && ((entry) => matchFilter(filter, toGraphDirectoryAudit(entry)));
}

/** The `$skiptoken` cursor `{ s: last sequence, o: order }`, checked: clients can forge or mix up tokens. */
function readCursor(token: unknown, order: Order): number | undefined {
  if (token === undefined) return undefined;
  const cursor = token as { s?: unknown; o?: unknown } | null;
  const sequence = typeof cursor === 'object' && cursor !== null ? cursor.s : undefined;
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 0) {
    throw new ODataError(
      'Invalid $skiptoken: it is not a token this service issued; ' +
        'request the first page without $skiptoken and follow @odata.nextLink',
    );
  }
  if (cursor?.o !== order) {
    throw new ODataError(
      `Invalid $skiptoken: it continues a list ordered by activityDateTime ${String(cursor?.o)}, ` +
        `not ${order}; keep $orderby as it was on the first page`,
    );
  }
  return sequence;
}
