import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import {
  type ArmKit,
  armKit,
  auth,
  contributor,
  mgPath,
  pim,
  reader,
  rgPath,
  subPath,
} from '../support/arm.js';
import { describeEachDatabase } from '../support/db.js';

const PROD = '22222222-aaaa-4aaa-8aaa-000000000001';
const DEV = '22222222-aaaa-4aaa-8aaa-000000000002';
const OTHER = '22222222-aaaa-4aaa-8aaa-000000000003';

/** Every scope Pat is eligible at, and whether Rita (Reader at mg-contoso, four levels above rg-web) sees it. */
const scopes: readonly (readonly [string, boolean])[] = [
  ['/', false],
  [mgPath('mg-contoso'), true],
  [mgPath('mg-europe'), true],
  [subPath(PROD), true],
  [rgPath(PROD, 'rg-web'), true],
  [rgPath(PROD, 'rg-data'), true],
  [subPath(DEV), true],
  [rgPath(DEV, 'rg-dev'), true],
  [mgPath('mg-other'), false],
  [subPath(OTHER), false],
  [rgPath(OTHER, 'rg-other'), false],
];
const canonical = (scope: string) => scope.toLowerCase();

describeEachDatabase('ARM lists: who sees the items of a page that spans many scopes', (ctx) => {
  let t: TestApp;
  let arm: ArmKit;
  let pat: TestUser;
  let rita: TestUser;
  let olivia: TestUser;

  /**
   * mg-contoso → mg-europe → sub-prod (→ rg-web, rg-data); mg-contoso → sub-dev (→ rg-dev); mg-other → sub-other
   * (→ rg-other). Pat is eligible for Contributor at every one of them and at `/`; Rita reads at mg-contoso only.
   */
  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    arm = armKit(t);
    pat = await t.givenUser('Pat');
    rita = await t.givenUser('Rita');
    olivia = await t.givenUser('Olivia');
    await arm.elevate(t.admin);
    await arm.putGroup(t.admin, 'mg-contoso');
    await arm.putGroup(t.admin, 'mg-europe', 'mg-contoso');
    await arm.putGroup(t.admin, 'mg-other');
    await arm.putSubscription(t.admin, PROD, 'mg-europe', 'sub-prod');
    await arm.putSubscription(t.admin, DEV, 'mg-contoso', 'sub-dev');
    await arm.putSubscription(t.admin, OTHER, 'mg-other', 'sub-other');
    await arm.putResourceGroup(t.admin, PROD, 'rg-web');
    await arm.putResourceGroup(t.admin, PROD, 'rg-data');
    await arm.putResourceGroup(t.admin, DEV, 'rg-dev');
    await arm.putResourceGroup(t.admin, OTHER, 'rg-other');
    for (const [scope] of scopes) await arm.assign(t.admin, scope, 'eligibility', pat.id, contributor);
    await arm.assign(t.admin, mgPath('mg-contoso'), 'assignment', rita.id, reader);
  });
  afterEach(() => t.close());

  /** Every item of a list, following nextLink page by page; asserts no item comes twice. */
  async function listAll(user: TestUser, url: string): Promise<any[]> {
    const items: any[] = [];
    let next: string | undefined = url;
    while (next !== undefined) {
      const page: any = await arm.ok(`page ${next}`, arm.call(user, 'GET', next), 200);
      items.push(...page.value);
      next = page.nextLink?.replace(/^http:\/\/[^/]+/, '');
    }
    expect(new Set(items.map((i) => i.name)).size).toBe(items.length);
    return items;
  }

  const scopesOf = (items: any[]) => items.map((i) => canonical(i.properties.scope)).sort();
  const visible = scopes
    .filter(([, seen]) => seen)
    .map(([scope]) => canonical(scope))
    .sort();
  const list = (collection: string, filter: string, top = '') =>
    `${auth('/', collection)}?${pim}&$filter=${filter}${top}`;

  it('shows the schedules and instances under the caller’s reading grant, whatever their depth, and none beside or above it', async () => {
    for (const collection of ['roleEligibilitySchedules', 'roleEligibilityScheduleInstances']) {
      for (const filter of [`assignedTo('${pat.id}')`, `principalId eq '${pat.id}'`]) {
        expect(scopesOf(await listAll(rita, list(collection, filter))), `${collection} ${filter}`).toEqual(
          visible,
        );
        // pages of two hold the same items, each once, with every page's items in id order
        const paged = await listAll(rita, list(collection, filter, '&$top=2'));
        expect(scopesOf(paged)).toEqual(visible);
        const names = paged.map((i) => i.name);
        expect(names).toEqual([...names].sort());
      }
    }
    // the elevated administrator (User Access Administrator at `/`) sees all of them; a caller without a role, none
    expect(
      scopesOf(await listAll(t.admin, list('roleEligibilityScheduleInstances', `assignedTo('${pat.id}')`))),
    ).toEqual(scopes.map(([scope]) => canonical(scope)).sort());
    expect(
      await listAll(olivia, list('roleEligibilityScheduleInstances', `assignedTo('${pat.id}')`)),
    ).toEqual([]);
  });

  it('lists one principal’s grants at a management group: those above it, at it and any depth below it, none beside it', async () => {
    const at = (scope: string, collection: string, filter: string) =>
      `${auth(scope, collection)}?${pim}&$filter=${filter}&$top=2`;
    const underContoso = [
      '/',
      mgPath('mg-contoso'),
      mgPath('mg-europe'),
      subPath(PROD),
      rgPath(PROD, 'rg-web'),
      rgPath(PROD, 'rg-data'),
      subPath(DEV),
      rgPath(DEV, 'rg-dev'),
    ];
    for (const filter of [`assignedTo('${pat.id}')`, `principalId eq '${pat.id}'`]) {
      for (const collection of ['roleEligibilityScheduleInstances', 'roleEligibilityScheduleRequests']) {
        const all = await listAll(t.admin, at(mgPath('mg-contoso'), collection, filter));
        expect(scopesOf(all), `${collection} ${filter}`).toEqual(underContoso.map(canonical).sort());
      }
      // Rita, listing at mg-europe, sees what her grant at mg-contoso covers: not Pat's grant at `/` above it
      const hers = await listAll(rita, at(mgPath('mg-europe'), 'roleEligibilitySchedules', filter));
      expect(scopesOf(hers)).toEqual(
        [
          mgPath('mg-contoso'),
          mgPath('mg-europe'),
          subPath(PROD),
          rgPath(PROD, 'rg-web'),
          rgPath(PROD, 'rg-data'),
        ]
          .map(canonical)
          .sort(),
      );
    }
  });

  it('lists everyone’s grants at a resource group to a reader above it: those its grant covers and its own, page by page', async () => {
    await arm.assign(t.admin, '/', 'eligibility', rita.id, reader);
    await arm.assign(t.admin, '/', 'eligibility', olivia.id, reader);
    const web = rgPath(PROD, 'rg-web');
    const at = (user: TestUser, filter: string) =>
      listAll(user, `${auth(web, 'roleEligibilityScheduleInstances')}?${pim}${filter}&$top=1`);
    const covered = [mgPath('mg-contoso'), mgPath('mg-europe'), subPath(PROD), web].map(canonical);
    for (const filter of ['', '&$filter=atScope()']) {
      const seen = await at(rita, filter);
      // Pat's four under mg-contoso, and Rita's own at `/`; not Pat's or Olivia's at `/`
      expect(seen.map((i) => [canonical(i.properties.scope), i.properties.principalId]).sort()).toEqual(
        [...covered.map((scope) => [scope, pat.id]), ['/', rita.id]].sort(),
      );
      expect((await at(olivia, filter)).map((i) => i.properties.principalId)).toEqual([olivia.id]);
      expect(await at(t.admin, filter)).toHaveLength(7);
    }
  });

  it('shows the requests under the caller’s reading grant, and the caller’s own anywhere', async () => {
    await arm.assign(t.admin, rgPath(OTHER, 'rg-other'), 'eligibility', rita.id, contributor);
    const requests = await listAll(
      rita,
      `${auth('/', 'roleEligibilityScheduleRequests')}?${pim}&$filter=assignedTo('${pat.id}')&$top=3`,
    );
    expect(scopesOf(requests)).toEqual(visible);
    const own = await listAll(rita, list('roleEligibilityScheduleInstances', 'asTarget()'));
    expect(scopesOf(own)).toEqual([canonical(rgPath(OTHER, 'rg-other'))]);
  });

  it('gives a group member the authority of the group’s grant, and keeps memberType from the listed scope', async () => {
    const group = await t.graph(t.admin, 'POST', '/v1.0/groups', {
      displayName: 'Other auditors',
      mailNickname: 'otherauditors',
      securityEnabled: true,
      mailEnabled: false,
      isAssignableToRole: false,
    });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    const added = await t.graph(t.admin, 'POST', `/v1.0/groups/${group.body.id}/members/$ref`, {
      '@odata.id': `https://graph.microsoft.com/v1.0/users/${olivia.id}`,
    });
    expect(added.status, JSON.stringify(added.body)).toBe(204);
    await arm.assign(t.admin, subPath(OTHER), 'assignment', group.body.id, reader);
    const seen = await listAll(
      olivia,
      list('roleEligibilitySchedules', `assignedTo('${pat.id}')`, '&$top=1'),
    );
    expect(scopesOf(seen)).toEqual([subPath(OTHER), rgPath(OTHER, 'rg-other')].map(canonical).sort());
    // listed at rg-web, Pat's grants at and above it show, those above as inherited
    const atWeb = await listAll(
      pat,
      `${auth(rgPath(PROD, 'rg-web'), 'roleEligibilityScheduleInstances')}?${pim}&$filter=asTarget()`,
    );
    const byScope = Object.fromEntries(
      atWeb.map((i) => [canonical(i.properties.scope), i.properties.memberType]),
    );
    expect(byScope).toEqual({
      '/': 'Inherited',
      [canonical(mgPath('mg-contoso'))]: 'Inherited',
      [canonical(mgPath('mg-europe'))]: 'Inherited',
      [canonical(subPath(PROD))]: 'Inherited',
      [canonical(rgPath(PROD, 'rg-web'))]: 'Direct',
    });
  });
});
