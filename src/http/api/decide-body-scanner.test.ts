import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantPattern, readAccessDecideBody } from '../../contracts/access-decide-body-check.js';
import { type KnownBytes, type ScannedDecideBatch, scanDecideBody } from './decide-body-scanner.js';
import { instantMs } from './instant-ms.js';
import { createStringMemo } from './string-memo.js';

// The scanner must accept only what JSON.parse + readAccessDecideBody accept, with the same columns (the
// instants as the route's msOf gives them), and must not refuse a plain body they accept: compared here on
// random batches written with random whitespace and key order, and on corrupted ones.

interface Handle {
  readonly spelling: string;
}

/** The route's memos: spellings accepted before, with a handle each; the scanner and the reference share them. */
function memos() {
  const scopes = createStringMemo<Handle>(1000);
  const actions = createStringMemo<Handle>(1000);
  const known = { scope: (s: string) => scopes.get(s), action: (a: string) => actions.get(a) };
  const knownBytes: KnownBytes<Handle, Handle> = {
    scopes: (b, starts, ends, n, out) => scopes.getManyBytes(b, starts, ends, n, out),
    actions: (b, starts, ends, n, out) => actions.getManyBytes(b, starts, ends, n, out),
  };
  /** What the route remembers of a batch it answered. */
  function remember(columns: { scopes: (Handle | string)[]; actions: (Handle | string)[] }) {
    for (const s of columns.scopes) if (typeof s === 'string') scopes.set(s, { spelling: s });
    for (const a of columns.actions) if (typeof a === 'string' && a !== '') actions.set(a, { spelling: a });
  }
  return { known, knownBytes, remember };
}

/** What the route hands on when the body is parsed: JSON.parse, the hand-written reading, msOf. */
function reference(text: string, known: ReturnType<typeof memos>['known']) {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const columns = readAccessDecideBody(body, known);
  if (columns === undefined) return undefined;
  const ats = columns.ats.map((at) => (at === undefined ? Number.NaN : instantMs(at)));
  return { ...columns, ats };
}

const plain = (b: ScannedDecideBatch<Handle, Handle>) => ({
  principalIds: b.principalIds,
  roleIds: b.roleIds,
  actions: b.actions,
  scopes: b.scopes,
  ats: Array.from(b.ats),
});

// --- Values: mostly good, some subtly wrong ---

const guid = fc
  .tuple(fc.uuid(), fc.constantFrom('lower', 'upper', 'mixed'))
  .map(([g, c]) =>
    c === 'lower'
      ? g
      : c === 'upper'
        ? g.toUpperCase()
        : g.replace(/[a-f]/g, (x, at: number) => (at % 2 ? x.toUpperCase() : x)),
  );
const nearGuid = fc.oneof(
  guid.map((g) => g.slice(1)),
  guid.map((g) => `${g}0`),
  guid.map((g) => g.replace('-', '')),
  guid.map((g) => `${g.slice(0, 8)}g${g.slice(9)}`),
  guid.map((g) => `${g.slice(0, 8)}_${g.slice(9)}`),
  guid.map((g) => `${g.slice(0, 3)}G${g.slice(4)}`),
  guid.map((g) => ` ${g.slice(1)}`),
);
const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
const goodScope = fc.oneof(
  fc.constant('/'),
  guid.map((g) => `/administrativeUnits/${g}`),
  guid.map((g) => `/subscriptions/${g}`),
  fc.tuple(guid, segment).map(([g, rg]) => `/subscriptions/${g}/resourceGroups/${rg}`),
  fc
    .tuple(guid, segment, segment)
    .map(([g, rg, vm]) => `/subscriptions/${g}/resourceGroups/${rg}/providers/Microsoft.Compute/vm/${vm}`),
  fc
    .tuple(guid, fc.constantFrom('/', ''))
    .map(([g, end]) => `/providers/Microsoft.Subscription/s/${g}${end}`),
);
const badScope = fc.constantFrom(
  '',
  '//',
  'subscriptions',
  '/a b',
  '/a//b',
  '/a?x',
  '/a#x',
  '/a\tb',
  `/${'a'.repeat(1023)}`,
  `/${'a'.repeat(1024)}`,
);
const goodAction = fc.oneof(
  fc.constantFrom(
    'microsoft.directory/users/password/update',
    'Microsoft.Compute/virtualMachines/start/action',
    'Microsoft.Compute/*/read',
    '*',
    '*/read',
    `a${'b'.repeat(511)}`,
  ),
  fc.tuple(segment, segment).map(([a, b]) => `${a.replace(/^[._-]/, 'x')}/${b}`),
);
const badAction = fc.constantFrom('', '-x', '.x', 'a//b', 'a/', 'a/b c', 'a/b?', `a${'b'.repeat(512)}`);

