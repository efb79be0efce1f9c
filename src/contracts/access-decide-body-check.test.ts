import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAccessDecideBody, isGuidText, readAccessDecideBody } from './access-decide-body-check.js';
import { accessDecideBodySchema } from './access-decide-schemas.js';

// The hand-written check must agree with the zod schema on every body: what it accepts, zod accepts (with the body
// itself as the output), and what zod accepts, it accepts (else the hot route would pay zod's price for nothing).
const zodAccepts = (body: unknown) => accessDecideBodySchema.safeParse(body);

function expectParity(body: unknown): void {
  const zod = zodAccepts(body);
  expect(isAccessDecideBody(body), JSON.stringify(body)?.slice(0, 300)).toBe(zod.success);
  if (zod.success) expect(zod.data).toEqual(body);
}

const principal = 'e67419da-65b3-49e1-880b-95fdc6b20b19';
const role = '62e90394-69f5-4237-9190-012177145e10';
const good = {
  principalId: principal,
  action: 'Microsoft.Compute/virtualMachines/start/action',
  scope: '/subscriptions/d4c5f93c-3d9b-43bb-804f-78785f9c61bb/resourceGroups/rg-1',
  at: '2026-01-15T12:00:00.000Z',
};

const guids = [
  principal,
  principal.toUpperCase(),
  role,
  '',
  principal.slice(1),
  `${principal}0`,
  `${principal}\n`,
  ` ${principal}`,
  principal.replaceAll('-', ''),
  principal.replace('e', 'g'),
  principal.replace('-', '_'),
  `{${principal}}`,
];
const scopes = [
  '/',
  '//',
  '',
  'subscriptions',
  '/administrativeUnits/6a7c3b8e-0d4a-4f58-9a8e-2f1c7b9d0e11',
  '/subscriptions/s1/',
  '/subscriptions//s1',
  '/subscriptions/s 1',
  '/subscriptions/s\t1',
  '/subscriptions/s\u00a01',
  '/subscriptions/s1?x',
  '/subscriptions/s1#x',
  '/providers/Microsoft.Subscription/subscriptions/s1',
  '/ü/ß',
  `/${'a'.repeat(1023)}`,
  `/${'a'.repeat(1024)}`,
  '/a\n',
];
const actions = [
  'microsoft.directory/users/password/update',
  'Microsoft.Compute/*/read',
  '*',
  '*/read',
  '',
  '-x',
  '.x',
  'a//b',
  'a/',
  'a/b c',
  'ä/b',
  'a/b\n',
  `a${'b'.repeat(511)}`,
  `a${'b'.repeat(512)}`,
];
const instants = [
  '2026-01-15T12:00:00Z',
  '2026-01-15T12:00:00.123Z',
  '2026-01-15T12:00:00.123456789Z',
  '2026-01-15T12:00:00+01:00',
  '2026-01-15T12:00:00-23:59',
  '2026-01-15T12:00:00+24:00',
  '2026-01-15T12:00:00+0100',
  '2024-02-29T00:00:00Z',
  '2026-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-01-15T24:00:00Z',
  '2026-01-15T23:60:00Z',
  '2026-01-15T12:00Z',
  '2026-01-15T12:00:00',
  '2026-01-15t12:00:00z',
  '2026-01-15 12:00:00Z',
  '2026-01-15',
  '2026-01-15T12:00:00.Z',
  'yesterday',
  '',
];
const notStrings = [null, 0, 1, true, false, {}, [], [principal], { id: principal }];

/** Mostly well-formed queries (one of role or action), so accepted bodies are common too. */
const wellFormed = fc
  .record(
    {
      principalId: fc.constantFrom(...guids.slice(0, 3)),
      target: fc.oneof(
        fc.record({ roleDefinitionId: fc.constantFrom(...guids.slice(0, 3)) }),
        fc.record({ action: fc.constantFrom(...actions.slice(0, 4)) }),
      ),
      scope: fc.constantFrom(
        '/',
        scopes[4] as string,
        scopes[5] as string,
        scopes[12] as string,
        scopes[14] as string,
      ),
      at: fc.option(fc.constantFrom(...instants.slice(0, 5)), { nil: undefined }),
    },
    { requiredKeys: ['principalId', 'target', 'scope'] },
  )
  .map(({ target, at, ...q }) => ({ ...q, ...target, ...(at === undefined ? {} : { at }) }));

