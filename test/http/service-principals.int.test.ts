import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashSecret } from '../../src/app/auth/auth-service.js';
import { systemActor } from '../../src/app/context.js';
import { directoryRoleIds } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

describeEachDatabase(
  'Graph /servicePrincipals',
  (ctx) => {
    let t: TestApp;
    let appAdmin: TestUser;
    let reader: TestUser;
    beforeAll(async () => {
      t = await createTestApp(ctx.db);
      appAdmin = await t.givenUser('App Admin', { roles: [directoryRoleIds.applicationAdministrator] });
      reader = await t.givenUser('Reader', { roles: [directoryRoleIds.globalReader] });
    });
    afterAll(() => t.close());

    const auditOf = (id: string) =>
      ctx.db.db
        .selectFrom('audit_log')
        .select(['activity_display_name', 'category', 'target_resources'])
        .where(sql<boolean>`target_ids @> array[${id}]::text[]`)
        .orderBy('sequence')
        .execute();

    const token = (form: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/oauth2/v2.0/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form).toString(),
      });

    it('creates, reads, updates and deletes a service principal, auditing each change', async () => {
      // given an application administrator
      // when they create a service principal without an appId
      const created = await t.graph(appAdmin, 'POST', '/v1.0/servicePrincipals', {
        displayName: 'Deploy bot',
      });

      // then it gets a fresh appId and no credentials
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        displayName: 'Deploy bot',
        accountEnabled: true,
        servicePrincipalType: 'Application',
        passwordCredentials: [],
      });
      expect(created.body.appId).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.body['@odata.context']).toMatch(/\/v1\.0\/\$metadata#servicePrincipals\/\$entity$/);
      const id = created.body.id;

      const patched = await t.graph(appAdmin, 'PATCH', `/v1.0/servicePrincipals/${id}`, {
        displayName: 'Deploy robot',
        accountEnabled: false,
      });
      expect(patched.status).toBe(204);
      const read = await t.graph(reader, 'GET', `/v1.0/servicePrincipals/${id}`);
      expect(read.body).toMatchObject({ displayName: 'Deploy robot', accountEnabled: false });

      const list = await t.graph(
        reader,
        'GET',
        `/v1.0/servicePrincipals?$filter=appId eq '${created.body.appId}'&$select=displayName`,
      );
      expect(list.body.value).toEqual([{ id, displayName: 'Deploy robot' }]);

      expect((await t.graph(appAdmin, 'DELETE', `/v1.0/servicePrincipals/${id}`)).status).toBe(204);
      expect((await t.graph(appAdmin, 'GET', `/v1.0/servicePrincipals/${id}`)).status).toBe(404);
      expect(
        await ctx.db.db.selectFrom('service_principals').where('id', '=', id).selectAll().execute(),
      ).toEqual([]);

      const audit = await auditOf(id);
      expect(audit.map((a) => a.activity_display_name)).toEqual([
        'Add service principal',
        'Update service principal',
        'Delete service principal',
      ]);
      expect(audit.every((a) => a.category === 'ApplicationManagement')).toBe(true);
    });

    it('keeps a given appId, refuses a second principal with it (409) and refuses changing it', async () => {
      const appId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
      const created = await t.graph(t.admin, 'POST', '/v1.0/servicePrincipals', {
        appId,
        displayName: 'Fixed',
      });
      expect(created.body.appId).toBe(appId);

      const again = await t.graph(t.admin, 'POST', '/v1.0/servicePrincipals', {
        appId,
        displayName: 'Again',
      });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain('appId');

      const change = await t.graph(t.admin, 'PATCH', `/v1.0/servicePrincipals/${created.body.id}`, {
        appId: '3f2504e0-4f89-41d3-9a0c-0305e82c3302',
      });
      expect(change.status).toBe(400);
      expect(change.body.error.message).toContain('appId cannot be changed');
    });

    it('issues a client secret once, stores only its hash, and signs in with it until it is removed', async () => {
      // given a service principal
      const sp = (await t.graph(appAdmin, 'POST', '/v1.0/servicePrincipals', { displayName: 'Pipeline' }))
        .body;

      // when a secret is added
      const added = await t.graph(appAdmin, 'POST', `/v1.0/servicePrincipals/${sp.id}/addPassword`, {
        passwordCredential: { displayName: 'CI' },
      });

      // then the response shows it once, valid for a year from now
      expect(added.status).toBe(200);
      const secret: string = added.body.secretText;
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(added.body).toMatchObject({
        displayName: 'CI',
        hint: secret.slice(0, 3),
        startDateTime: '2026-01-05T09:00:00.000Z',
        endDateTime: '2027-01-05T09:00:00.000Z',
      });
      const row = await ctx.db.db
        .selectFrom('service_principal_secrets')
        .selectAll()
        .where('id', '=', added.body.keyId)
        .executeTakeFirstOrThrow();
      expect(row.secret_hash).toBe(hashSecret(secret));

      // and reads list the key, never the secret
      const read = await t.graph(reader, 'GET', `/v1.0/servicePrincipals/${sp.id}`);
      expect(read.body.passwordCredentials).toEqual([
        {
          keyId: added.body.keyId,
          displayName: 'CI',
          hint: secret.slice(0, 3),
          startDateTime: '2026-01-05T09:00:00.000Z',
          endDateTime: '2027-01-05T09:00:00.000Z',
        },
      ]);
      const listed = await t.graph(reader, 'GET', '/v1.0/servicePrincipals');

      // and the client credentials grant gives a token that works on Graph
      const grant = await token({
        grant_type: 'client_credentials',
        client_id: sp.appId,
        client_secret: secret,
      });
      expect(grant.statusCode).toBe(200);
      const users = await t.app.inject({
        method: 'GET',
        url: '/v1.0/users',
        headers: { authorization: `Bearer ${grant.json().access_token}` },
      });
      expect(users.statusCode).toBe(200);
      expect(users.json().value.length).toBeGreaterThan(0);

      const wrong = await token({
        grant_type: 'client_credentials',
        client_id: sp.appId,
        client_secret: 'nope',
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error).toBe('invalid_client');

      // when the secret is removed, it no longer signs in
      const removed = await t.graph(appAdmin, 'POST', `/v1.0/servicePrincipals/${sp.id}/removePassword`, {
        keyId: added.body.keyId,
      });
      expect(removed.status).toBe(204);
      const after = await token({
        grant_type: 'client_credentials',
        client_id: sp.appId,
        client_secret: secret,
      });
      expect(after.statusCode).toBe(401);
      expect(after.json().error).toBe('invalid_client');
      expect(
        (await t.graph(reader, 'GET', `/v1.0/servicePrincipals/${sp.id}`)).body.passwordCredentials,
      ).toEqual([]);

      // and no response but addPassword's, and no audit record, ever held the secret or its hash
      const audit = await auditOf(sp.id);
      expect(audit.map((a) => a.activity_display_name)).toEqual(
        expect.arrayContaining(['Add service principal credentials', 'Remove service principal credentials']),
      );
      const everything = JSON.stringify([
        read.body,
        listed.body,
        await ctx.db.db.selectFrom('audit_log').selectAll().execute(),
      ]);
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(hashSecret(secret));
      expect(everything).toContain(added.body.keyId);
    });

    it('bounds a secret to two years and refuses one that has already ended', async () => {
      const sp = (await t.graph(appAdmin, 'POST', '/v1.0/servicePrincipals', { displayName: 'Bounded' }))
        .body;
      const tooLong = await t.graph(appAdmin, 'POST', `/v1.0/servicePrincipals/${sp.id}/addPassword`, {
        passwordCredential: { endDateTime: '2028-06-01T00:00:00Z' },
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toContain('endDateTime must be at most two years');

      const past = await t.graph(appAdmin, 'POST', `/v1.0/servicePrincipals/${sp.id}/addPassword`, {
        passwordCredential: { endDateTime: '2025-01-01T00:00:00Z' },
      });
      expect(past.status).toBe(400);
      expect(past.body.error.message).toContain('endDateTime must be in the future');

      const ok = await t.graph(appAdmin, 'POST', `/v1.0/servicePrincipals/${sp.id}/addPassword`, {
        passwordCredential: { endDateTime: '2026-07-01T00:00:00Z' },
      });
      expect(ok.body.endDateTime).toBe('2026-07-01T00:00:00.000Z');
      expect(
        await ctx.db.db
          .selectFrom('service_principal_secrets')
          .select('id')
          .where('service_principal_id', '=', sp.id)
          .execute(),
      ).toHaveLength(1);
    });

    it('refuses users without an application role: 403 accessDenied, nothing changes', async () => {
      const sp = (await t.graph(appAdmin, 'POST', '/v1.0/servicePrincipals', { displayName: 'Guarded' }))
        .body;
      const before = await ctx.db.db.selectFrom('audit_log').select('id').execute();

      const attempts = [
        t.graph(reader, 'POST', '/v1.0/servicePrincipals', { displayName: 'Sneaky' }),
        t.graph(reader, 'PATCH', `/v1.0/servicePrincipals/${sp.id}`, { displayName: 'Renamed' }),
        t.graph(reader, 'DELETE', `/v1.0/servicePrincipals/${sp.id}`),
        t.graph(reader, 'POST', `/v1.0/servicePrincipals/${sp.id}/addPassword`, {}),
        t.graph(reader, 'POST', `/v1.0/servicePrincipals/${sp.id}/removePassword`, {
          keyId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
        }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('accessDenied');
      }
      expect((await t.graph(reader, 'GET', `/v1.0/servicePrincipals/${sp.id}`)).body.displayName).toBe(
        'Guarded',
      );
      expect(
        await ctx.db.db
          .selectFrom('service_principals')
          .select('id')
          .where('display_name', '=', 'Sneaky')
          .execute(),
      ).toEqual([]);
      expect(await ctx.db.db.selectFrom('audit_log').select('id').execute()).toHaveLength(before.length);
    });

    it('answers bad input with 400 naming the field', async () => {
      const sp = (await t.graph(appAdmin, 'POST', '/v1.0/servicePrincipals', { displayName: 'Strict' })).body;
      const unknown = await t.graph(appAdmin, 'POST', '/v1.0/servicePrincipals', {
        displayName: 'X',
        homepage: 'https://x',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('homepage');

      const wrongType = await t.graph(appAdmin, 'PATCH', `/v1.0/servicePrincipals/${sp.id}`, {
        accountEnabled: 'no',
      });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.error.message).toContain('accountEnabled');

      const badAppId = await t.graph(appAdmin, 'POST', '/v1.0/servicePrincipals', {
        displayName: 'X',
        appId: 'not-a-guid',
      });
      expect(badAppId.status).toBe(400);
      expect(badAppId.body.error.message).toContain('appId');

      const badKey = await t.graph(appAdmin, 'POST', `/v1.0/servicePrincipals/${sp.id}/removePassword`, {
        keyId: 'abc',
      });
      expect(badKey.status).toBe(400);
      expect(badKey.body.error.message).toContain('keyId');

      const unknownKey = await t.graph(appAdmin, 'POST', `/v1.0/servicePrincipals/${sp.id}/removePassword`, {
        keyId: '3f2504e0-4f89-41d3-9a0c-0305e82c3309',
      });
      expect(unknownKey.status).toBe(404);

      const secretField = await t.graph(appAdmin, 'POST', `/v1.0/servicePrincipals/${sp.id}/addPassword`, {
        passwordCredential: { secretText: 'chosen-by-me' },
      });
      expect(secretField.status).toBe(400);
      expect(secretField.body.error.message).toContain('secretText');
    });

    it('lets the demo seed create a principal and a secret without a permission check', async () => {
      const seed = { actor: systemActor, requestId: t.services.ids.newId() };
      const sp = await t.services.servicePrincipals.createServicePrincipalUnchecked(seed, {
        displayName: 'Seeded',
      });
      const { secretText } = await t.services.servicePrincipals.addSecretUnchecked(seed, sp.id, {});
      const grant = await token({
        grant_type: 'client_credentials',
        client_id: sp.appId,
        client_secret: secretText,
      });
      expect(grant.statusCode).toBe(200);
    });
  },
  { shared: true },
);