/** Instants in each form, leap days and the edges of each field included, and near misses. */
const goodInstant = fc
  .tuple(
    fc.date({
      min: new Date('0000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59.999Z'),
      noInvalidDate: true,
    }),
    fc.constantFrom('ms', 'seconds', 'micros', 'tenths', 'offset'),
    fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
  )
  .map(([d, form, offset]) => {
    const iso = d.toISOString();
    if (form === 'ms') return iso;
    if (form === 'seconds') return `${iso.slice(0, 19)}Z`;
    if (form === 'micros') return `${iso.slice(0, 23)}456Z`;
    if (form === 'tenths') return `${iso.slice(0, 21)}Z`;
    const a = Math.abs(offset);
    const hm = `${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
    return `${iso.slice(0, 23)}${offset < 0 ? '-' : '+'}${hm}`;
  });
const namedInstants = fc.constantFrom(
  '2024-02-29T00:00:00Z',
  '2000-02-29T12:00:00.000Z',
  '2023-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2100-02-29T00:00:00Z',
  '2400-02-29T00:00:00Z',
  '0400-02-29T00:00:00Z',
  '0000-02-29T00:00:00Z',
  '0050-06-15T00:00:00Z',
  '0099-12-31T23:59:59.999Z',
  '2026-04-31T00:00:00Z',
  '2026-04-30T00:00:00Z',
  '2026-01-15T24:00:00Z',
  '2026-01-15T23:60:00Z',
  '2026-01-15T23:59:60Z',
  '2026-13-01T00:00:00Z',
  '2026-00-10T00:00:00Z',
  '2026-01-00T00:00:00Z',
  '2026-01-32T00:00:00Z',
  '2026-01-15T12:00:00.Z',
  '2026-01-15T12:00:00.1234Z',
  '2026-01-15T12:00:00.12Z',
  '2026-01-15T12:00:00+24:00',
  '2026-01-15T12:00:00+0100',
  '2026-01-15T12:00Z',
  '2026-01-15T12:00:00',
  '2026-01-15t12:00:00z',
  '2026-01-15 12:00:00Z',
  '2026-01-15',
  'yesterday',
  '',
);
/** The common forms' shape with a random character at each place: digits mostly, their neighbours too. */
const shapedInstant = fc
  .tuple(
    fc.array(fc.constantFrom(...'0123456789012345678901234567890123456789/:aZ.-T'.split('')), {
      minLength: 17,
      maxLength: 17,
    }),
    fc.boolean(),
    fc.integer({ min: 0, max: 40 }),
  )
  .map(([c, millis, swap]) => {
    const d = c.join('');
    const s = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}${millis ? `.${d.slice(14, 17)}` : ''}Z`;
    // Now and then one separator changed too.
    return swap < s.length && swap % 3 === 0 ? `${s.slice(0, swap)}${d[0]}${s.slice(swap + 1)}` : s;
  });
const instant = fc.oneof(goodInstant, namedInstants, shapedInstant);

/** An object as its entries, in the order written (a key may come twice). */
class Entries {
  readonly pairs: [string, Value][];
  constructor(pairs: [string, Value][]) {
    this.pairs = pairs;
  }
}
type Value = string | number | boolean | null | Value[] | Entries;

/** The question's pairs in a random order. */
const shuffled = (q: Record<string, Value>) => {
  const pairs = Object.entries(q);
  return fc
    .shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length })
    .map((p) => new Entries(p));
};

/** A question the schema accepts: a principal, a role or an action, a scope, an instant or none. */
const goodQuestion = fc
  .record(
    {
      principalId: guid,
      target: fc.oneof(fc.record({ roleDefinitionId: guid }), fc.record({ action: goodAction })),
      scope: goodScope,
      at: fc.oneof(
        goodInstant,
        namedInstants.filter((at) => instantPattern.test(at)),
      ),
    },
    { requiredKeys: ['principalId', 'target', 'scope'] },
  )
  .chain(({ target, ...rest }) => shuffled({ ...rest, ...target }));

