import type { ResourcePage, ResourcePageRequest } from '../../app/resources/resource-list-service.js';
import type { ArmCall } from './arm-call.js';
import { invalidContent } from './arm-errors.js';

const defaultPageSize = 200;
const maxPageSize = 1000;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const baseUrl = (call: ArmCall): string =>
  call.publicUrl ? call.publicUrl.replace(/\/+$/, '') : `${call.request.protocol}://${call.request.host}`;

/**
 * The page an ARM list asks for: `$top` (1–1000, 200 by default) and the `$skiptoken` of `nextLink`, which
 * holds the id of the last item of the previous page (keyset paging: items come in id order).
 */
export function armPageRequest(call: ArmCall): ResourcePageRequest {
  const topText = call.query.$top;
  const limit = topText === undefined ? defaultPageSize : Number(topText);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
    throw invalidContent(`$top must be a whole number from 1 to ${maxPageSize}; got '${topText}'.`);
  }
  const token = call.query.$skiptoken;
  if (token === undefined) return { limit };
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const after = decoded.startsWith('k:') ? decoded.slice(2) : '';
  if (!uuid.test(after))
    throw invalidContent('$skiptoken is not one this service issued; follow nextLink as given.');
  return { limit, after };
}

/** ARM's page: `{ value, nextLink }`, where `nextLink` repeats the request with the next `$skiptoken`. */
export function armPage<V, T>(
  call: ArmCall,
  page: ResourcePage<V>,
  shape: (item: V) => T,
): { value: T[]; nextLink?: string } {
  const value = page.items.map(shape);
  if (page.nextAfter === undefined) return { value };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(call.query))
    if (v !== undefined && k !== '$skiptoken') params.set(k, v);
  params.set('$skiptoken', Buffer.from(`k:${page.nextAfter}`, 'utf8').toString('base64url'));
  const path = call.request.url.split('?')[0] ?? '/';
  return { value, nextLink: `${baseUrl(call)}${path}?${params.toString()}` };
}
