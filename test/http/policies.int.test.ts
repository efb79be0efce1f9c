import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { directoryRoleIds, directoryRoles } from '../../src/core/catalog/directory-roles.js';
import { policyRuleIds } from '../../src/core/model/policy.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { type DatabaseContext, describeEachDatabase } from '../support/db.js';

const globalAdministrator = directoryRoleIds.globalAdministrator;
const scopeFilter = `$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'`;
const expirationType = '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule';
const enablementType = '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule';
const activity = 'Update role setting in PIM';

const activationMaximum = (maximumDuration: string) => ({
  '@odata.type': expirationType,
  id: 'Expiration_EndUser_Assignment',
  isExpirationRequired: true,
  maximumDuration,
  target: {
    caller: 'EndUser',
    operations: ['all'],
    level: 'Assignment',
    inheritableSettings: [],
    enforcedSettings: [],
  },
});

const activationRequirements = (enabledRules: string[]) => ({
  '@odata.type': enablementType,
  id: 'Enablement_EndUser_Assignment',
  enabledRules,
});

/** Helpers over one app: find a role's policy, read its stored rules and its audit records. */
function policies(t: () => TestApp, ctx: DatabaseContext) {
  return {
    async policyIdOf(roleId: string): Promise<string> {
      const res = await t().graph(
        t().admin,
        'GET',
        `/v1.0/policies/roleManagementPolicyAssignments?${scopeFilter} and roleDefinitionId eq '${roleId}'`,
      );
      expect(res.status).toBe(200);
      expect(res.body.value).toHaveLength(1);
      return res.body.value[0].policyId;
    },
    async storedRules(policyId: string): Promise<Record<string, any>> {
      const row = await ctx.db.db
        .selectFrom('role_management_policies')
        .select('rules')
        .where('id', '=', policyId)
        .executeTakeFirstOrThrow();
      return row.rules as Record<string, any>;
    },
    /**
     * On PostgreSQL, holds the policy row until `waiters` transactions of `work` are queued behind it, so
     * they overlap for certain; PGlite runs one transaction at a time, so there `work` simply runs.
     */
    async whileRowHeld<T>(policyId: string, waiters: number, work: () => Promise<T>): Promise<T> {
      if (ctx.kind !== 'postgres') return work();
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let held = () => {};
      const isHeld = new Promise<void>((resolve) => {
        held = resolve;
      });
      const holder = ctx.db.db.transaction().execute(async (trx) => {
        await trx
          .selectFrom('role_management_policies')
          .select('id')
          .where('id', '=', policyId)
          .forUpdate()
          .execute();
        held();
        await released;
      });
      await isHeld;
      const result = work();
      try {
        for (let tries = 0; tries < 200; tries++) {
          const waiting = await sql<{ n: number }>`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`.execute(ctx.db.db);
          if ((waiting.rows[0]?.n ?? 0) >= waiters) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } finally {
        release();
      }
      await holder;
      return result;
    },
    async settingAudits(policyId: string): Promise<any[]> {
      const rows = await ctx.db.db
        .selectFrom('audit_log')
        .selectAll()
        .where('activity_display_name', '=', activity)
        .orderBy('sequence')
        .execute();
      return rows.filter((r) => (r.target_resources as any[])[0]?.id === policyId);
    },
  };
}

describeEachDatabase(
  'Graph role settings: reading policies',
  (ctx) => {
    let t: TestApp;
    const h = policies(() => t, ctx);
    beforeAll(async () => {
      t = await createTestApp(ctx.db);
    });
    afterAll(() => t.close());

    it('lists one policy per role with the mandatory filter, Global Administrator with Entra defaults', async () => {
      const res = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicies?${scopeFilter}&$expand=rules&$top=999`,
      );

      expect(res.status).toBe(200);
      expect(res.body['@odata.context']).toMatch(/\/v1\.0\/\$metadata#policies\/roleManagementPolicies$/);
      expect(res.body.value).toHaveLength(directoryRoles.length);
      const rows = await ctx.db.db.selectFrom('role_management_policies').selectAll().execute();
      expect(rows).toHaveLength(directoryRoles.length);
      const ga = rows.find((r) => r.role_definition_id === globalAdministrator)!;
      const policy = res.body.value.find((p: any) => p.id === ga.id);
      expect(policy).toMatchObject({
        id: expect.stringMatching(new RegExp(`^DirectoryRole_${t.services.tenantId}_[0-9a-f-]{36}$`)),
        displayName: 'DirectoryRole',
        isOrganizationDefault: false,
        scopeId: '/',
        scopeType: 'DirectoryRole',
        lastModifiedDateTime: null,
      });
      expect(policy.rules.map((r: any) => r.id)).toEqual([...policyRuleIds]);
      const rule = (id: string) => policy.rules.find((r: any) => r.id === id);
      expect(rule('Expiration_EndUser_Assignment')).toMatchObject({
        '@odata.type': expirationType,
        isExpirationRequired: true,
        maximumDuration: 'PT8H',
        target: { caller: 'EndUser', level: 'Assignment', operations: ['all'] },
      });
      expect(rule('Enablement_EndUser_Assignment')).toMatchObject({
        '@odata.type': enablementType,
        enabledRules: ['MultiFactorAuthentication', 'Justification'],
      });
      expect(rule('Approval_EndUser_Assignment').setting.isApprovalRequired).toBe(false);
      // Creating the implicit policies is not a change of settings.
      expect(
        await ctx.db.db
          .selectFrom('audit_log')
          .select('id')
          .where('activity_display_name', '=', activity)
          .execute(),
      ).toEqual([]);
    });

    it('creates each policy once, however often the list is read, and accepts scopeType Directory on beta', async () => {
      const again = await t.graph(
        t.admin,
        'GET',
        `/beta/policies/roleManagementPolicies?$filter=scopeId eq '/' and scopeType eq 'Directory'`,
      );

      expect(again.status).toBe(200);
      expect(again.body['@odata.context']).toContain('/beta/$metadata#policies/roleManagementPolicies');
      expect(again.body.value[0].rules).toBeUndefined();
      expect(await ctx.db.db.selectFrom('role_management_policies').select('id').execute()).toHaveLength(
        directoryRoles.length,
      );
    });

    it('pages with $top and @odata.nextLink, and cuts items down with $select', async () => {
      const first = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicies?${scopeFilter}&$top=40&$select=scopeId`,
      );
      expect(first.body.value).toHaveLength(40);
      expect(Object.keys(first.body.value[0]).sort()).toEqual(['id', 'scopeId']);
      const next = new URL(first.body['@odata.nextLink']);

      const second = await t.graph(t.admin, 'GET', `${next.pathname}${next.search}`);

      expect(second.status).toBe(200);
      expect(second.body.value).toHaveLength(directoryRoles.length - 40);
      const ids = new Set([...first.body.value, ...second.body.value].map((p: any) => p.id));
      expect(ids.size).toBe(directoryRoles.length);
    });

    it('refuses a list without the mandatory filter, or with another one, naming the filter it needs', async () => {
      for (const query of [
        '',
        `?$filter=scopeId eq '/'`,
        `?$filter=scopeType eq 'DirectoryRole'`,
        `?$filter=scopeId eq '/' or scopeType eq 'DirectoryRole'`,
        `?$filter=scopeId ne '/' and scopeType eq 'DirectoryRole'`,
      ]) {
        const res = await t.graph(t.admin, 'GET', `/v1.0/policies/roleManagementPolicies${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.error.message).toContain(`$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'`);
        expect(res.body.error.innerError['request-id']).toBeTruthy();
      }
      const assignments = await t.graph(t.admin, 'GET', '/v1.0/policies/roleManagementPolicyAssignments');
      expect(assignments.status).toBe(400);
      expect(assignments.body.error.message).toContain(`and roleDefinitionId eq`);

      const wrongScope = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicies?$filter=scopeId eq '/teams' and scopeType eq 'DirectoryRole'`,
      );
      expect(wrongScope.status).toBe(400);
      expect(wrongScope.body.error.message).toContain(`'/administrativeUnits/{id}'`);
      const group = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicies?$filter=scopeId eq '${randomUUID()}' and scopeType eq 'Group'`,
      );
      // Group policies are served (PIM for Groups), for groups that exist.
      expect(group.status).toBe(400);
      expect(group.body.error.message).toContain('does not name a group');
    });

    it('lists only the policies that exist below the tenant, at an administrative unit', async () => {
      const res = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicies?$filter=scopeId eq '/administrativeUnits/${randomUUID()}' and scopeType eq 'DirectoryRole'`,
      );
      expect(res.status).toBe(200);
      expect(res.body.value).toEqual([]);
    });

    it("finds a role's policy assignment and follows its policyId to the policy and its rules", async () => {
      const list = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicyAssignments?${scopeFilter} and roleDefinitionId eq '${globalAdministrator}'&$expand=policy($expand=rules)`,
      );
      expect(list.status).toBe(200);
      expect(list.body['@odata.context']).toMatch(/#policies\/roleManagementPolicyAssignments$/);
      expect(list.body.value).toHaveLength(1);
      const assignment = list.body.value[0];
      expect(assignment).toMatchObject({
        id: `${assignment.policyId}_${globalAdministrator}`,
        scopeId: '/',
        scopeType: 'DirectoryRole',
        roleDefinitionId: globalAdministrator,
        policy: { id: assignment.policyId },
      });
      expect(assignment.policy.rules).toHaveLength(17);

      const one = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicyAssignments/${assignment.id}?$expand=policy`,
      );
      expect(one.status).toBe(200);
      expect(one.body['@odata.context']).toMatch(/#policies\/roleManagementPolicyAssignments\/\$entity$/);
      expect(one.body.policy.id).toBe(assignment.policyId);
      expect(one.body.policy.rules).toBeUndefined();

      const policy = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicies/${assignment.policyId}?$expand=rules,effectiveRules`,
      );
      expect(policy.status).toBe(200);
      expect(policy.body['@odata.context']).toMatch(/#policies\/roleManagementPolicies\/\$entity$/);
      expect(policy.body.rules).toHaveLength(17);
      expect(policy.body.effectiveRules).toEqual(policy.body.rules);

      const rules = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicies/${assignment.policyId}/rules`,
      );
      expect(rules.status).toBe(200);
      expect(rules.body['@odata.context']).toContain(
        `#policies/roleManagementPolicies('${assignment.policyId}')/rules`,
      );
      expect(rules.body.value).toHaveLength(17);
      expect(
        rules.body.value.every((r: any) =>
          r['@odata.type'].startsWith('#microsoft.graph.unifiedRoleManagementPolicy'),
        ),
      ).toBe(true);

      const rule = await t.graph(
        t.admin,
        'GET',
        `/v1.0/policies/roleManagementPolicies/${assignment.policyId}/rules/expiration_enduser_assignment`,
      );
      expect(rule.status).toBe(200);
      expect(rule.body).toMatchObject({
        '@odata.type': expirationType,
        id: 'Expiration_EndUser_Assignment',
        maximumDuration: 'PT8H',
      });
      expect(rule.body['@odata.context']).toMatch(/\/rules\/\$entity$/);
    });

    it('answers unknown policies, assignments and rules with 404 Request_ResourceNotFound', async () => {
      const policyId = await h.policyIdOf(globalAdministrator);
      for (const url of [
        `/v1.0/policies/roleManagementPolicies/DirectoryRole_${t.services.tenantId}_${randomUUID()}`,
        `/v1.0/policies/roleManagementPolicies/${policyId}/rules/Expiration_Somebody_Assignment`,
        `/v1.0/policies/roleManagementPolicyAssignments/${policyId}_${directoryRoleIds.globalReader}`,
      ]) {
        const res = await t.graph(t.admin, 'GET', url);
        expect(res.status, url).toBe(404);
        expect(res.body.error.code).toBe('Request_ResourceNotFound');
      }
    });

    it('lets any signed-in user read role settings, and adds a policy for a custom role', async () => {
      const plain = await t.givenUser('Reader Without Role');
      const customRoleId = randomUUID();
      const at = t.clock.now();
      await ctx.db.db
        .insertInto('custom_role_definitions')
        .values({
          id: customRoleId,
          display_name: 'Helpdesk Tier 1',
          description: null,
          is_enabled: true,
          allowed_resource_actions: JSON.stringify(['microsoft.directory/users/password/update']),
          version: null,
          created_at: at,
          updated_at: at,
        })
        .execute();

      const res = await t.graph(
        plain,
        'GET',
        `/v1.0/policies/roleManagementPolicyAssignments?${scopeFilter} and roleDefinitionId eq '${customRoleId}'`,
      );

      expect(res.status).toBe(200);
      expect(res.body.value).toHaveLength(1);
      const rules = await t.graph(
        plain,
        'GET',
        `/v1.0/policies/roleManagementPolicies/${res.body.value[0].policyId}/rules`,
      );
      expect(rules.status).toBe(200);
      expect(rules.body.value).toHaveLength(17);
    });
  },
  { shared: true },
);

