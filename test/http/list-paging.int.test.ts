import { afterEach, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { encodeSkipToken } from '../../src/http/graph/odata/index.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const directory = '/v1.0/roleManagement/directory';
const instances = `${directory}/roleAssignmentScheduleInstances`;
const eligibilitySchedules = `${directory}/roleEligibilitySchedules`;
const assignmentRequests = `${directory}/roleAssignmentScheduleRequests`;

/** Ids that sort in the order of `n` (and before every UUIDv7 the server makes). */
const idOf = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const principalOf = (n: number) => `0000abcd-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const q = (text: string) => encodeURIComponent(text);

describeEachDatabase('Graph lists: filters and visibility in SQL, keyset paging', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx.db);
  });
  afterEach(() => t.close());

  /** A live grant written directly, as a seed or an import would (in effect since yesterday, permanent). */
  async function grant(args: {
    id: string;
    principalId: string;
    roleId?: string;
    kind?: 'assignment' | 'eligibility';
    principalType?: 'user' | 'group';
    scopeId?: string;
    status?: 'Provisioned' | 'Expired';
  }) {
    const at = t.clock.now();
    const kind = args.kind ?? 'assignment';
    await t.database.db
      .insertInto('schedules')
      .values({
        id: args.id,
        kind,
        principal_id: args.principalId,
        principal_type: args.principalType ?? 'user',
        role_definition_id: args.roleId ?? roles.helpdeskAdministrator,
        scope_id: args.scopeId ?? '/',
        assignment_type: kind === 'assignment' ? 'Assigned' : null,
        start_at: new Date(at.getTime() - 86_400_000),
        end_at: null,
        status: args.status ?? 'Provisioned',
        created_using: args.id,
        activated_using: null,
        created_at: at,
        modified_at: at,
      })
      .execute();
  }

  /** A request for someone else, written directly as a seed would; waiting for `approvers` when given. */
  async function seedRequest(id: string, options: { approvers?: unknown[]; createdAt?: Date } = {}) {
    const at = options.createdAt ?? t.clock.now();
    await t.database.db
      .insertInto('schedule_requests')
      .values({
        id,
        kind: 'assignment',
        action: 'selfActivate',
        status: options.approvers ? 'PendingApproval' : 'Provisioned',
        principal_id: principalOf(9),
        principal_type: 'user',
        target_kind: 'directoryRole',
        role_definition_id: roles.helpdeskAdministrator,
        scope_id: '/',
        justification: 'Incident',
        ticket_number: null,
        ticket_system: null,
        schedule_info: null,
        is_validation_only: false,
        target_schedule_id: null,
        activated_using: null,
        approval_id: null,
        created_by_id: principalOf(9),
        created_by_type: 'user',
        created_at: at,
        completed_at: null,
        policy_rules: null,
      })
      .execute();
    return id;
  }

  async function pendingRequest(id: string, approvers: unknown[]) {
    await seedRequest(id, { approvers });
    const at = t.clock.now();
    const approvalId = id.replace(/^0/, 'a');
    await t.database.db
      .insertInto('approvals')
      .values({
        id: approvalId,
        request_id: id,
        stage_id: approvalId,
        status: 'InProgress',
        review_result: 'NotReviewed',
        approvers: JSON.stringify(approvers),
        is_approver_justification_required: false,
        expires_at: new Date(at.getTime() + 86_400_000),
        reviewed_by_id: null,
        reviewed_at: null,
        justification: null,
        created_at: at,
      })
      .execute();
    await t.database.db
      .updateTable('schedule_requests')
      .set({ approval_id: approvalId })
      .where('id', '=', id)
      .execute();
    return id;
  }

  /** Every page of a list, following `@odata.nextLink`; runs `between` after the first page. */
  async function allPages(user: TestUser, url: string, between?: () => Promise<void>) {
    const pages: { id: string }[][] = [];
    let next: string | undefined = url;
    while (next !== undefined) {
      const res = await t.graph(user, 'GET', next);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      pages.push(res.body.value);
      const link: string | undefined = res.body['@odata.nextLink'];
      next = link === undefined ? undefined : link.slice(link.indexOf('/v1.0/'));
      if (pages.length === 1) await between?.();
    }
    return pages;
  }

  const ids = (pages: { id: string }[][]) => pages.flat().map((i) => i.id);
  const adminGrant = async () =>
    (await t.graph(t.admin, 'GET', `${instances}?$filter=principalId eq '${t.admin.id}'`)).body.value[0].id;

  it('pages in id order with an opaque $skiptoken: no duplicate and no gap when grants come and go between pages', async () => {
    for (let n = 1; n <= 23; n++) await grant({ id: idOf(n * 2), principalId: principalOf(n) });
    const admin = await adminGrant();

    const pages = await allPages(t.admin, `${instances}?$top=10`, async () => {
      await grant({ id: idOf(1), principalId: principalOf(100) }); // behind the cursor: not shown
      await grant({ id: idOf(31), principalId: principalOf(101) }); // ahead of the cursor: shown
      await t.database.db
        .updateTable('schedules')
        .set({ status: 'Expired' })
        .where('id', '=', idOf(30))
        .execute();
    });

    const expected = [
      ...Array.from({ length: 23 }, (_, i) => idOf((i + 1) * 2)).filter((id) => id !== idOf(30)),
      idOf(31),
      admin,
    ].sort();
    expect(ids(pages)).toEqual(expected);
    expect(pages[0]).toHaveLength(10);
    expect(new Set(ids(pages)).size).toBe(ids(pages).length);
    const link = (await t.graph(t.admin, 'GET', `${instances}?$top=10`)).body['@odata.nextLink'] as string;
    expect(link).toMatch(
      /^http:\/\/[^/]+\/v1\.0\/roleManagement\/directory\/roleAssignmentScheduleInstances\?\$top=10&\$skiptoken=[\w-]+$/,
    );
  });

  it('narrows by principal, role and scope, with and/or, exactly as the in-memory filter would', async () => {
    const [p1, p2, p3] = [principalOf(1), principalOf(2), principalOf(3)];
    await grant({ id: idOf(1), principalId: p1 });
    await grant({ id: idOf(2), principalId: p1, roleId: roles.userAdministrator });
    await grant({ id: idOf(3), principalId: p2, scopeId: '/administrativeUnits/au-1' });
    await grant({ id: idOf(4), principalId: p3, kind: 'eligibility' });
    const list = async (filter: string, extra = '') => {
      const res = await t.graph(t.admin, 'GET', `${instances}?$filter=${q(filter)}${extra}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };

    const upper = roles.helpdeskAdministrator.toUpperCase();
    expect(ids([(await list(`principalId eq '${p1}' and roleDefinitionId eq '${upper}'`)).value])).toEqual([
      idOf(1),
    ]);
    expect(ids([(await list(`principalId eq '${p1}' or principalId eq '${p2}'`)).value])).toEqual([
      idOf(1),
      idOf(2),
      idOf(3),
    ]);
    expect(
      ids([
        (await list(`roleDefinitionId eq '${roles.helpdeskAdministrator}' and directoryScopeId ne '/'`))
          .value,
      ]),
    ).toEqual([idOf(3)]);
    // An eligibility is not an active assignment's instance, whoever asks for it.
    expect((await list(`principalId eq '${p3}'`)).value).toEqual([]);
    expect(ids([(await list(`not (principalId eq '${p1}') and memberType eq 'Direct'`)).value])).toEqual([
      idOf(3),
      await adminGrant(),
    ]);

    const counted = await list(`roleDefinitionId eq '${roles.helpdeskAdministrator}'`, '&$count=true&$top=1');
    expect(counted['@odata.count']).toBe(2);
    expect(counted.value).toHaveLength(1);
    expect(counted['@odata.nextLink']).toBeDefined();
    // Without a filter left for memory, the database counts.
    const all = await t.graph(t.admin, 'GET', `${eligibilitySchedules}?$count=true&$top=1`);
    expect(all.body['@odata.count']).toBe(1);
    expect(all.body['@odata.nextLink']).toBeUndefined();

    // $orderby is honoured, and its pages continue only with the same $orderby.
    const ordered = await t.graph(t.admin, 'GET', `${instances}?$orderby=directoryScopeId desc&$top=2`);
    expect(ids([ordered.body.value])).toEqual([idOf(3), idOf(1)]);
    const second = ordered.body['@odata.nextLink'] as string;
    const token = new URL(second).searchParams.get('$skiptoken');
    const mixed = await t.graph(t.admin, 'GET', `${instances}?$skiptoken=${token}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.message).toMatch(/\$orderby/);
  });

  it("shows a non-reader only their own (and their groups' grants as theirs), in SQL as in memory", async () => {
    const adam = await t.givenUser('Adam');
    const steve = await t.givenUser('Steve');
    const group = await t.graph(t.admin, 'POST', '/v1.0/groups', {
      displayName: 'PAG-HELPDESK',
      mailNickname: 'pag-helpdesk',
      securityEnabled: true,
      mailEnabled: false,
      isAssignableToRole: true,
      'members@odata.bind': [adam.id, steve.id].map((id) => `https://graph.microsoft.com/v1.0/users/${id}`),
    });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    const groupGrant = idOf(10);
    await grant({ id: groupGrant, principalId: group.body.id, principalType: 'group' });
    await grant({ id: idOf(11), principalId: adam.id, kind: 'eligibility' });
    await grant({ id: idOf(12), principalId: steve.id, kind: 'eligibility' });
    await grant({ id: idOf(13), principalId: principalOf(1) });

    const mine = await t.graph(adam, 'GET', instances);
    expect(mine.body.value).toEqual([
      expect.objectContaining({ id: `${groupGrant}_${adam.id}`, principalId: adam.id, memberType: 'Group' }),
    ]);
    expect(
      (await t.graph(adam, 'GET', `${instances}?$filter=principalId eq '${steve.id}'`)).body.value,
    ).toEqual([]);
    expect(ids([(await t.graph(adam, 'GET', eligibilitySchedules)).body.value])).toEqual([idOf(11)]);
    expect(
      ids([
        (await t.graph(adam, 'GET', `${eligibilitySchedules}?$filter=principalId eq '${steve.id}'`)).body
          .value,
      ]),
    ).toEqual([]);

    // A reader filtering by Adam reads only what Adam holds, through his groups too.
    const forAdam = await t.graph(t.admin, 'GET', `${instances}?$filter=principalId eq '${adam.id}'`);
    expect(ids([forAdam.body.value])).toEqual([`${groupGrant}_${adam.id}`]);

    // A group's grant fans out to its members; pages end and resume inside it.
    const members = [adam.id, steve.id].sort().map((id) => `${groupGrant}_${id}`);
    const fanned = await allPages(
      t.admin,
      `${instances}?$top=2&$filter=${q(`roleDefinitionId eq '${roles.helpdeskAdministrator}'`)}`,
    );
    expect(ids(fanned)).toEqual([groupGrant, ...members, idOf(13)]);
    expect(fanned.map((page) => page.length)).toEqual([2, 2]);

    // Requests: Steve's assignment, made by the administrator, is Steve's and the administrator's, not Adam's.
    const made = await t.graph(t.admin, 'POST', assignmentRequests, {
      action: 'adminAssign',
      principalId: steve.id,
      roleDefinitionId: roles.userAdministrator,
      directoryScopeId: '/',
      justification: 'Cover',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P30D' } },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect((await t.graph(adam, 'GET', assignmentRequests)).body.value).toEqual([]);
    expect(ids([(await t.graph(steve, 'GET', assignmentRequests)).body.value])).toEqual([made.body.id]);
    const filtered = await t.graph(
      t.admin,
      'GET',
      `${assignmentRequests}?$filter=${q(`principalId eq '${steve.id}' and status eq 'provisioned'`)}`,
    );
    expect(ids([filtered.body.value])).toEqual([made.body.id]);

    // Approvers see what waits for them: through a listed group (Adam) or by name (Steve), in lists and on='approver'.
    const byGroup = await pendingRequest(idOf(40), [
      { kind: 'groupMembers', groupId: group.body.id, description: null },
    ]);
    const bySteve = await pendingRequest(idOf(41), [
      { kind: 'singleUser', userId: steve.id, description: null },
    ]);
    expect(ids([(await t.graph(adam, 'GET', assignmentRequests)).body.value])).toEqual([byGroup]);
    expect(
      ids([
        (await t.graph(adam, 'GET', `${assignmentRequests}/filterByCurrentUser(on='approver')`)).body.value,
      ]),
    ).toEqual([byGroup]);
    expect(
      ids([
        (await t.graph(steve, 'GET', `${assignmentRequests}/filterByCurrentUser(on='approver')`)).body.value,
      ]),
    ).toEqual([byGroup, bySteve]);
    expect(
      ids([
        (await t.graph(steve, 'GET', `${assignmentRequests}?$filter=status eq 'PendingApproval'`)).body.value,
      ]),
    ).toEqual([byGroup, bySteve]);
  });

  it('sorts requests by createdDateTime in the database, and pages newest first without repeating or skipping', async () => {
    const base = t.clock.now().getTime();
    const minutesAgo = (m: number) => new Date(base - m * 60_000);
    // Two pairs share their creation time: id breaks the tie, in the same direction.
    const created = [5, 3, 3, 9, 1, 7, 7].map((m, i) => ({ id: idOf(50 + i), at: minutesAgo(m) }));
    for (const r of created) await seedRequest(r.id, { createdAt: r.at });
    const newest = (a: { id: string; at: Date }, b: { id: string; at: Date }) =>
      b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1);

    const url = `${assignmentRequests}?$orderby=createdDateTime desc&$top=3`;
    const pages = await allPages(t.admin, url, async () => {
      await seedRequest(idOf(60), { createdAt: minutesAgo(0) }); // newer than the cursor: not on later pages
      await seedRequest(idOf(61), { createdAt: minutesAgo(8) }); // older: on a later page
    });
    const expected = [...created, { id: idOf(61), at: minutesAgo(8) }].sort(newest).map((r) => r.id);
    expect(ids(pages)).toEqual(expected);
    expect(pages[0]).toHaveLength(3);

    const ascending = await t.graph(t.admin, 'GET', `${assignmentRequests}?$orderby=createdDateTime&$top=2`);
    expect(ids([ascending.body.value])).toEqual([idOf(53), idOf(61)]);
    // The token belongs to its $orderby.
    const token = new URL(ascending.body['@odata.nextLink']).searchParams.get('$skiptoken');
    for (const other of ['$orderby=createdDateTime desc&', '']) {
      const res = await t.graph(t.admin, 'GET', `${assignmentRequests}?${other}$skiptoken=${token}`);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.message).toMatch(/\$orderby/);
    }
  });

  it('refuses a $skiptoken it did not issue with a 400 naming it, on every keyset list', async () => {
    const lists = [
      `${instances}?`,
      `${eligibilitySchedules}?`,
      `${assignmentRequests}?`,
      `/v1.0/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=groupId eq '${idOf(1)}'&`,
    ];
    const tokens = [
      'not*base64',
      encodeSkipToken({ k: "x' or 1=1" }),
      encodeSkipToken({ o: 10 }),
      encodeSkipToken([1]),
    ];
    for (const list of lists) {
      for (const token of tokens) {
        const res = await t.graph(t.admin, 'GET', `${list}$skiptoken=${token}`);
        expect(res.status, `${list}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.code).toBe('BadRequest');
        expect(res.body.error.message).toMatch(/\$skiptoken/);
      }
    }
  });
});
