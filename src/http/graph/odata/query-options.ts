import { ODataError } from './errors.js';
import type { FilterNode } from './filter-ast.js';
import { findKey, type ListSpec } from './list-spec.js';
import { type ExpandItem, parseExpand } from './parse-expand.js';
import { parseFilter } from './parse-filter.js';
import { decodeSkipToken } from './skip-token.js';
import { validateFilter } from './validate-filter.js';

export interface OrderBy {
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

/** The system query options of one list request, validated against the endpoint's `ListSpec`. */
export interface QueryOptions {
  filter?: FilterNode;
  expand: ExpandItem[];
  /** Absent when the client asked for every property (no `$select`, or `$select=*`). */
  select?: string[];
  top: number;
  /** The decoded cursor; validate its shape before use, as clients can forge it. */
  skipToken?: unknown;
  count: boolean;
  orderBy?: OrderBy[];
}

const supported = ['$filter', '$select', '$expand', '$top', '$skiptoken', '$count', '$orderby'] as const;
type OptionName = (typeof supported)[number];
const maxOptionLength = 4096;

/**
 * Reads the OData system query options (`$`-prefixed, names ignoring case) from a parsed query string and
 * checks each against `spec`. Other keys (e.g. `api-version`) are left to the endpoint. Filter property
 * names and enum values come back in the spec's spelling. Throws ODataError, one per request, naming the
 * option, the offending text and what is allowed.
 */
export function parseQueryOptions(query: Record<string, unknown>, spec: ListSpec): QueryOptions {
  const raw = collectOptions(query);
  const maxTop = spec.maxTop ?? 999;
  const options: QueryOptions = {
    expand: raw.$expand === undefined ? [] : parseExpand(raw.$expand, spec.expand),
    top: raw.$top === undefined ? Math.min(spec.defaultTop ?? 100, maxTop) : parseTop(raw.$top, maxTop),
    count: raw.$count === undefined ? false : parseCount(raw.$count),
  };
  if (raw.$filter !== undefined) options.filter = validateFilter(parseFilter(raw.$filter), spec);
  const select = raw.$select === undefined ? undefined : parseSelect(raw.$select, spec.select);
  if (select !== undefined) options.select = select;
  if (raw.$skiptoken !== undefined) options.skipToken = decodeSkipToken(raw.$skiptoken);
  if (raw.$orderby !== undefined) {
    options.orderBy = parseOrderBy(raw.$orderby, spec.orderBy ?? Object.keys(spec.fields));
  }
  return options;
}

function collectOptions(query: Record<string, unknown>): Partial<Record<OptionName, string>> {
  const options: Partial<Record<OptionName, string>> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith('$') || value === undefined) continue;
    const name = supported.find((option) => option === key.toLowerCase());
    if (name === undefined) {
      const hint =
        key.toLowerCase() === '$skip' ? '; page with $top and the @odata.nextLink of each page' : '';
      throw new ODataError(`Unsupported query option '${key}'; supported: ${supported.join(', ')}${hint}`);
    }
    if (options[name] !== undefined || (Array.isArray(value) && value.length !== 1)) {
      throw new ODataError(`Query option '${name}' is given more than once; give it once`);
    }
    const single: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof single !== 'string' && typeof single !== 'number' && typeof single !== 'boolean') {
      throw new ODataError(`Query option '${name}' must be text`);
    }
    const text = String(single);
    if (name !== '$filter' && text.length > maxOptionLength) {
      throw new ODataError(
        `Invalid ${name}: it is ${text.length} characters long; the limit is ${maxOptionLength}`,
      );
    }
    options[name] = text;
  }
  return options;
}

function parseTop(text: string, maxTop: number): number {
  const top = /^\s*\d{1,9}\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(top >= 1 && top <= maxTop)) {
    throw new ODataError(`Invalid $top: '${text}'; use a whole number from 1 to ${maxTop}`);
  }
  return top;
}

function parseCount(text: string): boolean {
  const lower = text.trim().toLowerCase();
  if (lower !== 'true' && lower !== 'false')
    throw new ODataError(`Invalid $count: '${text}'; use true or false`);
  return lower === 'true';
}

function parseSelect(text: string, allowed: readonly string[] | undefined): string[] | undefined {
  if (allowed === undefined) throw new ODataError('Invalid $select: this resource does not support $select');
  const byName = Object.fromEntries(allowed.map((name) => [name, true]));
  const names: string[] = [];
  for (const entry of text.split(',').map((part) => part.trim())) {
    if (entry === '*') return undefined;
    const name = findKey(byName, entry);
    if (name === undefined) {
      const what =
        entry === '' ? `an empty name in '${text}'` : `'${entry}' is not a property of this resource`;
      throw new ODataError(`Invalid $select: ${what}; use one of: ${allowed.join(', ')}`);
    }
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function parseOrderBy(text: string, allowed: readonly string[]): OrderBy[] {
  const byName = Object.fromEntries(allowed.map((name) => [name, true]));
  const orderBy: OrderBy[] = [];
  for (const entry of text.split(',').map((part) => part.trim())) {
    const match = /^(\S+)(?:\s+(asc|desc))?$/i.exec(entry);
    if (match === null) {
      throw new ODataError(
        `Invalid $orderby: '${entry}' is not a property optionally followed by asc or desc, ` +
          'e.g. createdDateTime desc',
      );
    }
    const field = findKey(byName, match[1]!);
    if (field === undefined) {
      const hint = allowed.length > 0 ? `; use one of: ${allowed.join(', ')}` : '';
      throw new ODataError(`Invalid $orderby: '${match[1]}' is not sortable on this resource${hint}`);
    }
    if (orderBy.some((item) => item.field === field)) {
      throw new ODataError(`Invalid $orderby: '${field}' appears more than once`);
    }
    orderBy.push({ field, direction: match[2]?.toLowerCase() === 'desc' ? 'desc' : 'asc' });
  }
  return orderBy;
}
