import type { ExpandItem } from './parse-expand.js';

export interface CollectionInput<T> {
  /** The full context URL, e.g. `https://host/v1.0/$metadata#roleManagement/directory/roleAssignmentScheduleInstances`. */
  readonly context: string;
  /** The page. Items beyond `top` are dropped, so a caller may fetch `top + 1` rows to learn whether more exist. */
  readonly items: readonly T[];
  readonly top: number;
  /** An `encodeSkipToken` result; when present, `@odata.nextLink` points at the next page. */
  readonly nextSkipToken?: string;
  /** The total across all pages; pass it only when the client asked for `$count=true`. */
  readonly count?: number;
  /** The URL of this request, absolute (`https://host/v1.0/…?…`) or path-only (`/v1.0/…?…`). */
  readonly requestUrl: string;
}

export interface CollectionResponse<T> {
  readonly '@odata.context': string;
  readonly '@odata.count'?: number;
  readonly value: T[];
  readonly '@odata.nextLink'?: string;
}

/** Builds Graph's collection envelope: `@odata.context`, optional `@odata.count`, `value`, optional `@odata.nextLink`. */
export function collectionResponse<T>(input: CollectionInput<T>): CollectionResponse<T> {
  return {
    '@odata.context': input.context,
    ...(input.count !== undefined && { '@odata.count': input.count }),
    value: input.items.slice(0, input.top),
    ...(input.nextSkipToken !== undefined && {
      '@odata.nextLink': withSkipToken(input.requestUrl, input.nextSkipToken),
    }),
  };
}

/**
 * The request URL with `$skiptoken` set to `token` (replacing any `$skiptoken`/`$skipToken` already there,
 * in place) and every other parameter kept in order, re-encoded consistently: spaces as `%20` (never `+`),
 * and `$ ' ( ) , / : @` left readable as Graph's own links do. A parameter whose percent-encoding is
 * malformed is passed on verbatim; the fragment is dropped.
 */
export function withSkipToken(requestUrl: string, token: string): string {
  const hashless = requestUrl.split('#')[0] ?? '';
  const queryStart = hashless.indexOf('?');
  const base = queryStart < 0 ? hashless : hashless.slice(0, queryStart);
  const pairs = queryStart < 0 ? [] : hashless.slice(queryStart + 1).split('&');
  const out: string[] = [];
  let replaced = false;
  for (const pair of pairs) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decode(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : decode(pair.slice(equals + 1));
    if (name?.toLowerCase() === '$skiptoken') {
      if (!replaced) out.push(`$skiptoken=${encode(token)}`);
      replaced = true;
    } else if (name === undefined || value === undefined) {
      out.push(pair);
    } else {
      out.push(equals < 0 ? encode(name) : `${encode(name)}=${encode(value)}`);
    }
  }
  if (!replaced) out.push(`$skiptoken=${encode(token)}`);
  return `${base}?${out.join('&')}`;
}

/**
 * Keeps `id`, every `@odata.*` annotation, the selected properties and the expanded navigations; returns the
 * item unchanged when `select` is absent.
 */
export function applySelect<T extends object>(
  item: T,
  select: readonly string[] | undefined,
  expand: readonly ExpandItem[] = [],
): Partial<T> {
  if (select === undefined) return item;
  const keep = new Set(['id', ...select, ...expand.map((entry) => entry.name)]);
  return Object.fromEntries(
    Object.entries(item).filter(([key]) => keep.has(key) || key.startsWith('@odata.')),
  ) as Partial<T>;
}

/** Form-decodes one query component; undefined when its percent-encoding is malformed. */
function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

function encode(text: string): string {
  return encodeURIComponent(text).replace(/%(24|2C|2F|3A|40)/g, (encoded) => decodeURIComponent(encoded));
}
