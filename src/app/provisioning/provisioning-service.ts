import type { AuditModifiedProperty } from '../../core/audit/audit-record.js';
import {
  canManageApplications,
  canReadAllPim,
  requirePermission,
} from '../../core/authorization/permissions.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { SecretBox } from '../auth/secret-box.js';
import { type AppDeps, type CallContext, type Executor, systemActor } from '../context.js';
import { directoryAudit } from '../directory/directory-audit.js';
import type { DeliveryChannel } from '../outbox/delivery-ports.js';
import { linkDemoApplication } from '../setup/demo-scim-link.js';
import {
  getLink,
  normaliseScimBaseUrl,
  type ProvisioningLink,
  provisioningLinks,
} from './provisioning-link.js';
import {
  groupProvisioningReceipts,
  type ProvisioningReceipt,
  provisioningReceipts,
} from './provisioning-receipts.js';
import { createScimChannel } from './scim-channel.js';
import type { ScimPort } from './scim-port.js';

export interface NewProvisioningLink {
  /** The application's name, as receipts and audit show it. */
  readonly displayName: string;
  readonly baseUrl: string;
  /** The bearer token the application issued; stored sealed, never returned. */
  readonly token: string;
  /** Requests per second to this application; null or absent: ELEVATE_SCIM_RATE_PER_SECOND. */
  readonly ratePerSecond?: number | null;
}

export interface ProvisioningLinkPatch {
  readonly displayName?: string;
  readonly baseUrl?: string;
  /** A new token (rotation); the old one is forgotten. */
  readonly token?: string;
  readonly ratePerSecond?: number | null;
}

const manageRoles = 'Global Administrator, Application Administrator or Cloud Application Administrator';
const readRoles = `${manageRoles}, or a reader of PIM (Privileged Role Administrator, Global Reader, Security Reader, Security Administrator)`;
const tokenNote = '[write-only: not recorded]';

/**
 * Links between a group and the applications its membership is provisioned to by SCIM 2.0. Application
 * administrators link, change and unlink (audited, in the change's transaction); PIM readers list links and
 * receipts. Tokens are sealed with the link's id as context and never leave: not in answers, logs or audit.
 */
