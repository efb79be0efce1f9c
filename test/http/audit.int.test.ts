import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createAuditQueryService } from '../../src/app/audit/audit-query-service.js';
import type { AuditEntry } from '../../src/core/audit/audit-record.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { auditCsvColumns } from '../../src/http/api/audit-export.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const list = '/v1.0/auditLogs/directoryAudits';
const requests = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const eligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';
const bobPassword = 'Sup3r-secret-pw!';

type GraphAudit = Record<string, any> & { id: string; activityDateTime: string };

const at = (iso: string) => Date.parse(iso);
const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};

describeEachDatabase(
  'reading the audit log over Graph and the native API',
  (ctx) => {
    let t: TestApp;
    let adam: TestUser;
    let rita: TestUser;
    let paul: TestUser;
    let bobId: string;
    let secretText: string;
    /** Every record, newest first, as the unfiltered list returns it. */
    let everything: GraphAudit[];

    /** Follows @odata.nextLink from `url` to the end; returns every item and the size of each page. */
    async function walk(url: string, user: TestUser = t.admin) {
      const items: GraphAudit[] = [];
      const pages: number[] = [];
      let next: string | undefined = url;
      while (next !== undefined) {
        const res = await t.graph(user, 'GET', next);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        items.push(...res.body.value);
        pages.push(res.body.value.length);
        const link: string | undefined = res.body['@odata.nextLink'];
        next = link === undefined ? undefined : pathOf(link);
        expect(pages.length).toBeLessThan(200);
      }
      return { items, pages };
    }

    const filtered = async (filter: string, extra = '') =>
      (await walk(`${list}?$filter=${encodeURIComponent(filter)}${extra}`)).items;

    /** The filter over HTTP returns exactly the records `predicate` picks from everything, in the same order. */
    async function expectFilter(filter: string, predicate: (a: GraphAudit) => boolean) {
      const want = everything.filter(predicate).map((a) => a.id);
      expect(want.length, `fixture records for ${filter}`).toBeGreaterThan(0);
      expect(want.length, `${filter} should not match everything`).toBeLessThan(everything.length);
      expect((await filtered(filter)).map((a) => a.id)).toEqual(want);
    }

    beforeAll(async () => {
      // Given records made by real actions at known instants.
      t = await createTestApp(ctx.db, { now: '2026-01-05T09:00:00Z' });
      adam = await t.givenUser('Adam');
      rita = await t.givenUser('Rita', { roles: [roles.globalReader] });
      paul = await t.givenUser('Paul');

      t.clock.set('2026-01-05T10:00:00Z');
      const bob = await t.graph(t.admin, 'POST', '/v1.0/users', {
        accountEnabled: true,
        displayName: 'Bob',
        mailNickname: 'bob',
        userPrincipalName: 'bob@contoso.com',
        passwordProfile: { password: bobPassword },
      });
      expect(bob.status, JSON.stringify(bob.body)).toBe(201);
      bobId = bob.body.id;

      t.clock.set('2026-01-05T11:00:00Z');
      const eligible = await t.graph(t.admin, 'POST', eligibilityRequests, {
        action: 'adminAssign',
        principalId: adam.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'Service desk rota',
        scheduleInfo: { startDateTime: t.clock.now().toISOString(), expiration: { type: 'noExpiration' } },
      });
      expect(eligible.status, JSON.stringify(eligible.body)).toBe(201);

      t.clock.set('2026-01-05T12:00:00Z');
      const activated = await t.graph(
        adam,
        'POST',
        requests,
        {
          action: 'selfActivate',
          principalId: adam.id,
          roleDefinitionId: roles.helpdeskAdministrator,
          directoryScopeId: '/',
          justification: 'Ticket queue',
          scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT2H' } },
        },
        await t.steppedUp(adam, roles.helpdeskAdministrator),
      );
      expect(activated.status, JSON.stringify(activated.body)).toBe(201);

      t.clock.set('2026-01-05T13:00:00Z');
      const sp = await t.graph(t.admin, 'POST', '/v1.0/servicePrincipals', { displayName: 'Ticketing' });
      expect(sp.status, JSON.stringify(sp.body)).toBe(201);
      const secret = await t.graph(t.admin, 'POST', `/v1.0/servicePrincipals/${sp.body.id}/addPassword`, {});
      expect(secret.status, JSON.stringify(secret.body)).toBe(200);
      secretText = secret.body.secretText;

      everything = (await walk(`${list}?$top=999`)).items;
    });
    afterAll(() => t.close());

    it('lists every record newest first, in log order, in the Graph directoryAudit shape', async () => {
      const logOrder = await ctx.db.db
        .selectFrom('audit_log')
        .select('id')
        .orderBy('sequence', 'desc')
        .execute();
      expect(everything.map((a) => a.id)).toEqual(logOrder.map((r) => r.id));
      const times = everything.map((a) => at(a.activityDateTime));
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const completed = everything.find(
        (a) => a.activityDisplayName === 'Add member to role completed (PIM activation)',
      );
      expect(completed).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        category: 'RoleManagement',
        correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        result: 'success',
        resultReason: 'Ticket queue',
        activityDisplayName: 'Add member to role completed (PIM activation)',
        activityDateTime: '2026-01-05T12:00:00.000Z',
        loggedByService: 'PIM',
        operationType: 'Add',
        initiatedBy: {
          user: { id: adam.id, displayName: 'Adam', userPrincipalName: null, ipAddress: null },
          app: null,
        },
        targetResources: expect.arrayContaining([
          {
            id: roles.helpdeskAdministrator,
            displayName: 'Helpdesk Administrator',
            type: 'Role',
            userPrincipalName: null,
            groupType: null,
            modifiedProperties: [],
          },
          expect.objectContaining({ id: adam.id, type: 'User', groupType: null }),
        ]),
        additionalDetails: expect.arrayContaining([{ key: 'Justification', value: 'Ticket queue' }]),
      });

      const one = await t.graph(rita, 'GET', `${list}/${completed!.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual({
        '@odata.context': expect.stringMatching(/\/v1\.0\/\$metadata#auditLogs\/directoryAudits\/\$entity$/),
        ...completed,
      });
      const beta = await t.graph(rita, 'GET', `/beta/auditLogs/directoryAudits?$top=1`);
      expect(beta.body.value).toEqual([everything[0]]);
      expect(beta.body['@odata.context']).toMatch(/\/beta\/\$metadata#auditLogs\/directoryAudits$/);
    });

    it('filters on activityDateTime, exact at the boundaries', async () => {
      const inRange = (from: number, to: number) => (a: GraphAudit) =>
        at(a.activityDateTime) >= from && at(a.activityDateTime) <= to;
      await expectFilter(
        'activityDateTime ge 2026-01-05T10:00:00Z and activityDateTime le 2026-01-05T12:00:00Z',
        inRange(at('2026-01-05T10:00:00Z'), at('2026-01-05T12:00:00Z')),
      );
      await expectFilter(
        'activityDateTime gt 2026-01-05T10:00:00Z and activityDateTime lt 2026-01-05T12:00:00Z',
        (a) => a.activityDateTime === '2026-01-05T11:00:00.000Z',
      );
      await expectFilter('activityDateTime eq 2026-01-05T10:00:00Z', (a) =>
        a.activityDateTime.startsWith('2026-01-05T10'),
      );
      await expectFilter(
        'activityDateTime ne 2026-01-05T09:00:00Z',
        (a) => !a.activityDateTime.startsWith('2026-01-05T09'),
      );
    });

    it('filters on category, activityDisplayName, loggedByService, result and correlationId', async () => {
      await expectFilter("category eq 'RoleManagement'", (a) => a.category === 'RoleManagement');
      await expectFilter("category eq 'rolemanagement'", (a) => a.category === 'RoleManagement');
      await expectFilter("activityDisplayName eq 'Add user'", (a) => a.activityDisplayName === 'Add user');
      await expectFilter("startswith(activityDisplayName,'Add member to role')", (a) =>
        a.activityDisplayName.startsWith('Add member to role'),
      );
      await expectFilter("loggedByService eq 'PIM'", (a) => a.loggedByService === 'PIM');
      await expectFilter("loggedByService ne 'PIM'", (a) => a.loggedByService !== 'PIM');
      await expectFilter(
        "operationType eq 'Add' and result eq 'success' and loggedByService eq 'PIM'",
        (a) => a.operationType === 'Add' && a.result === 'success' && a.loggedByService === 'PIM',
      );
      const pim = everything.find((a) => a.loggedByService === 'PIM')!;
      await expectFilter(
        `correlationId eq '${pim.correlationId.toUpperCase()}'`,
        (a) => a.correlationId === pim.correlationId,
      );
      expect(await filtered("category eq 'RoleManagement' and category eq 'GroupManagement'")).toEqual([]);
    });

    it('filters on target resources and on who initiated, alone, combined and with or', async () => {
      await expectFilter(`targetResources/any(t: t/id eq '${adam.id}')`, (a) =>
        a.targetResources.some((r: { id: string }) => r.id === adam.id),
      );
      await expectFilter(
        `targetResources/any(t: t/type eq 'Role' and t/displayName eq 'Helpdesk Administrator')`,
        (a) =>
          a.targetResources.some((r: any) => r.type === 'Role' && r.displayName === 'Helpdesk Administrator'),
      );
      // Adam is a target of the admin's records too: only those he started count.
      await expectFilter(`initiatedBy/user/id eq '${adam.id}'`, (a) => a.initiatedBy.user?.id === adam.id);
      await expectFilter(
        `initiatedBy/user/id eq '${t.admin.id}' and targetResources/any(t: t/id eq '${adam.id}')`,
        (a) => a.initiatedBy.user?.id === t.admin.id && a.targetResources.some((r: any) => r.id === adam.id),
      );
      await expectFilter(
        `targetResources/any(t: t/id eq '${bobId}') or loggedByService eq 'PIM'`,
        (a) => a.loggedByService === 'PIM' || a.targetResources.some((r: any) => r.id === bobId),
      );
      expect(await filtered(`initiatedBy/app/appId eq '${adam.id}'`)).toEqual([]);
    });

    it('pages with $top=2 through every record exactly once by following @odata.nextLink', async () => {
      const { items, pages } = await walk(`${list}?$top=2`);
      expect(items.map((a) => a.id)).toEqual(everything.map((a) => a.id));
      expect(pages.every((n) => n === 2 || n === pages.at(-1))).toBe(true);
      expect(pages).toHaveLength(Math.ceil(everything.length / 2));

      const oldestFirst = await walk(`${list}?$top=3&$orderby=activityDateTime asc`);
      expect(oldestFirst.items.map((a) => a.id)).toEqual(everything.map((a) => a.id).reverse());

      const adds = await walk(
        `${list}?$top=2&$filter=${encodeURIComponent("startswith(activityDisplayName,'Add')")}`,
      );
      expect(adds.items.map((a) => a.id)).toEqual(
        everything.filter((a) => a.activityDisplayName.startsWith('Add')).map((a) => a.id),
      );
    });

    it('counts across pages with $count and cuts items down with $select', async () => {
      const pim = everything.filter((a) => a.loggedByService === 'PIM');
      const counted = await t.graph(
        t.admin,
        'GET',
        `${list}?$count=true&$top=1&$filter=loggedByService eq 'PIM'`,
      );
      expect(counted.body['@odata.count']).toBe(pim.length);
      expect(counted.body.value).toEqual([pim[0]]);
      const residual = await t.graph(
        t.admin,
        'GET',
        `${list}?$count=true&$top=1&$filter=${encodeURIComponent(`initiatedBy/user/id eq '${adam.id}'`)}`,
      );
      expect(residual.body['@odata.count']).toBe(
        everything.filter((a) => a.initiatedBy.user?.id === adam.id).length,
      );

      const selected = await t.graph(t.admin, 'GET', `${list}?$select=activityDisplayName,category&$top=3`);
      expect(selected.body.value).toEqual(
        everything
          .slice(0, 3)
          .map((a) => ({ id: a.id, activityDisplayName: a.activityDisplayName, category: a.category })),
      );
    });

    it('returns every match exactly once when a scan budget cuts pages short', async () => {
      // Given a service that reads two entries per query and stops a page after three.
      const service = createAuditQueryService({ db: ctx.db.db, batchSize: 2, maxScan: 3 });
      const ctxOf = { actor: await t.services.auth.authenticate(t.admin.token), requestId: 'test' };
      const byAdam = (e: AuditEntry) => e.initiatedBy.user?.id === adam.id;
      const seen: string[] = [];
      let afterSequence: number | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const page = await service.list(ctxOf, {
          order: 'desc',
          limit: 1,
          matches: byAdam,
          ...(afterSequence !== undefined && { afterSequence }),
        });
        expect(page.entries.length).toBeLessThanOrEqual(1);
        seen.push(...page.entries.map((e) => e.id));
        if (page.nextAfterSequence === undefined) break;
        afterSequence = page.nextAfterSequence;
      }
      expect(seen).toEqual(everything.filter((a) => a.initiatedBy.user?.id === adam.id).map((a) => a.id));
      expect(await service.count(ctxOf, { matches: byAdam })).toBe(seen.length);
    });

    it('refuses readers without an audit role with 403, and bad queries with 400, in the Graph envelope', async () => {
      const denied = await t.graph(paul, 'GET', list);
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('accessDenied');
      expect((await t.graph(paul, 'GET', `${list}/${everything[0]!.id}`)).status).toBe(403);
      expect((await t.graph(null, 'GET', list)).status).toBe(401);

      const unknown = await t.graph(t.admin, 'GET', `${list}?$filter=color eq 'red'`);
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.code).toBe('BadRequest');
      expect(unknown.body.error.message).toContain("'color'");
      expect(unknown.body.error.innerError['request-id']).toBeTruthy();

      for (const bad of [
        '$skiptoken=abc',
        `$skiptoken=${Buffer.from(JSON.stringify({ s: -1, o: 'desc' })).toString('base64url')}`,
        `$skiptoken=${Buffer.from(JSON.stringify({ s: 5, o: 'asc' })).toString('base64url')}`,
        '$top=1000',
        '$orderby=category',
        "$filter=category eq 'Nonsense'",
      ]) {
        const res = await t.graph(t.admin, 'GET', `${list}?${bad}`);
        expect(res.status, bad).toBe(400);
        expect(res.body.error.code, bad).toBe('BadRequest');
      }
      expect((await t.graph(t.admin, 'GET', `${list}/0199a3c4-0000-7000-8000-000000000000`)).status).toBe(
        404,
      );
      expect((await t.graph(t.admin, 'GET', `${list}/not-an-id`)).status).toBe(404);
    });

    it('exports the log oldest first as CSV, one line per record, as an attachment', async () => {
      const res = await t.graph(rita, 'GET', '/api/v1/audit/export?format=csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="elevate-audit-.*\.csv"$/);
      const lines = (res.body as string).trimEnd().split('\n');
      expect(lines[0]).toBe(auditCsvColumns.join(','));
      expect(lines).toHaveLength(everything.length + 1);
      expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(everything.map((a) => a.id).reverse());
    });

    it('exports JSON records with their hashes, narrowed by from, to and category', async () => {
      const res = await t.graph(t.admin, 'GET', '/api/v1/audit/export?format=json');
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="elevate-audit-.*\.json"$/);
      expect(res.body.map((r: { id: string }) => r.id)).toEqual(everything.map((a) => a.id).reverse());
      expect(res.body.map((r: { sequence: number }) => r.sequence)).toEqual(everything.map((_, i) => i + 1));
      expect(res.body[0]).toMatchObject({
        previousHash: '0'.repeat(64),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });

      const narrowed = await t.graph(
        t.admin,
        'GET',
        '/api/v1/audit/export?format=json&from=2026-01-05T11:00:00Z&to=2026-01-05T12:00:00.001Z&category=RoleManagement',
      );
      const want = everything.filter(
        (a) =>
          a.category === 'RoleManagement' &&
          at(a.activityDateTime) >= at('2026-01-05T11:00:00Z') &&
          at(a.activityDateTime) <= at('2026-01-05T12:00:00Z'),
      );
      expect(want.length).toBeGreaterThan(0);
      expect(narrowed.body.map((r: { id: string }) => r.id)).toEqual(want.map((a) => a.id).reverse());

      const empty = await t.graph(
        t.admin,
        'GET',
        '/api/v1/audit/export?format=json&from=2030-01-01T00:00:00Z',
      );
      expect(empty.body).toEqual([]);
      const backwards = await t.graph(
        t.admin,
        'GET',
        '/api/v1/audit/export?from=2026-01-06T00:00:00Z&to=2026-01-05T00:00:00Z',
      );
      expect(backwards.status).toBe(400);
      expect(backwards.body.error).toMatchObject({
        code: 'request.invalid',
        message: expect.stringContaining('from must be before to'),
      });
    });

    it('never lets a password, a password hash or a client secret out', async () => {
      const bodies = [
        (await t.graph(t.admin, 'GET', '/api/v1/audit/export?format=csv')).body as string,
        JSON.stringify((await t.graph(t.admin, 'GET', '/api/v1/audit/export?format=json')).body),
        JSON.stringify(everything),
      ];
      for (const body of bodies) {
        expect(body).toContain('Bob');
        expect(body).not.toContain(bobPassword);
        expect(body).not.toContain(secretText);
        expect(body).not.toContain('$argon2');
      }
    });

    it('answers the native API with its own envelope: 403 for non-readers, documented in /openapi.json', async () => {
      for (const url of ['/api/v1/audit/verify', '/api/v1/audit/export']) {
        const res = await t.graph(paul, 'GET', url);
        expect(res.status, url).toBe(403);
        expect(res.body.error.code).toBe('auth.forbidden');
      }
      expect((await t.graph(null, 'GET', '/api/v1/audit/verify')).status).toBe(401);
      expect((await t.graph(t.admin, 'GET', '/api/v1/nothing-here')).body.error.code).toBe(
        'resource.not_found',
      );

      const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      expect(spec.paths['/api/v1/audit/export'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['format', 'from', 'to', 'category']),
      );
      expect(spec.paths['/api/v1/audit/verify'].get.responses['200']).toBeDefined();
      expect(spec.paths['/v1.0/auditLogs/directoryAudits'].get.responses['200']).toBeDefined();
    });
  },
  { shared: true },
);

describeEachDatabase('verifying the audit chain', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx.db);
  });
  afterEach(() => t.close());

  it('says ok for an untouched log, then names the sequence of a record edited behind its back', async () => {
    // Given a few records made by real actions.
    for (const name of ['Carol', 'Dave', 'Erin']) {
      const res = await t.graph(t.admin, 'POST', '/v1.0/users', {
        accountEnabled: true,
        displayName: name,
        mailNickname: name.toLowerCase(),
        userPrincipalName: `${name.toLowerCase()}@contoso.com`,
      });
      expect(res.status).toBe(201);
      t.clock.advanceMinutes(1);
    }
    const rows = await ctx.db.db
      .selectFrom('audit_log')
      .select(['sequence', 'id', 'hash'])
      .orderBy('sequence')
      .execute();
    const last = rows.at(-1)!;

    // When the log is verified, then every record checks out.
    const ok = await t.graph(t.admin, 'GET', '/api/v1/audit/verify');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      ok: true,
      count: rows.length,
      lastSequence: Number(last.sequence),
      lastHash: last.hash,
    });

    // When someone with database access rewrites one record past the append-only trigger…
    const victim = rows[1]!;
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(ctx.db.db);
    await sql`update audit_log set activity_display_name = 'Nothing to see' where sequence = ${victim.sequence}`.execute(
      ctx.db.db,
    );
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(ctx.db.db);

    // …then verification names that record.
    const broken = await t.graph(t.admin, 'GET', '/api/v1/audit/verify');
    expect(broken.status).toBe(200);
    expect(broken.body).toEqual({
      ok: false,
      brokenAt: Number(victim.sequence),
      id: victim.id,
      reason: 'hash mismatch',
      count: Number(victim.sequence) - 1,
    });
  });
});
