import { randomBytes, randomUUID } from 'node:crypto';
import { createAuditWriter } from '../../../src/app/audit/audit-writer.js';
import { createSecretBox } from '../../../src/app/auth/secret-box.js';
import { type CallContext, systemActor } from '../../../src/app/context.js';
import type { Delivery } from '../../../src/app/outbox/delivery-ports.js';
import { createProvisioningService } from '../../../src/app/provisioning/provisioning-service.js';
import { createScimPlanner, scimChannel } from '../../../src/app/provisioning/scim-planner.js';
import { uuidV7Ids } from '../../../src/compose.js';
import { createScimProvisioner } from '../../../src/connectors/scim/scim-provisioner.js';
import { directoryRoleIds } from '../../../src/core/catalog/directory-roles.js';
import type { PimEvent, PimEventType } from '../../../src/core/events/pim-event.js';
import type { Actor } from '../../../src/core/model/principal.js';
import type { Database } from '../../../src/db/connect.js';
import { TestClock } from '../../support/clock.js';

/** A Global Administrator acting through the use cases directly. */
export const adminCtx = (): CallContext => ({
  actor: {
    ...systemActor,
    isSystem: false,
    roleIds: new Set([directoryRoleIds.globalAdministrator]),
  } as Actor,
  requestId: randomUUID(),
});

/**
 * The provisioning use cases, planner and channel over a test database, without the rest of the server: rows are
 * written directly (as a seed would), events are built by hand, and deliveries are handed to the channel as the
 * dispatcher would hand them.
 */
export function provisioningKit(database: Database, options: { ratePerSecond?: number } = {}) {
  const { db } = database;
  const clock = new TestClock('2026-03-02T09:00:00Z');
  const ids = uuidV7Ids;
  const provisioning = createProvisioningService({
    db,
    clock,
    ids,
    audit: createAuditWriter(),
    secrets: createSecretBox(randomBytes(32), 'scim-token'),
    scim: createScimProvisioner({ defaultRatePerSecond: options.ratePerSecond ?? 1000 }),
  });
  const planner = createScimPlanner();

  async function givenUser(name: string, extra: { mail?: string | null } = {}) {
    const id = ids.newId();
    const upn = `${name.toLowerCase()}@elevate.test`;
    const at = clock.now();
    await db
      .insertInto('users')
      .values({
        id,
        user_principal_name: upn,
        display_name: name,
        mail: extra.mail === undefined ? upn : extra.mail,
        given_name: name,
        surname: 'Tester',
        job_title: null,
        account_enabled: true,
        password_hash: null,
        is_emergency_access: false,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return { id, upn, displayName: name };
  }

  async function givenGroup(displayName: string) {
    const id = ids.newId();
    const at = clock.now();
    await db
      .insertInto('groups')
      .values({
        id,
        display_name: displayName,
        mail_nickname: displayName.toLowerCase(),
        description: null,
        security_enabled: true,
        mail_enabled: false,
        is_assignable_to_role: true,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return { id, displayName };
  }

  /** An active group membership schedule over [start, end), as an activation makes it. */
  async function givenActivation(q: { groupId: string; userId: string; start: Date; end: Date | null }) {
    const id = ids.newId();
    await db
      .insertInto('schedules')
      .values({
        id,
        kind: 'assignment',
        principal_id: q.userId,
        principal_type: 'user',
        target_kind: 'group',
        role_definition_id: 'member',
        scope_id: q.groupId,
        assignment_type: 'Activated',
        start_at: q.start,
        end_at: q.end,
        status: 'Provisioned',
        created_using: id,
        activated_using: null,
        created_at: q.start,
        modified_at: q.start,
      })
      .execute();
    return id;
  }

  async function givenStaticMember(groupId: string, userId: string) {
    await db
      .insertInto('group_relationships')
      .values({
        group_id: groupId,
        relationship: 'member',
        principal_id: userId,
        principal_type: 'user',
        created_at: clock.now(),
      })
      .execute();
  }

  /** A PimEvent about `user`'s membership of `group`, at the clock's now. */
  function membershipEvent(
    type: PimEventType,
    q: {
      group: { id: string; displayName: string };
      user: { id: string; upn: string; displayName: string };
      scheduleId: string;
      kind?: 'assignment' | 'eligibility';
      accessId?: 'member' | 'owner';
      start?: Date | null;
    },
  ): PimEvent {
    const now = clock.now();
    return {
      id: ids.newId(),
      type,
      time: now,
      tenantId: randomUUID(),
      subject: q.scheduleId,
      actor: {
        id: q.user.id,
        type: 'user',
        displayName: q.user.displayName,
        userPrincipalName: q.user.upn,
        mail: null,
      },
      data: {
        principal: {
          id: q.user.id,
          type: 'user',
          displayName: q.user.displayName,
          userPrincipalName: q.user.upn,
          mail: q.user.upn,
        },
        target: {
          targetKind: 'group',
          roleDefinitionId: q.accessId ?? 'member',
          scopeId: q.group.id,
          displayName: q.group.displayName,
          scopeDisplayName: q.group.displayName,
        },
        kind: q.kind ?? 'assignment',
        requestId: null,
        scheduleId: q.scheduleId,
        approvalId: null,
        justification: null,
        ticket: null,
        start: q.start === undefined ? now : q.start,
        end: null,
      },
    };
  }

  /** Plans `event` in a transaction, as the publisher would, and returns the deliveries the dispatcher would claim. */
  async function plan(event: PimEvent): Promise<Delivery[]> {
    const drafts = await db.transaction().execute((trx) => planner.plan(trx, event));
    return drafts.map((d) => ({
      id: ids.newId(),
      eventId: event.id,
      eventType: event.type,
      channel: scimChannel,
      receiverId: d.receiverId,
      orderingKey: d.orderingKey,
      payload: JSON.parse(JSON.stringify(d.payload)),
      attempt: 1,
    }));
  }

  return {
    db,
    clock,
    provisioning,
    planner,
    channel: provisioning.channel,
    givenUser,
    givenGroup,
    givenActivation,
    givenStaticMember,
    membershipEvent,
    plan,
  };
}
