import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessDecideBodySchema } from '../../src/contracts/access-decide-schemas.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';

// POST /api/v1/access/decide reads the plain body clients send straight from its bytes (decide-body-scanner.ts)
// and parses any other — escapes, characters past ASCII, repeated keys — as before: the same body written either
// way must get the same answers, and a refused one the schema's message.

const resetPassword = 'microsoft.directory/users/password/update';
const au = '/administrativeUnits/6a7c3b8e-0d4a-4f58-9a8e-2f1c7b9d0e11';
const json = { 'content-type': 'application/json' };

/** The native envelope's message for what the zod schema refuses (as api-errors.ts writes it). */
function schemaMessage(body: unknown): string {
  const parsed = accessDecideBodySchema.safeParse(body);
  if (parsed.success) throw new Error(`the schema accepts ${JSON.stringify(body)}`);
  const parts = parsed.error.issues.map((i) =>
    i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message,
  );
  return `Invalid request body: ${parts.join('; ')}`;
}

describe('POST /api/v1/access/decide: a body read from its bytes or parsed', () => {
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

  const decide = (raw: string) => t.graph(reader, 'POST', '/api/v1/access/decide', raw, json);

  /** A batch with answers of both kinds: actions and roles, at the unit and the root, now and a day ago. */
  function batch() {
    const dayAgo = new Date(t.clock.now().getTime() - 86_400_000).toISOString();
    return {
      queries: [helen, otto, reader].flatMap((who) => [
        { principalId: who.id, action: resetPassword, scope: au },
        { principalId: who.id.toUpperCase(), roleDefinitionId: roles.helpdeskAdministrator, scope: '/' },
        { at: dayAgo, scope: `${au}/`, principalId: who.id, roleDefinitionId: roles.globalReader },
        {
          principalId: who.id,
          action: 'microsoft.directory/users/delete',
          scope: '/',
          at: `${dayAgo.slice(0, 19)}Z`,
        },
      ]),
    };
  }

  it('answers the same batch alike however it is written: plain, spaced out, escaped, past ASCII', async () => {
    const body = batch();
    const plain = JSON.stringify(body);
    const expected = await decide(plain);
    expect(expected.status, JSON.stringify(expected.body)).toBe(200);
    expect(expected.body.allowed).toContain(true);
    expect(expected.body.allowed).toContain(false);
    const writings = [
      JSON.stringify(body, null, '\t'),
      ` \r\n${JSON.stringify(body, null, 2)}\n `,
      // Escapes: `\/` in every scope and action, a unicode escape for a letter of each principal.
      plain.replaceAll('/', '\\/'),
      plain.replace(
        /"principalId":"(.)/g,
        (_, c: string) => `"principalId":"\\u00${c.charCodeAt(0).toString(16)}`,
      ),
      // A key given twice (the last one counts, as JSON.parse reads it).
      plain.replaceAll('"scope":', '"scope":"/x","scope":'),
      // A byte order mark, as Fastify's parser allows it.
      `\ufeff${plain}`,
    ];
    for (const raw of writings) {
      const res = await decide(raw);
      expect(res.status, raw.slice(0, 200)).toBe(200);
      expect(res.body.allowed, raw.slice(0, 200)).toEqual(expected.body.allowed);
    }
    // …and again, now that the memos know the spellings.
    expect((await decide(plain)).body.allowed).toEqual(expected.body.allowed);
  });

  it("refuses a bad body with the schema's message whether it is read from the bytes or parsed", async () => {
    const good = { principalId: helen.id, action: resetPassword, scope: au };
    const bad: [string, unknown][] = [
      [
        JSON.stringify({ queries: [good, { ...good, scope: 'subscriptions/s1' }] }),
        { queries: [good, { ...good, scope: 'subscriptions/s1' }] },
      ],
      [
        JSON.stringify({ queries: [good, { ...good, scope: 'subscriptions/s1' }] }).replaceAll('/', '\\/'),
        { queries: [good, { ...good, scope: 'subscriptions/s1' }] },
      ],
      [
        JSON.stringify({ queries: [{ ...good, principalId: `${helen.id.slice(1)}é` }] }),
        { queries: [{ ...good, principalId: `${helen.id.slice(1)}é` }] },
      ],
      [
        JSON.stringify({ queries: [{ ...good, at: '2023-02-29T00:00:00Z' }] }),
        { queries: [{ ...good, at: '2023-02-29T00:00:00Z' }] },
      ],
      [
        JSON.stringify({ queries: [{ ...good, at: '2023-02-29T00:00:00Z' }] }).replace('2023', '\\u0032023'),
        { queries: [{ ...good, at: '2023-02-29T00:00:00Z' }] },
      ],
      [JSON.stringify({ queries: [{ ...good, at: 1 }] }), { queries: [{ ...good, at: 1 }] }],
      [
        JSON.stringify({ queries: [{ ...good, roleDefinitionId: roles.globalReader }] }),
        { queries: [{ ...good, roleDefinitionId: roles.globalReader }] },
      ],
    ];
    for (const [raw, body] of bad) {
      const res = await decide(raw);
      expect(res.status, raw).toBe(400);
      expect(res.body.error.code).toBe('request.invalid');
      expect(res.body.error.message, raw).toBe(schemaMessage(body));
    }
  });

  it('refuses an empty body, broken JSON or trailing bytes as every route does', async () => {
    const plain = JSON.stringify({ queries: [{ principalId: helen.id, action: resetPassword, scope: au }] });
    for (const raw of ['', plain.slice(0, -1), `${plain}x`, `${plain},`, plain.replace(au, `${au}\u0001`)]) {
      const decided = await decide(raw);
      const checked = await t.graph(reader, 'POST', '/api/v1/access/check', raw, json);
      expect(decided.status, raw).toBe(400);
      expect(decided.body.error.message, raw).toBe(checked.body.error.message);
    }
  });
});
