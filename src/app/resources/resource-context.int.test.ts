import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/db.js';
import type { ResourceScope, ResourceScopeType } from '../../core/scope/resource-scope.js';
import { principalCards } from '../../db/repositories/principal-card-repository.js';
import { insertScope } from '../../db/repositories/resource-scope-repository.js';
import { ancestorChains, ancestorsOf } from './resource-context.js';

const t0 = new Date('2026-03-02T09:00:00.000Z');

const scope = (id: string, type: ResourceScopeType, parentId: string | null): ResourceScope => ({
  id,
  path: id,
  type,
  name: id.split('/').pop() as string,
  displayName: id.split('/').pop() as string,
  parentId,
  resourceType: null,
  location: null,
  tags: null,
  createdAt: t0,
  updatedAt: t0,
});

describeEachDatabase('the ancestors of many scopes at once, and principals by id', (ctx) => {
  it('reads each scope’s chain to the root in one go, as one scope at a time would, for shared, deep, root and unknown scopes', async () => {
    const db = ctx.db.db;
    const mg = '/providers/microsoft.management/managementgroups';
    const tree: ResourceScope[] = [
      scope(`${mg}/tenant-root`, 'managementGroup', null),
      scope(`${mg}/mg-a`, 'managementGroup', `${mg}/tenant-root`),
      scope(`${mg}/mg-a1`, 'managementGroup', `${mg}/mg-a`),
      scope('/subscriptions/s1', 'subscription', `${mg}/mg-a1`),
      scope('/subscriptions/s1/resourcegroups/rg1', 'resourceGroup', '/subscriptions/s1'),
      scope('/subscriptions/s1/resourcegroups/rg2', 'resourceGroup', '/subscriptions/s1'),
      scope('/subscriptions/s2', 'subscription', `${mg}/tenant-root`),
    ];
    for (const s of tree) await insertScope(db, s);
    const asked = [...tree.map((s) => s.id), '/', '/subscriptions/gone', '/subscriptions/s1'];

    const chains = await ancestorChains(db, asked);

    expect([...chains.keys()].sort()).toEqual([...new Set(asked)].sort());
    for (const id of new Set(asked)) expect(chains.get(id), id).toEqual(await ancestorsOf(db, id));
    expect(chains.get('/subscriptions/s1/resourcegroups/rg2')).toEqual([
      '/subscriptions/s1/resourcegroups/rg2',
      '/subscriptions/s1',
      `${mg}/mg-a1`,
      `${mg}/mg-a`,
      `${mg}/tenant-root`,
      '/',
    ]);
    expect(chains.get('/subscriptions/gone')).toEqual(['/subscriptions/gone', '/']);
    expect(await ancestorChains(db, [])).toEqual(new Map());
  });

  it('finds users (with mail, else their sign-in name), groups and service principals by id in one query; unknown ids are left out', async () => {
    const db = ctx.db.db;
    const [withMail, withoutMail, group, app, unknown] = Array.from({ length: 5 }, () => randomUUID());
    const user = (id: string, mail: string | null) => ({
      id,
      user_principal_name: `${id}@elevate.test`,
      display_name: `User ${id.slice(0, 4)}`,
      mail,
      given_name: null,
      surname: null,
      job_title: null,
      account_enabled: true,
      password_hash: null,
      is_emergency_access: false,
      created_at: t0,
      updated_at: t0,
    });
    await db
      .insertInto('users')
      .values([user(withMail as string, 'mail@elevate.test'), user(withoutMail as string, null)])
      .execute();
    await db
      .insertInto('groups')
      .values({
        id: group as string,
        display_name: 'Auditors',
        description: null,
        mail_nickname: 'auditors',
        is_assignable_to_role: false,
        security_enabled: true,
        mail_enabled: false,
        created_at: t0,
        updated_at: t0,
      })
      .execute();
    await db
      .insertInto('service_principals')
      .values({
        id: app as string,
        app_id: randomUUID(),
        display_name: 'Deployer',
        account_enabled: true,
        created_at: t0,
        updated_at: t0,
      })
      .execute();

    const cards = await principalCards(db, [
      withMail as string,
      withoutMail as string,
      group as string,
      app as string,
      unknown as string,
      'not-a-guid',
    ]);

    expect(Object.fromEntries([...cards].map(([id, c]) => [id, [c.type, c.displayName, c.email]]))).toEqual({
      [withMail as string]: ['user', `User ${withMail?.slice(0, 4)}`, 'mail@elevate.test'],
      [withoutMail as string]: ['user', `User ${withoutMail?.slice(0, 4)}`, `${withoutMail}@elevate.test`],
      [group as string]: ['group', 'Auditors', null],
      [app as string]: ['servicePrincipal', 'Deployer', null],
    });
  });
});
