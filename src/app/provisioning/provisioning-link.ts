import { ElevateError, notFound } from '../../core/errors.js';
import type { Executor } from '../context.js';

/** A group linked to an application that receives its membership by SCIM. The token is never part of it. */
export interface ProvisioningLink {
  readonly id: string;
  readonly groupId: string;
  readonly displayName: string;
  readonly baseUrl: string;
  /** Null: ELEVATE_SCIM_RATE_PER_SECOND. */
  readonly ratePerSecond: number | null;
  /** The group's id in the application, once Elevate found or made it there. */
  readonly scimGroupId: string | null;
  readonly createdDateTime: Date;
  readonly updatedDateTime: Date;
}

const columns = [
  'id',
  'group_id',
  'display_name',
  'base_url',
  'rate_per_second',
  'scim_group_id',
  'created_at',
  'updated_at',
] as const;

type LinkRow = {
  id: string;
  group_id: string;
  display_name: string;
  base_url: string;
  rate_per_second: number | null;
  scim_group_id: string | null;
  created_at: Date;
  updated_at: Date;
};

const toLink = (r: LinkRow): ProvisioningLink => ({
  id: r.id,
  groupId: r.group_id,
  displayName: r.display_name,
  baseUrl: r.base_url,
  ratePerSecond: r.rate_per_second === null ? null : Number(r.rate_per_second),
  scimGroupId: r.scim_group_id,
  createdDateTime: r.created_at,
  updatedDateTime: r.updated_at,
});

/** The applications linked to each of `groupIds` (all links when absent), oldest first. */
export async function provisioningLinks(
  db: Executor,
  groupIds?: readonly string[],
): Promise<ProvisioningLink[]> {
  if (groupIds?.length === 0) return [];
  let query = db.selectFrom('provisioning_applications').select(columns);
  if (groupIds) query = query.where('group_id', 'in', groupIds);
  return (await query.orderBy('created_at').orderBy('id').execute()).map(toLink);
}

/** One link with its sealed token, for delivery; undefined when it was removed. */
export async function findLinkWithToken(
  db: Executor,
  id: string,
): Promise<(ProvisioningLink & { readonly tokenSealed: string }) | undefined> {
  const row = await db
    .selectFrom('provisioning_applications')
    .select([...columns, 'token_sealed'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { ...toLink(row), tokenSealed: row.token_sealed } : undefined;
}

export async function getLink(db: Executor, groupId: string, id: string): Promise<ProvisioningLink> {
  const [found] = (await provisioningLinks(db, [groupId])).filter((l) => l.id === id);
  if (!found) throw notFound('Provisioning application', id);
  return found;
}

const loopbackHosts = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * A SCIM base URL as links store it: https (http only on the loopback interface, where the bearer token does not
 * cross a network), no credentials, query or fragment; without a trailing slash.
 */
export function normaliseScimBaseUrl(input: string, field = 'baseUrl'): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new ElevateError('request.invalid', `${field} must be an absolute URL; got '${input}'.`);
  }
  const shown = `${url.origin}${url.pathname}`;
  if (url.username || url.password || url.search || url.hash) {
    throw new ElevateError(
      'request.invalid',
      `${field} must not carry credentials, a query or a fragment (the token goes in token); got '${shown}…'.`,
    );
  }
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.includes(url.hostname));
  if (!secure) {
    throw new ElevateError(
      'request.invalid',
      `${field} must be an https:// URL (http:// only for 127.0.0.1 or localhost): the bearer token travels with every request; got '${shown}'.`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
