import { setTimeout as sleep } from 'node:timers/promises';
import { createScimClient, type ScimClient, ScimRequestFailed, type ScimUserInput } from './scim-client.js';
import { createTokenBucket, type TokenBucket } from './token-bucket.js';

/** An application a group is provisioned to, with its token unsealed for this delivery only. */
export interface ScimApplication {
  readonly id: string;
  readonly baseUrl: string;
  readonly token: string;
  /** Requests per second; null: the provisioner's default (ELEVATE_SCIM_RATE_PER_SECOND). */
  readonly ratePerSecond: number | null;
  /** The group's id in the application, when known from an earlier delivery. */
  readonly scimGroupId: string | null;
}

/** One membership change to push: add the user to the group (creating the user if absent), or remove them. */
export interface ScimMembershipChange {
  readonly operation: 'add' | 'remove';
  readonly group: { readonly id: string; readonly displayName: string };
  readonly user: ScimUserInput;
}

export interface ScimProvisionResult {
  /** `skipped`: nothing to do (a removal of someone the application does not have). */
  readonly outcome: 'applied' | 'skipped';
  /** What the application answered, step by step, e.g. `SCIM user created (201); member added (200)`. */
  readonly response: string;
  /** The group's id in the application, to remember; null when it has none. */
  readonly scimGroupId: string | null;
}