const fieldValues: Record<string, readonly unknown[]> = {
  principalId: guids,
  roleDefinitionId: guids,
  action: actions,
  scope: scopes,
  at: instants,
};

/**
 * A well-formed query with one change: a field set to another value (good, subtly wrong or not a string), a field
 * removed, or a key added. Without bias, so the last values of each list come up as often as the first.
 */
const nearMiss = fc
  .tuple(
    wellFormed,
    fc.oneof(
      fc.noBias(fc.constantFrom(...Object.entries(fieldValues))).chain(([field, values]) =>
        fc.record({
          field: fc.constant(field),
          value: fc.oneof(
            { weight: 4, arbitrary: fc.noBias(fc.constantFrom(...values)) },
            fc.constantFrom(...notStrings),
            fc.string({ maxLength: 40 }),
          ),
        }),
      ),
      fc.record({ remove: fc.constantFrom(...Object.keys(fieldValues)) }),
      fc.record({
        add: fc.oneof(
          fc.constantFrom('principalID', 'Scope', 'when', '__proto__', 'constructor', 'toString'),
          fc.string({ maxLength: 10 }),
        ),
      }),
    ),
  )
  .map(([q, change]) => {
    const out: Record<string, unknown> = { ...q };
    if ('field' in change) out[change.field] = change.value;
    else if ('remove' in change) delete out[change.remove];
    else Object.defineProperty(out, change.add, { value: 1, enumerable: true, writable: true });
    return out;
  });

