import { isApiError } from '../contracts/api-error.js';
import type { ElevateClient } from '../contracts/elevate-client.js';
import type { ApproverSubject } from '../contracts/policy-rules.js';
import { CliError, usageError } from './cli-error.js';

export interface PrincipalRef {
  readonly id: string;
  /** The UPN of a user, the display name of a group, or the id when nothing better is known. */
  readonly label: string;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUpn = (s: string) => /^[^\s@]+@[^\s@]+$/.test(s);
type Lookups = Pick<ElevateClient, 'getUser' | 'getGroup'>;

const notFound = (e: unknown) => isApiError(e) && e.status === 404;

/** A user or group by id: undefined when neither exists (other failures are thrown). */
async function lookupById(client: Lookups, id: string) {
  try {
    const u = await client.getUser(id);
    return { kind: 'user' as const, id: u.id, label: u.userPrincipalName };
  } catch (e) {
    if (!notFound(e)) throw e;
  }
  try {
    const g = await client.getGroup(id);
    return { kind: 'group' as const, id: g.id, label: g.displayName };
  } catch (e) {
    if (!notFound(e)) throw e;
  }
  return undefined;
}

/**
 * PRINCIPAL of `assign`/`unassign`: a user principal name (looked up with GET /users/{upn}) or the object id
 * of a user, group or service principal (passed on as it is; the server says if it does not exist).
 */
export async function resolvePrincipal(client: Lookups, input: string): Promise<PrincipalRef> {
  const text = input.trim();
  if (isUpn(text)) {
    const user = await client.getUser(text).catch((e: unknown) => {
      throw notFound(e) ? new CliError(`No user has the user principal name '${text}'`) : e;
    });
    return { id: user.id, label: user.userPrincipalName };
  }
  if (!guidPattern.test(text)) {
    throw usageError(
      `PRINCIPAL must be a user principal name (adam@contoso.com) or an object id; got '${input}'`,
    );
  }
  const found = await lookupById(client, text.toLowerCase()).catch(() => undefined);
  return { id: text.toLowerCase(), label: found?.label ?? text.toLowerCase() };
}

/** An approver for `settings set --approver`: a UPN or a user id (singleUser), or a group id (groupMembers). */
export async function resolveApprover(client: Lookups, input: string): Promise<ApproverSubject> {
  const text = input.trim();
  if (isUpn(text)) {
    const user = await client.getUser(text).catch((e: unknown) => {
      throw notFound(e) ? new CliError(`No user has the user principal name '${text}'`) : e;
    });
    return { kind: 'singleUser', userId: user.id, description: user.userPrincipalName };
  }
  if (!guidPattern.test(text)) {
    throw usageError(`--approver must be a user principal name or a user or group id; got '${input}'`);
  }
  const found = await lookupById(client, text.toLowerCase());
  if (!found) throw new CliError(`No user or group has the id '${text}'`);
  return found.kind === 'user'
    ? { kind: 'singleUser', userId: found.id, description: found.label }
    : { kind: 'groupMembers', groupId: found.id, description: found.label };
}
