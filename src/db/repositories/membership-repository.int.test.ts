import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/db.js';
import { directoryRoleIds as roles } from '../../core/catalog/directory-roles.js';
import { groupRelations, isPimManaged, isRelated } from './membership-repository.js';
import { activeTenantRoleIds, memberGroupIds, usersHoldingRoles } from './principal-repository.js';

const t0 = new Date('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describeEachDatabase('effective group membership: static or through PIM for Groups, at an instant', (ctx) => {
  async function given() {
    const db = ctx.db.db;
    const stan = randomUUID();
    const pag = randomUUID();
    const plain = randomUUID();
    await db
      .insertInto('users')
      .values({
        id: stan,
        user_principal_name: `stan-${stan}@elevate.test`,
        display_name: 'Stan',
        mail: null,
        given_name: null,
        surname: null,
        job_title: null,
        account_enabled: true,
        password_hash: null,
        is_emergency_access: false,
        created_at: t0,
        updated_at: t0,
      })
      .execute();
    for (const [id, assignable] of [
      [pag, true],
      [plain, false],
    ] as const) {
      await db
        .insertInto('groups')
        .values({
          id,
          display_name: id === pag ? 'PAG' : 'Plain',
          mail_nickname: id,
          security_enabled: true,
          mail_enabled: false,
          is_assignable_to_role: assignable,
          created_at: t0,
          updated_at: t0,
        })
        .execute();
    }
    const schedule = (p: {
      principal: string;
      principalType: 'user' | 'group';
      targetKind: 'directoryRole' | 'group';
      role: string;
      scope: string;
      start: Date;
      end: Date | null;
      status?: string;
    }) => {
      const id = randomUUID();
      return db
        .insertInto('schedules')
        .values({
          id,
          kind: 'assignment',
          principal_id: p.principal,
          principal_type: p.principalType,
          target_kind: p.targetKind,
          role_definition_id: p.role,
          scope_id: p.scope,
          assignment_type: 'Activated',
          start_at: p.start,
          end_at: p.end,
          status: p.status ?? 'Provisioned',
          created_using: id,
          activated_using: null,
          created_at: p.start,
          modified_at: p.start,
        })
        .execute();
    };
    // The PAG holds Helpdesk Administrator; Stan is its member from t0 for an hour, through PIM only.
    await schedule({
      principal: pag,
      principalType: 'group',
      targetKind: 'directoryRole',
      role: roles.helpdeskAdministrator,
      scope: '/',
      start: at(-60),
      end: null,
    });
    await schedule({
      principal: stan,
      principalType: 'user',
      targetKind: 'group',
      role: 'member',
      scope: pag,
      start: t0,
      end: at(60),
    });
    // A revoked ownership of the plain group never counts.
    await schedule({
      principal: stan,
      principalType: 'user',
      targetKind: 'group',
      role: 'owner',
      scope: plain,
      start: at(-10),
      end: at(60),
      status: 'Revoked',
    });
    return { db, stan, pag, plain };
  }

  it('given a PIM membership over [t0, t0+1h), then Stan is a member, holds the PAG’s role, and is listed, exactly inside the window', async () => {
    const { db, stan, pag } = await given();
    for (const [instant, inside] of [
      [at(-1), false],
      [t0, true],
      [new Date(at(60).getTime() - 1), true],
      [at(60), false],
    ] as const) {
      expect(
        await memberGroupIds(db, stan, { at: instant, roleAssignableOnly: true }),
        String(instant),
      ).toEqual(inside ? [pag] : []);
      const groups = await memberGroupIds(db, stan, { at: instant });
      expect(await activeTenantRoleIds(db, [stan, ...groups], instant)).toEqual(
        inside ? [roles.helpdeskAdministrator] : [],
      );
      expect(await usersHoldingRoles(db, [roles.helpdeskAdministrator], instant)).toEqual(
        inside ? [stan] : [],
      );
      expect(await groupRelations(db, { relationship: 'member', at: instant, groupIds: [pag] })).toEqual(
        inside ? [{ groupId: pag, principalId: stan, principalType: 'user', via: 'pim' }] : [],
      );
    }
  });

  it('given a static membership too, then it is listed once, as direct, and outlives the PIM window', async () => {
    const { db, stan, pag } = await given();
    await db
      .insertInto('group_relationships')
      .values({
        group_id: pag,
        relationship: 'member',
        principal_id: stan,
        principal_type: 'user',
        created_at: t0,
      })
      .execute();
    expect(await groupRelations(db, { relationship: 'member', at: t0, principalIds: [stan] })).toEqual([
      { groupId: pag, principalId: stan, principalType: 'user', via: 'direct' },
    ]);
    expect(await memberGroupIds(db, stan, { at: at(120) })).toEqual([pag]);
  });

  it('given only a revoked ownership, then Stan owns nothing; any group schedule puts the group under PIM', async () => {
    const { db, stan, pag, plain } = await given();
    expect(await isRelated(db, { groupId: plain, principalId: stan, relationship: 'owner', at: t0 })).toBe(
      false,
    );
    expect(await isPimManaged(db, plain)).toBe(true);
    expect(await isPimManaged(db, pag)).toBe(true);
    expect(await isPimManaged(db, randomUUID())).toBe(false);
  });
});