/** Any question: each field good, subtly wrong or absent, one or both or neither of role and action. */
const anyQuestion = fc
  .record(
    {
      principalId: fc.oneof({ weight: 4, arbitrary: guid }, nearGuid),
      target: fc.oneof(
        fc.record({ roleDefinitionId: fc.oneof(guid, nearGuid) }),
        fc.record({ action: fc.oneof(goodAction, badAction) }),
        fc.record({ roleDefinitionId: guid, action: goodAction }),
        fc.record({}),
      ),
      scope: fc.oneof({ weight: 4, arbitrary: goodScope }, badScope),
      at: instant,
    },
    { requiredKeys: ['target'] },
  )
  .chain(({ target, ...rest }) => shuffled({ ...rest, ...target }));

const question = fc.oneof({ weight: 12, arbitrary: goodQuestion }, anyQuestion);

/** Changes that keep the body plain (ASCII, no escapes, each key once): the scanner must then agree exactly. */
const plainChanges = [
  'none',
  'empty',
  'too many',
  'full',
  'extra key',
  'top-level key',
  'wrong type',
  'not an object',
];
/** Changes the scanner may leave to JSON.parse (escapes, non-ASCII, repeated keys, broken JSON). */
const unusualChanges = [
  'escape slash',
  'escape unicode',
  'non-ASCII',
  'control character',
  'repeated key',
  'repeated queries',
  'truncated',
  'trailing garbage',
  'byte order mark',
];
const change = fc.oneof(
  { weight: 6, arbitrary: fc.constant('none') },
  { weight: 3, arbitrary: fc.constantFrom(...plainChanges) },
  { weight: 3, arbitrary: fc.constantFrom(...unusualChanges) },
);

/** Writes the value as JSON, with the next of `space()` wherever JSON allows whitespace. */
function write(value: Value, space: () => string): string {
  if (value instanceof Entries) {
    const parts = value.pairs.map(
      ([k, v]) => `${space()}${JSON.stringify(k)}${space()}:${space()}${write(v, space)}${space()}`,
    );
    return `{${parts.join(',') || space()}}`;
  }
  if (Array.isArray(value))
    return `[${value.map((v) => `${space()}${write(v, space)}${space()}`).join(',') || space()}]`;
  return JSON.stringify(value);
}

const notStrings: Value[] = [1, null, true, false, new Entries([]), [], ['x'], 1.5];

/** The body `{"queries": questions}`, changed as `change` says; `pick` chooses where. */
function changedBody(
  questions: Entries[],
  change: string,
  pick: number,
): { body: Entries; edit?: (t: string) => string } {
  // Fresh copies: fast-check reuses the generated values while shrinking.
  questions = questions.map((q) => new Entries(q.pairs.map(([k, v]) => [k, v])));
  const nth = (n: number) => pick % Math.max(1, n);
  const q = questions[nth(questions.length)] as Entries;
  const queries: Value[] = questions;
  switch (change) {
    case 'empty':
      return { body: new Entries([['queries', []]]) };
    case 'too many':
      return { body: new Entries([['queries', Array.from({ length: 2001 }, () => q)]]) };
    case 'full':
      return { body: new Entries([['queries', Array.from({ length: 2000 }, () => q)]]) };
    case 'extra key':
      q.pairs.splice(nth(q.pairs.length + 1), 0, [
        ['extra', '__proto__', 'Scope', 'constructor'][pick % 4] as string,
        'x',
      ]);
      break;
    case 'wrong type':
      if (q.pairs.length > 0)
        (q.pairs[nth(q.pairs.length)] as [string, Value])[1] = notStrings[pick % notStrings.length] as Value;
      break;
    case 'not an object':
      queries[nth(queries.length)] = ['x', null, 1, []][pick % 4] as Value;
      break;
    case 'repeated key':
      if (q.pairs.length > 0) q.pairs.push(q.pairs[nth(q.pairs.length)] as [string, Value]);
      break;
  }
  const body = new Entries([['queries', queries]]);
  if (change === 'top-level key') body.pairs.splice(pick % 2, 0, ['principalId', 'x']);
  if (change === 'repeated queries') body.pairs.push(['queries', queries]);
  const edit = textEdits[change];
  return edit ? { body, edit: (t) => edit(t, pick) } : { body };
}