describe('isAccessDecideBody agrees with accessDecideBodySchema', () => {
  it('on well-formed batches', () => {
    fc.assert(
      fc.property(fc.array(wellFormed, { minLength: 1, maxLength: 20 }), (queries) => {
        expect(isAccessDecideBody({ queries })).toBe(true);
        expectParity({ queries });
      }),
      { numRuns: 500 },
    );
  });

  it('on queries one change away from well-formed', () => {
    fc.assert(
      fc.property(nearMiss, (q) => expectParity({ queries: [q] })),
      { numRuns: 20_000 },
    );
  });

  it('on batches of near misses, good and bad fields mixed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(wellFormed, nearMiss), { minLength: 0, maxLength: 3 }),
        fc.option(fc.constantFrom('query', 'Queries', 'principalId'), { nil: undefined }),
        (queries, extraKey) => {
          expectParity(extraKey === undefined ? { queries } : { queries, [extraKey]: [] });
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('on the named cases: sizes, missing and extra fields, both targets, bad instants, wrong types', () => {
    const cases: unknown[] = [
      { queries: [good] },
      { queries: Array.from({ length: 2000 }, () => good) },
      { queries: Array.from({ length: 2001 }, () => good) },
      { queries: [] },
      {},
      { queries: [good], principalId: principal },
      { queries: good },
      { queries: [good, null] },
      // biome-ignore lint/suspicious/noSparseArray: a hole in the batch is refused as zod refuses it
      { queries: [good, , good] },
      { queries: [{ ...good, at: undefined }] },
      { queries: [{ ...good, action: undefined }] },
      { queries: [{ ...good, roleDefinitionId: role }] },
      { queries: [{ principalId: principal, roleDefinitionId: role, scope: '/' }] },
      { queries: [{ principalId: principal, scope: '/' }] },
      { queries: [{ ...good, principalId: undefined }] },
      { queries: [{ ...good, scope: undefined }] },
      { queries: [{ ...good, extra: 1 }] },
      { queries: [{ ...good, at: '2026-13-01T00:00:00Z' }] },
      { queries: [{ ...good, action: `a${'b'.repeat(511)}` }] },
      { queries: [{ ...good, action: `a${'b'.repeat(512)}` }] },
      { queries: [{ ...good, scope: `/${'a'.repeat(1023)}` }] },
      { queries: [{ ...good, scope: `/${'a'.repeat(1024)}` }] },
      { queries: [{ ...good, at: 1_768_478_400_000 }] },
      { queries: [{ ...good, at: null }] },
      { queries: [good, good, good, { ...good, scope: 'subscriptions/x' }] },
      JSON.parse(`{"queries":[${JSON.stringify(good).replace('{', '{"__proto__":{"x":1},')}]}`),
      null,
      [],
      'queries',
      42,
    ];
    for (const body of cases) expectParity(body);
  });
});

describe("isGuidText reads a GUID as the schema's pattern does", () => {
  const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  /** Characters around the hex digits: letters past f, dashes, code points whose low 7 bits are a hex digit. */
  const unit = fc.constantFrom(
    ...'0189afAFgG-_ {'.split(''),
    '\u0130',
    '\u0141',
    '\u00b0',
    '\uff10',
    '\u0000',
  );

  it('agrees on the named GUIDs and on strings one character away from one', () => {
    for (const s of guids) expect(isGuidText(s), s).toBe(pattern.test(s));
    fc.assert(
      fc.property(
        fc.constantFrom(...guids.slice(0, 3)),
        fc.nat(37),
        fc.nat(1),
        fc.string({ unit, maxLength: 2 }),
        (g, at, cut, insert) => {
          const s = g.slice(0, at) + insert + g.slice(at + cut);
          expect(isGuidText(s), JSON.stringify(s)).toBe(pattern.test(s));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('agrees on any string of GUID-like characters', () => {
    fc.assert(
      fc.property(fc.string({ unit, minLength: 34, maxLength: 38 }), (s) => {
        expect(isGuidText(s), JSON.stringify(s)).toBe(pattern.test(s));
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('readAccessDecideBody', () => {
  const none = { scope: () => undefined, action: () => undefined };

  it('reads an accepted batch into columns, in order', () => {
    const role = { principalId: principal.toUpperCase(), roleDefinitionId: guids[2] as string, scope: '/' };
    expect(readAccessDecideBody({ queries: [good, role] }, none)).toEqual({
      principalIds: [principal, principal.toUpperCase()],
      roleIds: [undefined, guids[2]],
      actions: [good.action, ''],
      scopes: [good.scope, '/'],
      ats: [good.at, undefined],
    });
  });

  it('gives what `known` gives for a spelling it recognises, and matches only the others against the pattern', () => {
    const handle = { scope: 'known' };
    const known = {
      scope: (s: string) => (s === good.scope || s === '/a b' ? handle : undefined),
      action: (a: string) => (a === good.action || a === 'a b' ? { action: a } : undefined),
    };
    const read = (scope: string) => readAccessDecideBody({ queries: [{ ...good, scope }] }, known)?.scopes;
    const readAction = (action: string) =>
      readAccessDecideBody({ queries: [{ ...good, action }] }, known)?.actions;
    expect(readAction(good.action)).toEqual([{ action: good.action }]);
    expect(readAction('*')).toEqual(['*']);
    expect(readAction('a b')).toEqual([{ action: 'a b' }]);
    expect(readAction('c d')).toBeUndefined();
    expect(readAction(`a${'b'.repeat(512)}`)).toBeUndefined();
    expect(read(good.scope)).toEqual([handle]);
    expect(read('/')).toEqual(['/']);
    // The pattern is what `known` vouches for: it must recognise only spellings that passed it before.
    expect(read('/a b')).toEqual([handle]);
    expect(read('/c d')).toBeUndefined();
    // The other rules hold whatever `known` says.
    expect(read('')).toBeUndefined();
    expect(read(`/${'a'.repeat(1024)}`)).toBeUndefined();
    expect(readAccessDecideBody({ queries: [{ ...good, principalId: 'x' }] }, known)).toBeUndefined();
  });
});
