import { expect } from 'vitest';
import { composeDeliveryChannels } from '../../src/compose.js';
import type { PolicyRules } from '../../src/core/model/policy.js';
import type { PimTarget } from '../../src/core/model/schedule.js';
import { defaultDirectoryRoleRules } from '../../src/core/policy/default-rules.js';
import { getOrCreatePolicy, savePolicyRules } from '../../src/db/repositories/policy-repository.js';
import { createOutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import type { DatabaseContext } from '../support/db.js';
import type { TestSmtpServer } from '../support/smtp-server.js';

export const portalUrl = 'https://pim.elevate.test';

export interface MailWorld {
  readonly t: TestApp;
  /** Delivers everything due now through the real SMTP channel; fails the test on a dispatcher error. */
  deliver(): Promise<number>;
  /** A user (with a mail address: `<name>@elevate.test`) holding `roles` at `/`. */
  person(name: string, roles?: string[]): Promise<TestUser>;
  /** Replaces a directory role's settings at `/`. */
  setRules(roleId: string, change: (r: PolicyRules) => PolicyRules): Promise<void>;
  /** Subjects received by `address`, in order. */
  subjectsTo(address: string): string[];
}

/** The whole server with e-mail on (SMTP at `smtp`) and an outbox dispatcher the test drives by hand. */
export async function mailWorld(
  ctx: DatabaseContext,
  smtp: TestSmtpServer,
  options: { now?: string } = {},
): Promise<MailWorld> {
  const t = await createTestApp(ctx.db, {
    ...options,
    publicUrl: portalUrl,
    email: { smtpUrl: smtp.url, from: 'Elevate PIM <pim@elevate.test>' },
  });
  const errors: unknown[] = [];
  const dispatcher = createOutboxDispatcher({
    outbox: t.services.outbox,
    channels: composeDeliveryChannels(t.services),
    pollIntervalMs: 3_600_000,
    onError: (e) => errors.push(e),
  });
  return {
    t,
    async deliver() {
      const n = await dispatcher.drain();
      expect(errors).toEqual([]);
      return n;
    },
    async person(name, roles = []) {
      const user = await t.givenUser(name, { roles });
      await ctx.db.db.updateTable('users').set({ mail: user.upn }).where('id', '=', user.id).execute();
      return user;
    },
    async setRules(roleId, change) {
      const target: PimTarget = { targetKind: 'directoryRole', roleDefinitionId: roleId, scopeId: '/' };
      const policy = await getOrCreatePolicy(
        ctx.db.db,
        { ...target, scopeType: 'DirectoryRole' },
        { id: `DirectoryRole_test_${roleId}`, rules: defaultDirectoryRoleRules(), now: t.clock.now() },
      );
      await savePolicyRules(ctx.db.db, policy.id, change(policy.rules), {
        at: t.clock.now(),
        by: { id: t.admin.id, displayName: 'Admin' },
      });
    },
    subjectsTo: (address) => smtp.to(address).map((m) => m.subject),
  };
}

/** Settings of a role that needs approval by `approverIds` and only a justification to activate. */
export const approvalBy =
  (approverIds: readonly string[]) =>
  (r: PolicyRules): PolicyRules => ({
    ...r,
    Enablement_EndUser_Assignment: { ...r.Enablement_EndUser_Assignment, enabledRules: ['Justification'] },
    Approval_EndUser_Assignment: {
      ...r.Approval_EndUser_Assignment,
      setting: {
        ...r.Approval_EndUser_Assignment.setting,
        isApprovalRequired: true,
        approvalStages: [
          {
            ...r.Approval_EndUser_Assignment.setting.approvalStages[0]!,
            primaryApprovers: approverIds.map((userId) => ({
              kind: 'singleUser' as const,
              userId,
              description: null,
            })),
          },
        ],
      },
    },
  });
