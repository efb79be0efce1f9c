import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessDecideBodySchema } from '../../src/contracts/access-decide-schemas.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';

// POST /api/v1/access/decide remembers the scope spellings it accepted (with the index's handle for each), so a
// spelling it saw before is not matched against the schema's pattern again: the answers, and every refusal, must
// read as on first sight — a spelling is remembered, never an answer.

const resetPassword = 'microsoft.directory/users/password/update';
const au = '/administrativeUnits/6a7c3b8e-0d4a-4f58-9a8e-2f1c7b9d0e11';

describe('POST /api/v1/access/decide: scopes asked again', () => {
  let t: TestApp;
  let reader: TestUser;
  let helen: TestUser;
  beforeAll(async () => {
    t = await createTestApp(await createTestDatabase('pglite'));
    reader = await t.givenUser('Reader', { roles: [roles.globalReader] });
    helen = await t.givenUser('Helen', { roles: [roles.helpdeskAdministrator] });
  });
  afterAll(() => t.close());

  const decide = (queries: unknown[]) => t.graph(reader, 'POST', '/api/v1/access/decide', { queries });
  const ask = (scope: string, at?: string) => ({
    principalId: helen.id,
    action: resetPassword,
    scope,
    ...(at ? { at } : {}),
  });

  it('answers a spelling seen before as on first sight, at each instant asked', async () => {
    const now = t.clock.now().getTime();
    const before = new Date(now - 2 * 86_400_000).toISOString();
    const scopes = ['/', au, `${au}/`, '/administrativeUnits/6A7C3B8E-0D4A-4F58-9A8E-2F1C7B9D0E11'];
    const queries = scopes.flatMap((s) => [ask(s), ask(s, before)]);
    const expected = (await t.graph(reader, 'POST', '/api/v1/access/check', { queries })).body.results.map(
      (r: { allowed: boolean }) => r.allowed,
    );
    expect(expected).toContain(true);
    expect(expected).toContain(false);
    for (let round = 0; round < 3; round++) {
      const res = await decide(queries);
      expect(res.status).toBe(200);
      expect(res.body.allowed).toEqual(expected);
    }
  });

  it('refuses a spelling near a remembered one with the schema message, and a malformed resource scope each time', async () => {
    expect((await decide([ask(au)])).status).toBe(200);
    for (const scope of [`${au} `, `${au}//`, `${au}?x`, au.replace('/', '')]) {
      const body = { queries: [ask(au), ask(scope)] };
      const res = await t.graph(reader, 'POST', '/api/v1/access/decide', body);
      expect(res.status, scope).toBe(400);
      const parsed = accessDecideBodySchema.safeParse(body);
      expect(parsed.success).toBe(false);
      expect(res.body.error.message).toMatch(
        /^Invalid request body: queries\.1\.scope: must be a scope path/,
      );
    }
    const malformed = '/subscriptions/not-a-guid';
    for (let round = 0; round < 2; round++) {
      const res = await decide([ask(au), ask(malformed)]);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^Invalid scope: 'not-a-guid' is not a valid subscription id/);
    }
  });
});