describeEachDatabase(
  'Graph role settings: changing rules',
  (ctx) => {
    let t: TestApp;
    const h = policies(() => t, ctx);
    beforeAll(async () => {
      t = await createTestApp(ctx.db);
    });
    afterAll(() => t.close());

    /** Sends a PATCH that must fail and checks that it changed nothing and wrote no audit record. */
    async function refused(user: TestUser, policyId: string, url: string, body: unknown) {
      const rulesBefore = await h.storedRules(policyId);
      const auditsBefore = await h.settingAudits(policyId);
      const res = await t.graph(user, 'PATCH', url, body);
      expect(await h.storedRules(policyId)).toEqual(rulesBefore);
      expect(await h.settingAudits(policyId)).toHaveLength(auditsBefore.length);
      return res;
    }

    it('changes the activation maximum to 2 hours, shows it, and audits the change with before and after', async () => {
      const policyId = await h.policyIdOf(globalAdministrator);
      const url = `/v1.0/policies/roleManagementPolicies/${policyId}/rules/Expiration_EndUser_Assignment`;

      const res = await t.graph(t.admin, 'PATCH', url, activationMaximum('PT2H'));

      expect(res.status).toBe(204);
      expect((await t.graph(t.admin, 'GET', url)).body.maximumDuration).toBe('PT2H');
      expect((await h.storedRules(policyId)).Expiration_EndUser_Assignment.maximumDuration).toBe('PT2H');
      const policy = await t.graph(t.admin, 'GET', `/v1.0/policies/roleManagementPolicies/${policyId}`);
      expect(policy.body.lastModifiedDateTime).toBe(t.clock.now().toISOString());
      expect(policy.body.lastModifiedBy).toEqual({ id: t.admin.id, displayName: 'Admin' });
      const [audit, ...more] = await h.settingAudits(policyId);
      expect(more).toEqual([]);
      expect(audit).toMatchObject({
        category: 'RoleManagement',
        logged_by_service: 'PIM',
        operation_type: 'Update',
        result: 'success',
      });
      expect(audit.initiated_by.user.id).toBe(t.admin.id);
      expect(audit.target_resources).toEqual([
        expect.objectContaining({
          id: policyId,
          type: 'Policy',
          modifiedProperties: [
            {
              displayName: 'Expiration_EndUser_Assignment.maximumDuration',
              oldValue: '"PT8H"',
              newValue: '"PT2H"',
            },
          ],
        }),
        expect.objectContaining({
          id: globalAdministrator,
          displayName: 'Global Administrator',
          type: 'Role',
        }),
      ]);
      expect(audit.additional_details).toEqual(
        expect.arrayContaining([
          { key: 'RuleId', value: 'Expiration_EndUser_Assignment' },
          { key: 'PolicyId', value: policyId },
        ]),
      );
    });

    it('refuses invalid rules with 400 naming each problem, and changes nothing', async () => {
      const policyId = await h.policyIdOf(directoryRoleIds.exchangeAdministrator);
      const url = `/v1.0/policies/roleManagementPolicies/${policyId}/rules/Expiration_EndUser_Assignment`;

      const tooLong = await refused(t.admin, policyId, url, activationMaximum('PT48H'));
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.code).toBe('invalidRequest');
      expect(tooLong.body.error.message).toContain('between 30 minutes and 24 hours');
      expect(tooLong.body.error.message).toContain('PT48H');

      const wrongType = await refused(t.admin, policyId, url, {
        ...activationMaximum('PT2H'),
        '@odata.type': enablementType,
      });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.error.message).toContain(`@odata.type: must be '${expirationType}'`);

      const unknown = await refused(t.admin, policyId, url, { ...activationMaximum('PT2H'), maxHours: 2 });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('maxHours');

      const several = await refused(t.admin, policyId, url, {
        '@odata.type': expirationType,
        isExpirationRequired: 'yes',
      });
      expect(several.status).toBe(400);
      expect(several.body.error.message).toContain('isExpirationRequired');
      expect(several.body.error.message).toContain('maximumDuration');

      const notARule = await refused(
        t.admin,
        policyId,
        `/v1.0/policies/roleManagementPolicies/${policyId}/rules/Expiration_Everyone_Assignment`,
        activationMaximum('PT2H'),
      );
      expect(notARule.status).toBe(404);
      expect(notARule.body.error.message).toContain('Expiration_EndUser_Assignment');

      const unknownPolicy = await t.graph(
        t.admin,
        'PATCH',
        `/v1.0/policies/roleManagementPolicies/DirectoryRole_${t.services.tenantId}_${randomUUID()}/rules/Expiration_EndUser_Assignment`,
        activationMaximum('PT2H'),
      );
      expect(unknownPolicy.status).toBe(404);
      expect(unknownPolicy.body.error.code).toBe('Request_ResourceNotFound');
    });

    it('lets only Privileged Role and Global Administrators change rules; everyone else may still read them', async () => {
      const policyId = await h.policyIdOf(directoryRoleIds.sharePointAdministrator);
      const url = `/v1.0/policies/roleManagementPolicies/${policyId}/rules/Expiration_EndUser_Assignment`;
      const plain = await t.givenUser('No Role');
      const reader = await t.givenUser('Global Reader', { roles: [directoryRoleIds.globalReader] });

      for (const user of [plain, reader]) {
        const res = await refused(user, policyId, url, activationMaximum('PT1H'));
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('accessDenied');
        expect((await t.graph(user, 'GET', url)).status).toBe(200);
      }

      const pra = await t.givenUser('Role Admin', { roles: [directoryRoleIds.privilegedRoleAdministrator] });
      expect((await t.graph(pra, 'PATCH', url, activationMaximum('PT1H'))).status).toBe(204);
      expect((await h.storedRules(policyId)).Expiration_EndUser_Assignment.maximumDuration).toBe('PT1H');
    });

    it('takes the documented approval sample with a user and a group as approvers', async () => {
      const policyId = await h.policyIdOf(directoryRoleIds.userAdministrator);
      const approver = await t.givenUser('Approving Alice');
      const groupId = randomUUID();
      const at = t.clock.now();
      await ctx.db.db
        .insertInto('groups')
        .values({
          id: groupId,
          display_name: 'Role approvers',
          mail_nickname: 'roleapprovers',
          description: null,
          security_enabled: true,
          mail_enabled: false,
          is_assignable_to_role: false,
          created_at: at,
          updated_at: at,
        })
        .execute();
      const url = `/v1.0/policies/roleManagementPolicies/${policyId}/rules/Approval_EndUser_Assignment`;
      const sample = (userId: string) => ({
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
        id: 'Approval_EndUser_Assignment',
        target: {
          '@odata.type': 'microsoft.graph.unifiedRoleManagementPolicyRuleTarget',
          caller: 'EndUser',
          operations: ['All'],
          level: 'Assignment',
          inheritableSettings: [],
          enforcedSettings: [],
        },
        setting: {
          '@odata.type': 'microsoft.graph.approvalSettings',
          isApprovalRequired: true,
          isApprovalRequiredForExtension: false,
          isRequestorJustificationRequired: true,
          approvalMode: 'SingleStage',
          approvalStages: [
            {
              '@odata.type': 'microsoft.graph.unifiedApprovalStage',
              approvalStageTimeOutInDays: 1,
              isApproverJustificationRequired: true,
              escalationTimeInMinutes: 0,
              isEscalationEnabled: false,
              primaryApprovers: [
                { '@odata.type': '#microsoft.graph.singleUser', userId },
                { '@odata.type': '#microsoft.graph.groupMembers', groupId },
              ],
              escalationApprovers: [],
            },
          ],
        },
      });

      const nobody = randomUUID();
      const missing = await refused(t.admin, policyId, url, sample(nobody));
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain(`no user has the id ${nobody}`);

      const res = await t.graph(t.admin, 'PATCH', url, sample(approver.id));

      expect(res.status).toBe(204);
      const rule = await t.graph(t.admin, 'GET', url);
      expect(rule.body.setting.isApprovalRequired).toBe(true);
      expect(rule.body.setting.approvalStages[0].primaryApprovers).toEqual([
        { '@odata.type': '#microsoft.graph.singleUser', userId: approver.id, description: 'Approving Alice' },
        { '@odata.type': '#microsoft.graph.groupMembers', groupId, description: 'Role approvers' },
      ]);
      const stored = (await h.storedRules(policyId)).Approval_EndUser_Assignment;
      expect(stored.setting.approvalStages[0].primaryApprovers).toHaveLength(2);
      const [audit] = await h.settingAudits(policyId);
      expect(audit.target_resources[0].modifiedProperties.map((p: any) => p.displayName)).toEqual(
        expect.arrayContaining([
          'Approval_EndUser_Assignment.setting.isApprovalRequired',
          'Approval_EndUser_Assignment.setting.approvalStages[0].primaryApprovers',
        ]),
      );
    });

    it('keeps both of two concurrent changes to different rules of one policy', async () => {
      const policyId = await h.policyIdOf(directoryRoleIds.securityAdministrator);
      const base = `/v1.0/policies/roleManagementPolicies/${policyId}/rules`;

      const [a, b] = await h.whileRowHeld(policyId, 2, () =>
        Promise.all([
          t.graph(t.admin, 'PATCH', `${base}/Expiration_EndUser_Assignment`, activationMaximum('PT3H')),
          t.graph(
            t.admin,
            'PATCH',
            `${base}/Enablement_EndUser_Assignment`,
            activationRequirements(['Justification', 'Ticketing']),
          ),
        ]),
      );

      expect([a.status, b.status]).toEqual([204, 204]);
      const stored = await h.storedRules(policyId);
      expect(stored.Expiration_EndUser_Assignment.maximumDuration).toBe('PT3H');
      expect(stored.Enablement_EndUser_Assignment.enabledRules).toEqual(['Justification', 'Ticketing']);
      expect(await h.settingAudits(policyId)).toHaveLength(2);
    });

    it('changes several rules in one policy PATCH all or nothing', async () => {
      const policyId = await h.policyIdOf(directoryRoleIds.helpdeskAdministrator);
      const url = `/v1.0/policies/roleManagementPolicies/${policyId}`;

      const bad = await refused(t.admin, policyId, url, {
        rules: [activationMaximum('PT4H'), activationRequirements(['Justification', 'Fingerprint'])],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('rules[1] (Enablement_EndUser_Assignment)');
      expect(bad.body.error.message).toContain('Fingerprint');

      const readOnly = await refused(t.admin, policyId, url, {
        displayName: 'Mine',
        rules: [activationMaximum('PT4H')],
      });
      expect(readOnly.status).toBe(400);
      expect(readOnly.body.error.message).toContain('displayName: is read-only');

      const twice = await refused(t.admin, policyId, url, {
        rules: [activationMaximum('PT4H'), activationMaximum('PT5H')],
      });
      expect(twice.status).toBe(400);
      expect(twice.body.error.message).toContain('more than once');

      const ok = await t.graph(t.admin, 'PATCH', url, {
        rules: [activationMaximum('PT4H'), activationRequirements(['Justification'])],
      });

      expect(ok.status).toBe(204);
      const stored = await h.storedRules(policyId);
      expect(stored.Expiration_EndUser_Assignment.maximumDuration).toBe('PT4H');
      expect(stored.Enablement_EndUser_Assignment.enabledRules).toEqual(['Justification']);
      const audits = await h.settingAudits(policyId);
      expect(audits).toHaveLength(1);
      expect(audits[0].additional_details).toContainEqual({
        key: 'RuleId',
        value: 'Expiration_EndUser_Assignment,Enablement_EndUser_Assignment',
      });
      expect(audits[0].target_resources[0].modifiedProperties).toHaveLength(2);
    });
  },
  { shared: true },
);
