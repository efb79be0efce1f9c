import type { FastifyRequest } from 'fastify';
import type { KeysetPage, KeysetPageRequest } from '../../app/shared/keyset-page.js';
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
  const o = typeof token === 'object' && token !== null ? (token as { o?: unknown }).o : undefined;
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0) {
    const keyset = typeof token === 'object' && token !== null && 'k' in token;
    throw new ODataError(
      keyset
        ? 'Invalid $skiptoken: it continues a list without $orderby; keep the query as it was on the first page'
        : 'Invalid $skiptoken: it is not a token this service issued; ' +
            'request the first page without $skiptoken and follow @odata.nextLink',
    );
  }
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

/** Most items a list sorted by `$orderby` reads: such lists are sorted in memory after the database narrowed them. */
const maxOrderedItems = 100_000;

const keyPattern =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|~)?$/;
/** `{instant}|{id}`: the key of a list the database sorts by a date-time. */
const sortedKeyPattern =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The direction of `$orderby` when it names only `field`, which the list can sort by in the database (a
 * date-time column, then id); undefined otherwise.
 */
export function sqlOrder(options: QueryOptions, field: string): 'asc' | 'desc' | undefined {
  const [only, ...more] = options.orderBy ?? [];
  return only?.field === field && more.length === 0 ? only.direction : undefined;
}

/** Reads a list in pages for `keysetListResponse`; `keep` is the part of the `$filter` the database left over. */
export interface KeysetList<D> {
  page(page: KeysetPageRequest<D>): Promise<KeysetPage<D>>;
  count(keep: KeysetPageRequest<D>['keep']): Promise<number>;
}

/**
 * A Graph list read from the database a page at a time, in id order, with an opaque `$skiptoken` holding the
 * last id of the page (keyset paging: no duplicate or gap when rows come or go between pages). The list's
 * `page` has already narrowed by what the database can answer; the full `$filter` runs here on the
 * Graph-shaped (and expanded) items, so the answer is exactly the filter's. With `$orderby`, the narrowed list
 * is sorted and paged in memory as `listResponse` does.
 */
export async function keysetListResponse<D, T extends { id: string }>(args: {
  request: FastifyRequest;
  publicUrl: string | undefined;
  contextPath: string;
  options: QueryOptions;
  list: KeysetList<D>;
  /** Domain items to their Graph shape, with the navigations `$expand` asks for. */
  shape: (items: readonly D[]) => Promise<T[]>;
  /** The list sorts by `$orderby` itself (see `sqlOrder`): its keys are `{instant}|{id}`. */
  sortedInSql?: boolean;
}) {
  const { options, list, shape } = args;
  const sort = args.sortedInSql
    ? options.orderBy?.map((o) => `${o.field} ${o.direction}`).join(',')
    : undefined;
  if (options.orderBy !== undefined && sort === undefined) {
    const all = await list.page({ limit: maxOrderedItems });
    if (all.nextAfter !== undefined) {
      throw new ODataError(
        `Invalid $orderby: it sorts at most ${maxOrderedItems.toLocaleString('en')} items and this list has more; ` +
          'narrow it with $filter, or page it without $orderby (in id order)',
      );
    }
    return listResponse({ ...args, items: await shape(all.items) });
  }
  const { filter } = options;
  const keep =
    filter &&
    (async (items: readonly D[]) => {
      const shaped = await shape(items);
      return items.filter((_, index) => matchFilter(filter, shaped[index]!));
    });
  const after = keysetCursor(options.skipToken, sort);
  const page = await list.page({
    limit: options.top,
    ...(after !== undefined && { after }),
    ...(keep && { keep }),
  });
  const count = options.count ? await list.count(keep) : undefined;
  const items = await shape(page.items);
  return collectionResponse({
    context: odataContext(args.request, args.publicUrl, args.contextPath),
    items: items.map((i) => applySelect(i, options.select, options.expand)),
    top: options.top,
    ...(page.nextAfter !== undefined && {
      nextSkipToken: encodeSkipToken({ k: page.nextAfter, ...(sort !== undefined && { s: sort }) }),
    }),
    ...(count !== undefined && { count }),
    requestUrl: `${baseUrl(args.request, args.publicUrl)}${args.request.url}`,
  });
}

/**
 * The last key of the previous page, from a `$skiptoken` `{ k, s }` (`s`: the `$orderby` the database sorted by);
 * checked, as clients can forge tokens.
 */
function keysetCursor(token: unknown, sort: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const cursor = typeof token === 'object' && token !== null ? (token as { k?: unknown; s?: unknown }) : {};
  const key = cursor.k;
  const valid = typeof key === 'string' && (sort === undefined ? keyPattern : sortedKeyPattern).test(key);
  if (valid && cursor.s === sort) return key;
  const otherOrder = 'o' in cursor || (typeof key === 'string' && cursor.s !== sort);
  throw new ODataError(
    otherOrder
      ? 'Invalid $skiptoken: it continues the list with another $orderby; keep $orderby as it was on the first page'
      : 'Invalid $skiptoken: it is not a token this service issued; ' +
          'request the first page without $skiptoken and follow @odata.nextLink',
  );
}