export interface ScimProvisionerOptions {
  /** ELEVATE_SCIM_RATE_PER_SECOND: requests per second to one application unless its link says otherwise. */
  readonly defaultRatePerSecond: number;
  readonly timeoutMs?: number;
  /** The longest a request waits for the rate limit before the delivery is retried later instead; 15 s. */
  readonly maxWaitMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * Pushes group membership to applications by SCIM 2.0. Idempotent, so a delivery retried after an unknown
 * outcome does no harm: an existing user (or a 409 on create) is looked up and reused; adding a member twice or
 * removing one who is absent changes nothing; a remembered group the application no longer has (404) is found or
 * made again once. Each application has its own token bucket.
 */
export function createScimProvisioner(options: ScimProvisionerOptions) {
  const buckets = new Map<string, { rate: number; bucket: TokenBucket }>();

  function throttleFor(app: ScimApplication): () => Promise<void> {
    const rate = app.ratePerSecond ?? options.defaultRatePerSecond;
    let entry = buckets.get(app.id);
    if (!entry || entry.rate !== rate) {
      entry = { rate, bucket: createTokenBucket({ ratePerSecond: rate, nowMs: () => performance.now() }) };
      buckets.set(app.id, entry);
    }
    const { bucket } = entry;
    const maxWaitMs = options.maxWaitMs ?? 15_000;
    return async () => {
      const wait = bucket.reserve();
      if (wait > maxWaitMs) {
        // Waiting longer would outlive the outbox's claim on the delivery: hand it back to be retried later.
        bucket.release();
        throw new ScimRequestFailed(
          `rate limit of ${rate}/s for this application reached; retried later`,
          429,
          true,
        );
      }
      if (wait > 0) await sleep(wait);
    };
  }

  return {
    async apply(app: ScimApplication, change: ScimMembershipChange): Promise<ScimProvisionResult> {
      const client = createScimClient({
        baseUrl: app.baseUrl,
        token: app.token,
        throttle: throttleFor(app),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      return change.operation === 'add' ? addMember(client, app, change) : removeMember(client, app, change);
    },
  };
}

export type ScimProvisioner = ReturnType<typeof createScimProvisioner>;

const summary = (steps: string[]) => `SCIM ${steps.join('; ')}`;

/** The application's user: by userName (the UPN), else by externalId (Elevate's id: a UPN renamed since). */
async function findUser(client: ScimClient, user: ScimUserInput) {
  return (
    (await client.findUserByUserName(user.userName)) ?? (await client.findUserByExternalId(user.externalId))
  );
}

async function findOrCreateUser(client: ScimClient, user: ScimUserInput, steps: string[]): Promise<string> {
  const found = await findUser(client, user);
  if (found) {
    steps.push('user found (200)');
    return found.id;
  }
  try {
    const created = await client.createUser(user);
    steps.push('user created (201)');
    return created.id;
  } catch (error) {
    // Made meanwhile (or by an earlier try whose answer was lost): use the one that exists.
    if (!(error instanceof ScimRequestFailed && error.status === 409)) throw error;
    const existing = await client.findUserByUserName(user.userName);
    if (!existing)
      throw new ScimRequestFailed(`${error.message}, yet no user '${user.userName}' is found`, 409, true);
    steps.push('user found after 409');
    return existing.id;
  }
}

async function findOrCreateGroup(
  client: ScimClient,
  group: ScimMembershipChange['group'],
  steps: string[],
): Promise<string> {
  const found = await client.findGroupByDisplayName(group.displayName);
  if (found) {
    steps.push('group found (200)');
    return found.id;
  }
  try {
    const created = await client.createGroup({ displayName: group.displayName, externalId: group.id });
    steps.push('group created (201)');
    return created.id;
  } catch (error) {
    if (!(error instanceof ScimRequestFailed && error.status === 409)) throw error;
    const existing = await client.findGroupByDisplayName(group.displayName);
    if (!existing)
      throw new ScimRequestFailed(
        `${error.message}, yet no group '${group.displayName}' is found`,
        409,
        true,
      );
    steps.push('group found after 409');
    return existing.id;
  }
}

const isNotFound = (error: unknown) => error instanceof ScimRequestFailed && error.status === 404;

async function addMember(
  client: ScimClient,
  app: ScimApplication,
  change: ScimMembershipChange,
): Promise<ScimProvisionResult> {
  const steps: string[] = [];
  const userId = await findOrCreateUser(client, change.user, steps);
  let groupId = app.scimGroupId ?? (await findOrCreateGroup(client, change.group, steps));
  const member = { id: userId, display: change.user.displayName };
  try {
    steps.push(`member added (${await client.addMember(groupId, member)})`);
  } catch (error) {
    // The remembered group was deleted in the application: find or make it again, once.
    if (!isNotFound(error) || app.scimGroupId === null) throw error;
    steps.push('remembered group gone (404)');
    groupId = await findOrCreateGroup(client, change.group, steps);
    steps.push(`member added (${await client.addMember(groupId, member)})`);
  }
  return { outcome: 'applied', response: summary(steps), scimGroupId: groupId };
}

async function removeMember(
  client: ScimClient,
  app: ScimApplication,
  change: ScimMembershipChange,
): Promise<ScimProvisionResult> {
  const steps: string[] = [];
  const user = await findUser(client, change.user);
  if (!user) {
    return {
      outcome: 'skipped',
      response: summary(['user not in the application (200): nothing to remove']),
      scimGroupId: app.scimGroupId,
    };
  }
  let groupId =
    app.scimGroupId ?? (await client.findGroupByDisplayName(change.group.displayName))?.id ?? null;
  for (let attempt = 0; groupId !== null && attempt < 2; attempt++) {
    try {
      steps.push(`member removed (${await client.removeMember(groupId, user.id)})`);
      return { outcome: 'applied', response: summary(steps), scimGroupId: groupId };
    } catch (error) {
      // RFC 7644 §3.5.2.2: removing a member who is not there may answer 400 noTarget; it is gone either way.
      if (error instanceof ScimRequestFailed && error.status === 400 && error.scimType === 'noTarget') {
        steps.push('member already absent (400 noTarget)');
        return { outcome: 'applied', response: summary(steps), scimGroupId: groupId };
      }
      if (!isNotFound(error) || attempt > 0) throw error;
      steps.push('remembered group gone (404)');
      groupId = (await client.findGroupByDisplayName(change.group.displayName))?.id ?? null;
    }
  }
  steps.push('group not in the application: nothing to remove');
  return { outcome: 'skipped', response: summary(steps), scimGroupId: null };
}