/** Edits of the written text; each keeps it JSON unless it means not to. */
const textEdits: Record<string, (t: string, pick: number) => string> = {
  'escape slash': (t, p) => replaceNth(t, '/', '\\/', p),
  'escape unicode': (t, p) => replaceNth(t, 'a', '\\u0061', p),
  'non-ASCII': (t, p) => replaceNth(t, '/', ['/é', '/\u{1f600}', '/\u00a0', '/\u2028'][p % 4] as string, p),
  'control character': (t, p) => replaceNth(t, '/', '/\u0001', p),
  truncated: (t, p) => t.slice(0, p % t.length),
  'trailing garbage': (t, p) => `${t}${['x', ',', '}', ']', ' {}', '0'][p % 6]}`,
  'byte order mark': (t) => `\ufeff${t}`,
};
function replaceNth(t: string, find: string, by: string, n: number): string {
  const hits: number[] = [];
  for (let i = t.indexOf(find); i >= 0; i = t.indexOf(find, i + 1)) hits.push(i);
  if (hits.length === 0) return t;
  const i = hits[n % hits.length] as number;
  return t.slice(0, i) + by + t.slice(i + find.length);
}

const whitespace = fc.array(fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n', '  \n  '), {
  minLength: 1,
  maxLength: 40,
});

describe('scanDecideBody agrees with JSON.parse + readAccessDecideBody + msOf', () => {
  const { known, knownBytes, remember } = memos();

  function expectAgreement(text: string, plainBody: boolean) {
    const scanned = scanDecideBody(Buffer.from(text, 'utf8'), knownBytes);
    const expected = reference(text, known);
    const label = text.slice(0, 400);
    if (scanned !== undefined) expect(plain(scanned), label).toEqual(expected);
    else if (plainBody) expect(expected, label).toBeUndefined();
    // Later batches find what this one taught the memos, as on the route.
    if (expected !== undefined) remember(expected);
  }

  it('on random batches: the same columns, and a refusal exactly when they refuse, for plain bodies', () => {
    fc.assert(
      fc.property(
        fc.array(question, { minLength: 1, maxLength: 8 }),
        change,
        fc.nat(),
        whitespace,
        (questions, change, pick, spaces) => {
          let k = 0;
          const space = () => spaces[k++ % spaces.length] as string;
          const { body, edit } = changedBody(questions, change, pick);
          const written = `${space()}${write(body, space)}${space()}`;
          expectAgreement(edit ? edit(written) : written, plainChanges.includes(change));
        },
      ),
      { numRuns: 4000 },
    );
  });
});

