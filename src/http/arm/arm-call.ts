import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallContext } from '../../app/context.js';
import type { Services } from '../../app/services.js';
import { ArmError, invalidContent } from './arm-errors.js';

/** One ARM call as the handlers see it. */
export interface ArmCall {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly services: Services;
  readonly ctx: CallContext;
  readonly publicUrl: string | undefined;
  readonly method: string;
  /** The query string's options (each given once). */
  readonly query: Readonly<Record<string, string | undefined>>;
}

/** 405: the operation exists, but not with this method. */
export const methodNotAllowed = (call: Pick<ArmCall, 'method'>, allowed: string): ArmError =>
  new ArmError(405, 'MethodNotAllowed', `${call.method} is not allowed here; use ${allowed}.`);

/** The caller-chosen name of a schedule request: a GUID, lower-cased. */
export function requestName(name: string | null): string {
  if (name === null || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name)) {
    throw invalidContent(
      `The request name must be a GUID you choose, e.g. a fresh UUID; got '${name ?? ''}'.`,
    );
  }
  return name.toLowerCase();
}

const defaultPageSize = 200;
const maxPageSize = 1000;

/** The absolute base URL clients used (or ELEVATE_PUBLIC_URL), without a trailing slash. */
const baseUrl = (call: ArmCall): string =>
  call.publicUrl ? call.publicUrl.replace(/\/+$/, '') : `${call.request.protocol}://${call.request.host}`;

/**
 * One page of a list, ARM style: `{ value, nextLink }`, where `nextLink` (not `@odata.nextLink`) repeats the
 * request with a `$skiptoken`. `$top` sets the page size (1–1000, 200 by default).
 */
export function page<T>(call: ArmCall, items: readonly T[]): { value: T[]; nextLink?: string } {
  const topText = call.query.$top;
  const top = topText === undefined ? defaultPageSize : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > maxPageSize) {
    throw invalidContent(`$top must be a whole number from 1 to ${maxPageSize}; got '${topText}'.`);
  }
  const token = call.query.$skiptoken;
  let offset = 0;
  if (token !== undefined) {
    const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(token)
      ? Buffer.from(token, 'base64url').toString('utf8')
      : '';
    const m = /^o:(\d{1,9})$/.exec(decoded);
    if (!m) throw invalidContent('$skiptoken is not one this service issued; follow nextLink as given.');
    offset = Number(m[1]);
  }
  const value = items.slice(offset, offset + top);
  if (offset + top >= items.length) return { value };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(call.query))
    if (v !== undefined && k !== '$skiptoken') params.set(k, v);
  params.set('$skiptoken', Buffer.from(`o:${offset + top}`, 'utf8').toString('base64url'));
  const path = call.request.url.split('?')[0] ?? '/';
  return { value, nextLink: `${baseUrl(call)}${path}?${params.toString()}` };
}
