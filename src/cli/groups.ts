import type { ElevateClient } from '../contracts/elevate-client.js';
import type { GraphGroup } from '../contracts/graph-types.js';
import { CliError, usageError } from './cli-error.js';

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `--group NAME`: a group by its exact display name (`GET /v1.0/groups?$filter=displayName eq '…'`) or by its
 * id. Two groups of that name are a usage error that lists their ids.
 */
export async function resolveGroup(
  client: Pick<ElevateClient, 'findGroupsByName' | 'getGroup'>,
  input: string,
): Promise<GraphGroup> {
  const text = input.trim();
  if (text === '') throw usageError('--group must not be empty');
  if (guidPattern.test(text)) return client.getGroup(text.toLowerCase());
  const found = await client.findGroupsByName(text);
  if (found.length === 0) {
    throw new CliError(`No group is named '${text}'; give its display name exactly, or its id`);
  }
  if (found.length > 1) {
    throw usageError(
      `${found.length} groups are named '${text}' (${found.map((g) => g.id).join(', ')}); give the id`,
    );
  }
  return found[0]!;
}