describe('scanDecideBody', () => {
  const principal = 'e67419da-65b3-49e1-880b-95fdc6b20b19';
  const role = '62E90394-69F5-4237-9190-012177145E10';
  const action = 'microsoft.directory/users/password/update';
  const au = '/administrativeUnits/6a7c3b8e-0d4a-4f58-9a8e-2f1c7b9d0e11';
  const none: KnownBytes<Handle, Handle> = { scopes: () => {}, actions: () => {} };
  const scan = (text: string, known: KnownBytes<Handle, Handle> = none) =>
    scanDecideBody(Buffer.from(text, 'utf8'), known);
  const body = (...queries: object[]) => JSON.stringify({ queries });

  it('reads a batch into columns, in order, each instant in epoch ms (NaN when absent)', () => {
    const scanned = scan(
      body(
        { principalId: principal, action, scope: au, at: '2024-02-29T23:59:59.999Z' },
        {
          scope: '/',
          at: '2026-01-15T12:00:00Z',
          roleDefinitionId: role,
          principalId: principal.toUpperCase(),
        },
        { principalId: principal, action: '*', scope: '/' },
        { principalId: principal, action, scope: '/', at: '2026-01-15T12:00:00+01:00' },
      ),
    );
    expect(scanned && plain(scanned)).toEqual({
      principalIds: [principal, principal.toUpperCase(), principal, principal],
      roleIds: [undefined, role, undefined, undefined],
      actions: [action, '', '*', action],
      scopes: [au, '/', '/', '/'],
      ats: [
        Date.UTC(2024, 1, 29, 23, 59, 59, 999),
        Date.UTC(2026, 0, 15, 12),
        Number.NaN,
        Date.UTC(2026, 0, 15, 11),
      ],
    });
  });

  it("gives the memos' handles for the spellings they know, the spelling for others", () => {
    const { knownBytes, remember } = memos();
    remember({ scopes: [au], actions: [action] });
    const scanned = scan(
      body(
        { principalId: principal, action, scope: au },
        { principalId: principal, action: '*', scope: `${au}/` },
      ),
      knownBytes,
    );
    expect(scanned?.scopes).toEqual([{ spelling: au }, `${au}/`]);
    expect(scanned?.actions).toEqual([{ spelling: action }, '*']);
  });

  it('allows JSON whitespace anywhere JSON does, and keys in any order', () => {
    const q = `{ "scope" :\t"/" ,\r\n"action":"*",  "principalId"\n:"${principal}" }`;
    expect(scan(` \n{\t"queries" : [ ${q} ,${q}\n] }\r\n `)?.principalIds).toEqual([principal, principal]);
  });

  it('leaves the unusual to JSON.parse: escapes, non-ASCII, repeated or unknown keys, values not strings', () => {
    const q = `"principalId":"${principal}","action":"*"`;
    for (const text of [
      `{"queries":[{${q},"scope":"\\/"}]}`,
      `{"queries":[{${q},"scope":"/\\u0061"}]}`,
      `{"queries":[{${q},"scope":"/é"}]}`,
      `{"queries":[{${q},"scope":"/","scope":"/"}]}`,
      `{"queries":[{${q},"scope":"/"}],"queries":[{${q},"scope":"/"}]}`,
      `{"queries":[{${q},"scope":"/","extra":"x"}]}`,
      `{"queries":[{${q},"scope":"/","__proto__":"x"}]}`,
      `{"queries":[{${q},"scope":"/","at":null}]}`,
      `{"queries":[{${q},"scope":"/","at":1768478400000}]}`,
      `{"queries":[{${q},"scope":["/"]}]}`,
      `{"queries":[{${q},"scope":"/"}],"principalId":"${principal}"}`,
      `\ufeff{"queries":[{${q},"scope":"/"}]}`,
    ])
      expect(scan(text), text).toBeUndefined();
  });

  it('refuses what the schema refuses: sizes, GUIDs, patterns, lengths, invalid dates', () => {
    const good = { principalId: principal, action, scope: au };
    expect(scan(body())).toBeUndefined();
    expect(scan(body(...Array.from({ length: 2000 }, () => good)))?.ats.length).toBe(2000);
    expect(scan(body(...Array.from({ length: 2001 }, () => good)))).toBeUndefined();
    expect(scan(body({ ...good, scope: `/${'a'.repeat(1023)}` }))).toBeDefined();
    expect(scan(body({ ...good, scope: `/${'a'.repeat(1024)}` }))).toBeUndefined();
    expect(scan(body({ ...good, action: `a${'b'.repeat(511)}` }))).toBeDefined();
    expect(scan(body({ ...good, action: `a${'b'.repeat(512)}` }))).toBeUndefined();
    for (const bad of [
      { ...good, principalId: principal.slice(1) },
      { ...good, principalId: principal.replace('-', '_') },
      { ...good, roleDefinitionId: role },
      { principalId: principal, scope: au },
      { ...good, scope: 'subscriptions' },
      { ...good, action: 'a//b' },
      { ...good, at: '2023-02-29T00:00:00Z' },
      { ...good, at: '1900-02-29T00:00:00Z' },
      { ...good, at: '2026-01-15T24:00:00Z' },
      { ...good, at: '2026-13-01T00:00:00Z' },
      { ...good, at: '2026-04-31T00:00:00.000Z' },
    ])
      expect(scan(body(bad)), JSON.stringify(bad)).toBeUndefined();
    for (const leap of ['2000-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z', '0400-02-29T00:00:00Z'])
      expect(scan(body({ ...good, at: leap }))?.ats[0]).toBe(Date.parse(leap));
  });

  it('reads every instant the pattern accepts as msOf does, and refuses the others', () => {
    const { known, knownBytes } = memos();
    fc.assert(
      fc.property(instant, (at) => {
        const text = body({ principalId: principal, action, scope: au, at });
        const scanned = scanDecideBody(Buffer.from(text), knownBytes);
        expect(scanned && plain(scanned), at).toEqual(reference(text, known));
      }),
      { numRuns: 20_000 },
    );
  });
});
