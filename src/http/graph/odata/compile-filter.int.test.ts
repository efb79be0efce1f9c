import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Columns, compileFilter } from './compile-filter.js';
import type { ListSpec } from './list-spec.js';
import { matchFilter } from './match-filter.js';
import { parseQueryOptions } from './query-options.js';

interface ItemsDatabase {
  items: { id: number };
}

const compiler = new Kysely<ItemsDatabase>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const statuses = ['Granted', 'PendingApproval', 'Denied'];
const guids = ['071cc716-8147-4397-a5ba-b2105951cc0b', 'fe930be7-5e62-47db-91af-98c3a49a38b1'];

const spec: ListSpec = {
  fields: {
    status: { type: 'enum', values: statuses },
    principalId: { type: 'guid' },
    directoryScopeId: { type: 'string' },
    createdDateTime: { type: 'datetime' },
    hours: { type: 'number' },
    isValidationOnly: { type: 'boolean' },
  },
};

const columns: Columns = {
  status: { column: 'status', type: 'enum' },
  principalId: { column: 'principal_id', type: 'guid' },
  directoryScopeId: { column: 'directory_scope_id', type: 'string' },
  createdDateTime: { column: 'created_at', type: 'datetime' },
  hours: { column: 'hours', type: 'number' },
  isValidationOnly: { column: 'is_validation_only', type: 'boolean' },
};

interface Item {
  id: number;
  status: string;
  principalId: string | null;
  directoryScopeId: string | null;
  createdDateTime: string | null;
  hours: number | null;
  isValidationOnly: boolean | null;
}

const items: Item[] = [
  {
    id: 1,
    status: 'Granted',
    principalId: guids[0]!,
    directoryScopeId: '/',
    createdDateTime: '2024-01-01T00:00:00Z',
    hours: 1,
    isValidationOnly: false,
  },
  {
    id: 2,
    status: 'PendingApproval',
    principalId: guids[1]!,
    directoryScopeId: '/admin%_units',
    createdDateTime: '2024-01-15T12:30:00.5Z',
    hours: 8,
    isValidationOnly: true,
  },
  {
    id: 3,
    status: 'Denied',
    principalId: null,
    directoryScopeId: null,
    createdDateTime: null,
    hours: null,
    isValidationOnly: null,
  },
  {
    id: 4,
    status: 'Granted',
    principalId: guids[1]!,
    directoryScopeId: "/o'brien",
    createdDateTime: '2024-02-01T00:00:00Z',
    hours: 0,
    isValidationOnly: false,
  },
];

let pg: PGlite;

beforeAll(async () => {
  pg = new PGlite();
  await pg.exec(`create table items (
    id int primary key, status text not null, principal_id uuid, directory_scope_id text,
    created_at timestamptz, hours int, is_validation_only boolean)`);
  for (const item of items) {
    await pg.query('insert into items values ($1, $2, $3, $4, $5, $6, $7)', [
      item.id,
      item.status,
      item.principalId,
      item.directoryScopeId,
      item.createdDateTime,
      item.hours,
      item.isValidationOnly,
    ]);
  }
});

afterAll(async () => {
  await pg.close();
});

async function idsFromDatabase(filter: string): Promise<number[]> {
  const node = parseQueryOptions({ $filter: filter }, spec).filter!;
  const query = compiler
    .selectFrom('items')
    .select('id')
    .where(compileFilter(node, columns))
    .orderBy('id')
    .compile();
  const result = await pg.query<{ id: number }>(query.sql, [...query.parameters]);
  return result.rows.map((row) => row.id);
}

function idsInMemory(filter: string): number[] {
  const node = parseQueryOptions({ $filter: filter }, spec).filter!;
  return items.filter((item) => matchFilter(node, item)).map((item) => item.id);
}

const comparison = fc.oneof(
  fc
    .tuple(fc.constantFrom('eq', 'ne'), fc.constantFrom(...statuses, 'granted', 'DENIED'))
    .map(([op, v]) => `status ${op} '${v}'`),
  fc
    .tuple(fc.constantFrom('eq', 'ne'), fc.constantFrom(...guids, guids[0]!.toUpperCase(), 'null'))
    .map(([op, v]) => `principalId ${op} ${v}`),
  fc.constantFrom("'/'", "'/o''brien'", 'null', "'/admin%_units'").map((v) => `directoryScopeId eq ${v}`),
  fc.constantFrom("'/'", "'/a'", "'/admin%'", "'/o'''", "''").map((v) => `startswith(directoryScopeId,${v})`),
  fc
    .tuple(
      fc.constantFrom('eq', 'ne', 'lt', 'le', 'gt', 'ge'),
      fc.constantFrom('2024-01-01T00:00:00Z', '2024-01-15', '2024-02-01T01:00:00+01:00'),
    )
    .map(([op, v]) => `createdDateTime ${op} ${v}`),
  fc
    .tuple(fc.constantFrom('eq', 'ne', 'lt', 'le', 'gt', 'ge'), fc.integer({ min: -1, max: 9 }))
    .map(([op, v]) => `hours ${op} ${v}`),
  fc.constantFrom(
    'hours in (0, 8)',
    "status in ('granted', 'Denied')",
    'isValidationOnly eq true',
    'isValidationOnly ne false',
    'hours eq null',
    'createdDateTime ne null',
  ),
);

const filter: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc
      .tuple(tie('node'), fc.constantFrom('and', 'or'), tie('node'))
      .map(([l, op, r]) => `(${l}) ${op} (${r})`),
    tie('node').map((inner) => `not (${inner})`),
  ),
})).node;

describe('compileFilter against PostgreSQL (PGlite)', () => {
  it.each([
    "status eq 'granted'",
    'directoryScopeId ne null',
    "directoryScopeId ne '/'",
    "not (directoryScopeId eq '/')",
    'not (hours lt 5)',
    'not (hours lt 5 or hours ge 5)',
    "startswith(directoryScopeId,'/admin%_')",
    "startswith(directoryScopeId,'/o''')",
    'createdDateTime ge 2024-01-15T12:30:00.5Z',
  ])('given %s, when run in SQL and in memory, then both select the same rows', async (text) => {
    expect(await idsFromDatabase(text)).toEqual(idsInMemory(text));
  });

  it('given random filters, when run in SQL and in memory, then both always select the same rows', async () => {
    await fc.assert(
      fc.asyncProperty(filter, async (text) => {
        expect(await idsFromDatabase(text)).toEqual(idsInMemory(text));
      }),
      { numRuns: 300 },
    );
  });
});
