import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Columns } from './compile-filter.js';
import { equalityTerm, pushDownFilter } from './push-down-filter.js';
import { parseQueryOptions } from './query-options.js';
import { requestsSpec } from './test-specs.js';

const db = new Kysely<{ requests: { id: string } }>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** Only some properties have a column: the others must stay for matchFilter. */
const columns: Columns = {
  status: { column: 'status', type: 'enum', caseInsensitive: false },
  principalId: { column: 'principal_id', type: 'guid' },
  directoryScopeId: { column: 'scope_id', type: 'string', lowerCaseGuids: true },
};

const filterOf = (text: string) => parseQueryOptions({ $filter: text }, requestsSpec).filter;

function pushed(text: string) {
  const where = pushDownFilter(filterOf(text), columns);
  if (where === undefined) return undefined;
  const query = db.selectFrom('requests').select('id').where(where).compile();
  return { sql: query.sql.replace('select "id" from "requests" where ', ''), parameters: query.parameters };
}

const adam = '071CC716-8147-4397-A5BA-B2105951CC0B';
const steve = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

describe('pushDownFilter', () => {
  it('pushes the and-terms that have columns and leaves the rest to matchFilter', () => {
    expect(pushed(`principalId eq '${adam}' and justification eq 'x' and status eq 'granted'`)).toEqual({
      sql: '("principal_id" = $1 and "status" = $2)',
      parameters: [adam.toLowerCase(), 'Granted'],
    });
  });

  it('pushes an or of columns whole, and nothing of an or that names a property without one', () => {
    expect(pushed(`principalId eq '${adam}' or principalId eq '${steve}'`)).toEqual({
      sql: '("principal_id" = $1 or "principal_id" = $2)',
      parameters: [adam.toLowerCase(), steve],
    });
    expect(pushed(`principalId eq '${adam}' or justification eq 'x'`)).toBeUndefined();
    expect(pushed("justification eq 'x'")).toBeUndefined();
    expect(pushDownFilter(undefined, columns)).toBeUndefined();
  });

  it('binds a GUID-shaped string lower-cased where the column holds GUIDs in lower case', () => {
    expect(pushed(`directoryScopeId eq '${adam}'`)?.parameters).toEqual([adam.toLowerCase()]);
    expect(pushed("directoryScopeId eq '/administrativeUnits/AU'")?.parameters).toEqual([
      '/administrativeUnits/AU',
    ]);
  });
});

describe('equalityTerm', () => {
  it('finds a top-level eq joined with and, never one under or or not', () => {
    expect(equalityTerm(filterOf(`status eq 'Granted' and principalId eq '${steve}'`), 'principalId')).toBe(
      steve,
    );
    expect(
      equalityTerm(filterOf(`principalId eq '${steve}' or status eq 'Granted'`), 'principalId'),
    ).toBeUndefined();
    expect(equalityTerm(filterOf(`not (principalId eq '${steve}')`), 'principalId')).toBeUndefined();
    expect(equalityTerm(undefined, 'principalId')).toBeUndefined();
  });
});
