import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/app/context.js';
import { createEmailPlanner } from '../../src/app/notifications/email-planner.js';
import { uuidV7Ids } from '../../src/compose.js';
import { azureRoleIds } from '../../src/core/catalog/azure-roles.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { EventParty, PimEvent, PimEventData, PimEventType } from '../../src/core/events/pim-event.js';
import type { NotificationRule, PolicyRules } from '../../src/core/model/policy.js';
import type { EmailPayload } from '../../src/core/notifications/email-message.js';
import { defaultDirectoryRoleRules } from '../../src/core/policy/default-rules.js';
import { getOrCreatePolicy, savePolicyRules } from '../../src/db/repositories/policy-repository.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

describeEachDatabase('the e-mail planner, called in a transaction', (ctx) => {
  let t: TestApp;
  let adam: TestUser;
  let pat: TestUser;
  let grace: TestUser;
  const planner = () => createEmailPlanner({ portalUrl: 'https://pim.example' });
  const plan = (event: PimEvent) => ctx.db.db.transaction().execute((trx) => planner().plan(trx, event));
  const receivers = async (event: PimEvent) =>
    (await plan(event)).map((d) => `${d.receiverId} ${(d.payload as EmailPayload).kind}`);

  const person = async (name: string, roleIds: string[] = [], mail: string | null = undefined as never) => {
    const user = await t.givenUser(name, { roles: roleIds });
    await ctx.db.db
      .updateTable('users')
      .set({ mail: mail === undefined ? user.upn : mail })
      .where('id', '=', user.id)
      .execute();
    return user;
  };
  const party = (u: TestUser, name: string): EventParty => ({
    id: u.id,
    type: 'user',
    displayName: name,
    userPrincipalName: u.upn,
    mail: u.upn,
  });
  const event = (type: PimEventType, data: Partial<PimEventData> = {}, actor?: EventParty): PimEvent => ({
    id: uuidV7Ids.newId(),
    type,
    time: t.clock.now(),
    tenantId: t.services.tenantId,
    subject: 'subject',
    actor: actor ?? party(adam, 'Adam'),
    data: {
      principal: party(adam, 'Adam'),
      target: {
        targetKind: 'directoryRole',
        roleDefinitionId: roles.helpdeskAdministrator,
        scopeId: '/',
        displayName: 'Helpdesk Administrator',
        scopeDisplayName: 'Directory',
      },
      kind: 'assignment',
      requestId: null,
      scheduleId: null,
      approvalId: null,
      justification: null,
      ticket: null,
      start: t.clock.now(),
      end: new Date(t.clock.now().getTime() + 3_600_000),
      ...data,
    },
  });
  async function setNotification(id: keyof PolicyRules, change: Partial<NotificationRule>) {
    const policy = await getOrCreatePolicy(
      ctx.db.db,
      {
        targetKind: 'directoryRole',
        scopeType: 'DirectoryRole',
        scopeId: '/',
        roleDefinitionId: roles.helpdeskAdministrator,
      },
      {
        id: `DirectoryRole_test_${roles.helpdeskAdministrator}`,
        rules: defaultDirectoryRoleRules(),
        now: t.clock.now(),
      },
    );
    await savePolicyRules(
      ctx.db.db,
      policy.id,
      { ...policy.rules, [id]: { ...policy.rules[id], ...change } },
      { at: t.clock.now(), by: { id: t.admin.id, displayName: 'Admin' } },
    );
  }

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    adam = await person('Adam');
    pat = await person('Pat', [roles.privilegedRoleAdministrator]);
    grace = await person('Grace', [roles.globalAdministrator]);
    await person('Sam', [roles.securityAdministrator]);
    await person('Nomail', [roles.globalAdministrator], null);
    const off = await person('Off', [roles.globalAdministrator]);
    await ctx.db.db.updateTable('users').set({ account_enabled: false }).where('id', '=', off.id).execute();
  });
  afterEach(() => t.close());

  it('tells the activated user and the role administrators with a mailbox, not the one who acted', async () => {
    const granted = event('elevate.activation.granted', {}, party(grace, 'Grace'));
    expect(await receivers(granted)).toEqual([
      'adam@elevate.test activationGranted',
      'pat@elevate.test activationAlert',
      'sam@elevate.test activationAlert',
    ]);
    const again = await plan(granted);
    expect(again.map((d) => d.receiverId)).toEqual((await plan(granted)).map((d) => d.receiverId));
    expect(again.every((d) => d.orderingKey === `email:${d.receiverId}`)).toBe(true);
  });

  it('sends one message per address: a requestor who is also an administrator gets the requestor one', async () => {
    const both = await person('Both', [roles.privilegedRoleAdministrator]);
    const granted = event(
      'elevate.activation.granted',
      { principal: party(both, 'Both') },
      party(grace, 'Grace'),
    );
    expect(await receivers(granted)).toEqual([
      'both@elevate.test activationGranted',
      'pat@elevate.test activationAlert',
      'sam@elevate.test activationAlert',
    ]);
  });

  it('follows notificationLevel: None sends nothing, Critical only what asks someone to act', async () => {
    await setNotification('Notification_Requestor_EndUser_Assignment', { notificationLevel: 'None' });
    await setNotification('Notification_Admin_EndUser_Assignment', { notificationLevel: 'Critical' });
    await setNotification('Notification_Approver_EndUser_Assignment', { notificationLevel: 'Critical' });
    expect(await receivers(event('elevate.activation.granted', {}, party(grace, 'Grace')))).toEqual([]);
    const asked = event('elevate.approval.requested', {
      approvers: [party(grace, 'Grace'), party(pat, 'Pat')],
    });
    expect(await receivers(asked)).toEqual([
      'grace@elevate.test approvalRequested',
      'pat@elevate.test approvalRequested',
    ]);
  });

  it('sends to the extra recipients only when default recipients are off, skipping what is not an address', async () => {
    await setNotification('Notification_Approver_EndUser_Assignment', {
      isDefaultRecipientsEnabled: false,
      notificationRecipients: ['OnCall@Elevate.test', 'not an address', 'x@y.z\r\nBcc: evil@example.com'],
    });
    const asked = event('elevate.approval.requested', { approvers: [party(grace, 'Grace')] });
    const drafts = await plan(asked);
    expect(drafts.map((d) => d.receiverId)).toEqual(['oncall@elevate.test']);
    expect((drafts[0]!.payload as EmailPayload).text).toContain(
      'listed as an additional recipient of the notification rule Notification_Approver_EndUser_Assignment',
    );
  });

  it('never asks the requestor to approve their own request, nor tells the decider of their decision', async () => {
    const approvers = [party(adam, 'Adam'), party(grace, 'Grace'), party(pat, 'Pat')];
    expect(await receivers(event('elevate.approval.requested', { approvers }))).toEqual([
      'grace@elevate.test approvalRequested',
      'pat@elevate.test approvalRequested',
    ]);
    const decided = event('elevate.approval.decided', {
      approvers,
      decision: { decidedBy: party(grace, 'Grace'), outcome: 'Approved', justification: null },
    });
    expect(await receivers(decided)).toEqual(['pat@elevate.test approvalDecided']);
  });

  it('tells a group’s owners of assignments to its membership', async () => {
    const owner = await person('Olive');
    const group = await t.services.groups.create(
      {
        actor: { ...systemActor, roleIds: new Set([roles.globalAdministrator]), mfa: true },
        requestId: uuidV7Ids.newId(),
      },
      {
        displayName: 'PAG-OPS',
        mailNickname: 'pag-ops',
        description: null,
        securityEnabled: true,
        mailEnabled: false,
        isAssignableToRole: false,
        owners: [{ id: owner.id, type: 'user' }],
      },
    );
    const added = event(
      'elevate.assignment.added',
      {
        kind: 'eligibility',
        target: {
          targetKind: 'group',
          roleDefinitionId: 'member',
          scopeId: group.id,
          displayName: 'PAG-OPS',
          scopeDisplayName: 'PAG-OPS',
        },
      },
      party(grace, 'Grace'),
    );
    const drafts = await plan(added);
    expect(drafts.map((d) => `${d.receiverId} ${(d.payload as EmailPayload).kind}`)).toEqual([
      'adam@elevate.test assignmentAdded',
      'olive@elevate.test assignmentAlert',
    ]);
    expect((drafts[0]!.payload as EmailPayload).subject).toBe(
      'Assigned: you are now eligible for membership of PAG-OPS',
    );
  });

  it('reads settings without writing: a target nobody configured uses Entra’s defaults and stays unconfigured', async () => {
    const policies = () => ctx.db.db.selectFrom('role_management_policies').select('id').execute();
    const before = await policies();
    const target = {
      targetKind: 'directoryRole' as const,
      roleDefinitionId: roles.exchangeAdministrator,
      scopeId: '/',
      displayName: 'Exchange Administrator',
      scopeDisplayName: 'Directory',
    };
    expect(await receivers(event('elevate.activation.granted', { target }, party(grace, 'Grace')))).toEqual([
      'adam@elevate.test activationGranted',
      'pat@elevate.test activationAlert',
      'sam@elevate.test activationAlert',
    ]);
    expect(await policies()).toEqual(before);
  });

  it('tells the Owners and User Access Administrators of an Azure scope of activations there', async () => {
    const olive = await person('Olive');
    const now = t.clock.now();
    const id = uuidV7Ids.newId();
    await ctx.db.db
      .insertInto('schedules')
      .values({
        id,
        kind: 'assignment',
        principal_id: olive.id,
        principal_type: 'user',
        target_kind: 'resourceRole',
        role_definition_id: azureRoleIds.owner,
        scope_id: '/',
        assignment_type: 'Assigned',
        start_at: new Date(now.getTime() - 86_400_000),
        end_at: null,
        status: 'Provisioned',
        created_using: id,
        activated_using: null,
        created_at: now,
        modified_at: now,
      })
      .execute();
    const target = {
      targetKind: 'resourceRole' as const,
      roleDefinitionId: azureRoleIds.contributor,
      scopeId: '/',
      displayName: 'Contributor',
      scopeDisplayName: '/',
    };
    expect(await receivers(event('elevate.activation.granted', { target }))).toEqual([
      'adam@elevate.test activationGranted',
      'olive@elevate.test activationAlert',
    ]);
  });

  it('plans at most 1,000 recipients for one event', async () => {
    const now = t.clock.now();
    const many = Array.from({ length: 1005 }, (_, i) => ({
      id: uuidV7Ids.newId(),
      user_principal_name: `approver${String(i).padStart(4, '0')}@elevate.test`,
      display_name: `Approver ${i}`,
      mail: `approver${String(i).padStart(4, '0')}@elevate.test`,
      account_enabled: true,
      is_emergency_access: false,
      created_at: now,
      updated_at: now,
    }));
    await ctx.db.db.insertInto('users').values(many).execute();
    const approvers = many.map(
      (u): EventParty => ({
        id: u.id,
        type: 'user',
        displayName: u.display_name,
        userPrincipalName: u.user_principal_name,
        mail: u.mail,
      }),
    );
    const drafts = await plan(event('elevate.approval.requested', { approvers }));
    expect(drafts).toHaveLength(1000);
    expect(new Set(drafts.map((d) => d.receiverId)).size).toBe(1000);
  });
});
