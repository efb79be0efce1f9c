import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessDecideBodySchema } from '../../src/contracts/access-decide-schemas.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';

// POST /api/v1/access/decide checks its body by hand for speed (src/contracts/access-decide-body-check.ts) and
// asks the zod schema whenever that check says no: a refusal must read exactly as the schema's, naming the field.

const resetPassword = 'microsoft.directory/users/password/update';
const au = '/administrativeUnits/6a7c3b8e-0d4a-4f58-9a8e-2f1c7b9d0e11';

/** The native envelope's message for what the zod schema refuses (as api-errors.ts writes it). */
function schemaMessage(body: unknown): string {
  const parsed = accessDecideBodySchema.safeParse(body);
  if (parsed.success) throw new Error(`the schema accepts ${JSON.stringify(body)}`);
  const parts = parsed.error.issues.map((i) =>
    i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message,
  );
  return `Invalid request body: ${parts.join('; ')}`;
}

describe('POST /api/v1/access/decide: the body, the answers and the refusals', () => {
  let t: TestApp;
  let reader: TestUser;
  let helen: TestUser;
  let otto: TestUser;
  beforeAll(async () => {
    t = await createTestApp(await createTestDatabase('pglite'));
    reader = await t.givenUser('Reader', { roles: [roles.globalReader] });
    helen = await t.givenUser('Helen', { roles: [roles.helpdeskAdministrator] });
    otto = await t.givenUser('Otto');
  });
  afterAll(() => t.close());

  const good = () => ({ principalId: helen.id, action: resetPassword, scope: au });

  it('refuses each bad body with the message the schema gives, naming the field', async () => {
    const bad: [unknown, RegExp][] = [
      [{ queries: Array.from({ length: 2001 }, good) }, /at most 2000 queries/],
      [{ queries: [] }, /queries/],
      [{}, /queries/],
      [{ queries: good() }, /queries/],
      [{ queries: [good()], principalId: helen.id }, /principalId/],
      [
        { queries: [good(), good(), good(), { ...good(), scope: 'subscriptions' }] },
        /queries\.3\.scope: must be a scope path/,
      ],
      [{ queries: [{ action: resetPassword, scope: '/' }] }, /queries\.0\.principalId/],
      [{ queries: [{ principalId: helen.id, action: resetPassword }] }, /queries\.0\.scope/],
      [{ queries: [{ ...good(), roleId: roles.globalAdministrator }] }, /queries\.0: .*roleId/],
      [
        { queries: [good(), { ...good(), roleDefinitionId: roles.helpdeskAdministrator }] },
        /queries\.1: give roleDefinitionId or action, exactly one/,
      ],
      [{ queries: [{ principalId: helen.id, scope: '/' }] }, /queries\.0: give roleDefinitionId or action/],
      [
        { queries: [{ ...good(), at: '2026-02-30T00:00:00Z' }] },
        /queries\.0\.at: must be an ISO 8601 date-time/,
      ],
      [{ queries: [{ ...good(), at: 1_768_478_400_000 }] }, /queries\.0\.at/],
      [{ queries: [{ ...good(), principalId: 'helen' }] }, /queries\.0\.principalId: must be a GUID/],
      [{ queries: [{ ...good(), action: `a${'b'.repeat(512)}` }] }, /queries\.0\.action/],
      [[good()], /object/],
    ];
    for (const [body, names] of bad) {
      const res = await t.graph(reader, 'POST', '/api/v1/access/decide', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('request.invalid');
      expect(res.body.error.message).toBe(schemaMessage(body));
      expect(res.body.error.message).toMatch(names);
    }
  });

  it('refuses a __proto__ or constructor key as any unknown key, and bad JSON as every route does', async () => {
    const json = { 'content-type': 'application/json' };
    const q = `"principalId":"${helen.id}","action":"${resetPassword}","scope":"/"`;
    for (const raw of [
      `{"queries":[{"__proto__":{"polluted":true},${q}}]}`,
      `{"queries":[{"constructor":{"prototype":{"polluted":true}},${q}}]}`,
      `{"__proto__":{"polluted":true},"queries":[{${q}}]}`,
    ]) {
      const res = await t.graph(reader, 'POST', '/api/v1/access/decide', raw, json);
      expect(res.status, raw).toBe(400);
      expect(res.body.error.message).toBe(schemaMessage(JSON.parse(raw)));
      expect(res.body.error.message).toMatch(/__proto__|constructor/);
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    }
    // Every other route still refuses such keys while parsing (the decide route's parser is its own).
    const other = await t.graph(reader, 'POST', '/api/v1/access/check', `{"__proto__":{"x":1},${q}}`, json);
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(/not valid JSON/);
    for (const raw of ['{"queries": [', '', 'null', '"queries"']) {
      const decided = await t.graph(reader, 'POST', '/api/v1/access/decide', raw, json);
      const checked = await t.graph(reader, 'POST', '/api/v1/access/check', raw, json);
      expect(decided.status, raw).toBe(400);
      expect(decided.body.error.code).toBe('request.invalid');
      if (raw !== 'null' && raw !== '"queries"')
        expect(decided.body.error.message).toBe(checked.body.error.message);
    }
    const charset = await t.graph(
      reader,
      'POST',
      '/api/v1/access/decide',
      JSON.stringify({ queries: [good()] }),
      {
        'content-type': 'application/json; charset=utf-8',
      },
    );
    expect(charset.body).toEqual({ allowed: [true] });
  });

  it('answers a full batch of 2000 as /access/check answers the same questions, in order', async () => {
    const now = t.clock.now().getTime();
    const questions = Array.from({ length: 2000 }, (_, i) => {
      const who = [helen, otto, reader][i % 3] as TestUser;
      const target =
        i % 2 === 0
          ? { action: i % 4 === 0 ? resetPassword : 'microsoft.directory/users/delete' }
          : { roleDefinitionId: i % 5 === 0 ? roles.globalReader : roles.helpdeskAdministrator };
      return {
        principalId: i % 7 === 0 ? who.id.toUpperCase() : who.id,
        ...target,
        scope: i % 3 === 0 ? '/' : au,
        ...(i % 11 === 0 ? {} : { at: new Date(now - 86_400_000 + (i % 13) * 3_600_000).toISOString() }),
      };
    });
    const decided = await t.graph(reader, 'POST', '/api/v1/access/decide', { queries: questions });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(Object.keys(decided.body)).toEqual(['allowed']);
    const checked = [
      ...(await t.graph(reader, 'POST', '/api/v1/access/check', { queries: questions.slice(0, 1000) })).body
        .results,
      ...(await t.graph(reader, 'POST', '/api/v1/access/check', { queries: questions.slice(1000) })).body
        .results,
    ].map((r: { allowed: boolean }) => r.allowed);
    expect(decided.body.allowed).toEqual(checked);
    expect(checked.filter(Boolean).length).toBeGreaterThan(100);
    expect(checked.filter((a) => !a).length).toBeGreaterThan(100);
  });

  it('writes the answers as plain JSON, and the alias without the version answers the same', async () => {
    const body = { queries: [good(), { ...good(), principalId: otto.id }] };
    const res = await t.graph(reader, 'POST', '/api/v1/access/decide', body);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ allowed: [true, false] });
    expect((await t.graph(reader, 'POST', '/api/access/decide', body)).body).toEqual({
      allowed: [true, false],
    });
    const refused = await t.graph(reader, 'POST', '/api/access/decide', {
      queries: [{ ...good(), at: 'now' }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(schemaMessage({ queries: [{ ...good(), at: 'now' }] }));
  });

  it('still lets a caller who reads no PIM ask about themselves only', async () => {
    const mine = await t.graph(otto, 'POST', '/api/v1/access/decide', {
      queries: [{ ...good(), principalId: otto.id.toUpperCase() }],
    });
    expect(mine.body).toEqual({ allowed: [false] });
    const theirs = await t.graph(otto, 'POST', '/api/v1/access/decide', {
      queries: [{ ...good(), principalId: otto.id }, good()],
    });
    expect(theirs.status).toBe(403);
  });
});
