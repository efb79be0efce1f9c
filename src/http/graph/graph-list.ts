import type { FastifyRequest } from 'fastify';
import {
  applySelect,
  collectionResponse,
  encodeSkipToken,
  type ListSpec,
  matchFilter,
  ODataError,
  parseQueryOptions,
  type QueryOptions,
} from './odata/index.js';

/** The absolute base URL clients used (or ELEVATE_PUBLIC_URL), without a trailing slash. */
export function baseUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}

/** `https://host/v1.0/$metadata#<path>` as Graph writes it. */
export function odataContext(request: FastifyRequest, publicUrl: string | undefined, path: string): string {
  return `${baseUrl(request, publicUrl)}/${request.graphVersion}/$metadata#${path}`;
}

export function queryOptions(request: FastifyRequest, spec: ListSpec): QueryOptions {
  return parseQueryOptions((request.query ?? {}) as Record<string, unknown>, spec);
}

/**
 * Filters, orders, pages and selects Graph-shaped items in memory and wraps them in the collection
 * envelope. The skip token carries the offset; items are ordered by `$orderby`, then `id`, so pages are stable.
 */
export function listResponse<T extends { id: string }>(args: {
  request: FastifyRequest;
  publicUrl: string | undefined;
  contextPath: string;
  options: QueryOptions;
  items: readonly T[];
}) {
  const { options } = args;
  let items = options.filter ? args.items.filter((i) => matchFilter(options.filter!, i)) : [...args.items];
  const order = options.orderBy ?? [];
  items.sort((a, b) => {
    for (const o of order) {
      const c = compareValues(readPath(a, o.field), readPath(b, o.field));
      if (c !== 0) return o.direction === 'asc' ? c : -c;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  const offset = skipOffset(options.skipToken);
  const total = items.length;
  items = items.slice(offset, offset + options.top);
  const hasMore = offset + options.top < total;
  return collectionResponse({
    context: odataContext(args.request, args.publicUrl, args.contextPath),
    items: items.map((i) => applySelect(i, options.select, options.expand)),
    top: options.top,
    ...(hasMore ? { nextSkipToken: encodeSkipToken({ o: offset + options.top }) } : {}),
    ...(options.count ? { count: total } : {}),
    requestUrl: `${baseUrl(args.request, args.publicUrl)}${args.request.url}`,
  });
}

function skipOffset(token: unknown): number {
  if (token === undefined) return 0;
  const o = (token as { o?: unknown }).o;
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0) throw new ODataError('Invalid $skiptoken');
  return o;
}

function readPath(item: object, path: string): unknown {
  let v: unknown = item;
  for (const part of path.split('/'))
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return String(a) < String(b) ? -1 : 1;
}