export function createProvisioningService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'> & { audit: AuditWriter; secrets: SecretBox; scim: ScimPort },
) {
  const { db, clock, ids, audit, secrets } = deps;

  async function groupOf(executor: Executor, groupId: string) {
    const group = await executor
      .selectFrom('groups')
      .select(['id', 'display_name'])
      .where('id', '=', groupId)
      .executeTakeFirst();
    if (!group) throw notFound('Group', groupId);
    return { id: group.id, displayName: group.display_name, type: 'Group' as const };
  }

  function checkRate(rate: number | null | undefined): void {
    if (rate === undefined || rate === null) return;
    if (!Number.isFinite(rate) || rate <= 0 || rate > 1000) {
      throw new ElevateError(
        'request.invalid',
        `ratePerSecond must be above 0 and at most 1000; got ${rate}.`,
      );
    }
  }

  function checkText(field: string, value: string | undefined, max: number): void {
    if (value === undefined) return;
    if (value.trim() === '' || value.length > max) {
      throw new ElevateError('request.invalid', `${field} must be 1 to ${max} characters.`);
    }
  }

  const auditEntry = (
    ctx: CallContext,
    at: Date,
    activity: string,
    operationType: 'Add' | 'Update' | 'Delete',
    group: { id: string; displayName: string; type: 'Group' },
    modifiedProperties: AuditModifiedProperty[],
  ) =>
    directoryAudit(ctx, {
      id: ids.newId(),
      at,
      activity,
      operationType,
      category: 'ApplicationManagement',
      target: group,
      modifiedProperties,
    });

  /** Links without the permission check: the demo seed's (linkDemoApplication). */
  async function linkUnchecked(
    ctx: CallContext,
    groupId: string,
    input: NewProvisioningLink,
  ): Promise<ProvisioningLink> {
    checkText('displayName', input.displayName, 256);
    checkText('token', input.token, 8192);
    checkRate(input.ratePerSecond);
    const baseUrl = normaliseScimBaseUrl(input.baseUrl);
    const now = clock.now();
    const id = ids.newId();
    await db.transaction().execute(async (trx) => {
      const group = await groupOf(trx, groupId);
      const clash = await trx
        .selectFrom('provisioning_applications')
        .select('id')
        .where('group_id', '=', groupId)
        .where('base_url', '=', baseUrl)
        .executeTakeFirst();
      if (clash) {
        throw new ElevateError(
          'resource.conflict',
          `Group '${group.displayName}' is already linked to ${baseUrl} (link ${clash.id}); change that link instead.`,
        );
      }
      await trx
        .insertInto('provisioning_applications')
        .values({
          id,
          group_id: groupId,
          display_name: input.displayName,
          base_url: baseUrl,
          token_sealed: secrets.seal(input.token, id),
          rate_per_second: input.ratePerSecond ?? null,
          scim_group_id: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await audit.append(trx, [
        auditEntry(ctx, now, 'Add provisioning application to group', 'Add', group, [
          {
            displayName: 'ProvisioningApplication',
            oldValue: null,
            newValue: JSON.stringify(input.displayName),
          },
          { displayName: 'ScimBaseUrl', oldValue: null, newValue: JSON.stringify(baseUrl) },
          { displayName: 'Token', oldValue: null, newValue: JSON.stringify(tokenNote) },
        ]),
      ]);
    });
    return getLink(db, groupId, id);
  }

  return {
    /** The outbox channel `scim` delivering what scim-planner.ts plans (compose.ts registers it). */
    channel: createScimChannel({ db, clock, ids, secrets, scim: deps.scim }) as DeliveryChannel,

    /** The applications `groupId`'s membership is provisioned to. */
    async list(ctx: CallContext, groupId: string): Promise<ProvisioningLink[]> {
      requirePermission(
        canManageApplications(ctx.actor) || canReadAllPim(ctx.actor),
        'list provisioning applications',
        readRoles,
      );
      await groupOf(db, groupId);
      return provisioningLinks(db, [groupId]);
    },

    async link(ctx: CallContext, groupId: string, input: NewProvisioningLink): Promise<ProvisioningLink> {
      requirePermission(canManageApplications(ctx.actor), 'link a group to an application', manageRoles);
      return linkUnchecked(ctx, groupId, input);
    },

    linkUnchecked,

    /** Changes a link's name, URL, rate or token; a new URL forgets the remembered SCIM group id. */
    async update(
      ctx: CallContext,
      groupId: string,
      linkId: string,
      patch: ProvisioningLinkPatch,
    ): Promise<ProvisioningLink> {
      requirePermission(canManageApplications(ctx.actor), 'change a provisioning application', manageRoles);
      checkText('displayName', patch.displayName, 256);
      checkText('token', patch.token, 8192);
      checkRate(patch.ratePerSecond);
      const baseUrl = patch.baseUrl === undefined ? undefined : normaliseScimBaseUrl(patch.baseUrl);
      const before = await getLink(db, groupId, linkId);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const group = await groupOf(trx, groupId);
        const moved = baseUrl !== undefined && baseUrl !== before.baseUrl;
        if (moved) {
          const clash = await trx
            .selectFrom('provisioning_applications')
            .select('id')
            .where('group_id', '=', groupId)
            .where('base_url', '=', baseUrl)
            .executeTakeFirst();
          if (clash) {
            throw new ElevateError(
              'resource.conflict',
              `Group '${group.displayName}' is already linked to ${baseUrl} (link ${clash.id}).`,
            );
          }
        }
        await trx
          .updateTable('provisioning_applications')
          .set({
            ...(patch.displayName !== undefined && { display_name: patch.displayName }),
            ...(moved && { base_url: baseUrl, scim_group_id: null }),
            ...(patch.token !== undefined && { token_sealed: secrets.seal(patch.token, linkId) }),
            ...(patch.ratePerSecond !== undefined && { rate_per_second: patch.ratePerSecond }),
            updated_at: now,
          })
          .where('id', '=', linkId)
          .execute();
        const changes: AuditModifiedProperty[] = [];
        const change = (name: string, from: unknown, to: unknown) => {
          if (to !== undefined && to !== from)
            changes.push({ displayName: name, oldValue: JSON.stringify(from), newValue: JSON.stringify(to) });
        };
        change('ProvisioningApplication', before.displayName, patch.displayName);
        change('ScimBaseUrl', before.baseUrl, baseUrl);
        change('RatePerSecond', before.ratePerSecond, patch.ratePerSecond);
        if (patch.token !== undefined) {
          changes.push({
            displayName: 'Token',
            oldValue: JSON.stringify(tokenNote),
            newValue: JSON.stringify(tokenNote),
          });
        }
        await audit.append(trx, [
          auditEntry(ctx, now, 'Update provisioning application of group', 'Update', group, [
            { displayName: 'ProvisioningApplicationId', oldValue: null, newValue: JSON.stringify(linkId) },
            ...changes,
          ]),
        ]);
      });
      return getLink(db, groupId, linkId);
    },

    /** Stops provisioning the group to the application; what was pushed stays there, receipts stay here. */
    async unlink(ctx: CallContext, groupId: string, linkId: string): Promise<void> {
      requirePermission(canManageApplications(ctx.actor), 'unlink a provisioning application', manageRoles);
      const before = await getLink(db, groupId, linkId);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const group = await groupOf(trx, groupId);
        await trx.deleteFrom('provisioning_applications').where('id', '=', linkId).execute();
        await audit.append(trx, [
          auditEntry(ctx, now, 'Remove provisioning application from group', 'Delete', group, [
            {
              displayName: 'ProvisioningApplication',
              oldValue: JSON.stringify(before.displayName),
              newValue: null,
            },
            { displayName: 'ScimBaseUrl', oldValue: JSON.stringify(before.baseUrl), newValue: null },
          ]),
        ]);
      });
    },

    /** A group's receipts, newest first, optionally of one principal. */
    async receipts(
      ctx: CallContext,
      q: { groupId: string; principalId?: string; limit?: number },
    ): Promise<ProvisioningReceipt[]> {
      requirePermission(
        canManageApplications(ctx.actor) || canReadAllPim(ctx.actor),
        'read provisioning receipts',
        readRoles,
      );
      await groupOf(db, q.groupId);
      return groupProvisioningReceipts(db, { ...q, limit: q.limit ?? 100 });
    },

    /**
     * The receipts of these membership schedules. Readers of PIM and application administrators see all; anyone
     * else only their own (others' are left out, as if unknown).
     */
    async receiptsOf(ctx: CallContext, scheduleIds: readonly string[]): Promise<ProvisioningReceipt[]> {
      const all = await provisioningReceipts(db, scheduleIds);
      if (canManageApplications(ctx.actor) || canReadAllPim(ctx.actor)) return all;
      return all.filter((r) => r.principalId.toLowerCase() === ctx.actor.id.toLowerCase());
    },

    /** With --demo and ELEVATE_DEMO_SCIM_URL: links the demo's groups to that application (setup/demo-scim-link.ts). */
    linkDemoApplication: (target: { baseUrl: string; token: string }): Promise<string[]> =>
      linkDemoApplication(
        { db, link: linkUnchecked },
        { actor: systemActor, requestId: ids.newId() },
        target,
      ),

    /** The receipts of these membership schedules (for explain); no permission check: the caller's. */
    receiptsOfSchedules: (scheduleIds: readonly string[]) => provisioningReceipts(db, scheduleIds),
  };
}

export type ProvisioningService = ReturnType<typeof createProvisioningService>;
