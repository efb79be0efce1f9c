import {
  DummyDriver,
  type Expression,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type SqlBool,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { type Columns, canCompile, compileFilter } from './compile-filter.js';
import { ODataError } from './errors.js';
import { parseFilter } from './parse-filter.js';
import { parseQueryOptions } from './query-options.js';
import { requestsSpec } from './test-specs.js';

interface TestDatabase {
  requests: { id: string; status: string; principal_id: string; created_at: Date };
}

const db = new Kysely<TestDatabase>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const columns: Columns = {
  id: { column: 'r.id', type: 'guid' },
  status: { column: 'status', type: 'enum' },
  principalId: { column: 'principal_id', type: 'guid' },
  roleDefinitionId: { column: 'role_definition_id', type: 'guid' },
  directoryScopeId: { column: 'directory_scope_id', type: 'string' },
  justification: { column: 'justification', type: 'string' },
  displayName: { column: 'display_name', type: 'string', caseInsensitive: true },
  createdDateTime: { column: 'created_at', type: 'datetime' },
  isValidationOnly: { column: 'is_validation_only', type: 'boolean' },
  durationHours: { column: 'duration_hours', type: 'number' },
  'scheduleInfo/startDateTime': { column: 'start_at', type: 'datetime' },
  action: {
    column: 'action',
    type: 'enum',
    values: { selfActivate: 'self_activate', adminAssign: 'admin_assign' },
  },
  'principal/@odata.type': {
    column: 'principal_type',
    type: 'string',
    values: { 'microsoft.graph.user': 'User', 'microsoft.graph.group': 'Group' },
  },
  '@odata.type': { column: 'kind', type: 'string' },
};

function compiled(filter: string | Expression<SqlBool>) {
  const where = typeof filter === 'string' ? compileFilter(parseFilter(filter), columns) : filter;
  const query = db.selectFrom('requests').select('id').where(where).compile();
  return { sql: query.sql.replace('select "id" from "requests" where ', ''), parameters: query.parameters };
}

describe('compileFilter', () => {
  describe('given comparisons on each column type', () => {
    it.each<[string, string, readonly unknown[]]>([
      ["status eq 'PendingApproval'", 'lower("status") = $1', ['pendingapproval']],
      ["status ne 'Denied'", 'lower("status") is distinct from $1', ['denied']],
      [
        "principalId eq '071CC716-8147-4397-A5BA-B2105951CC0B'",
        '"principal_id" = $1',
        ['071cc716-8147-4397-a5ba-b2105951cc0b'],
      ],
      [
        'principalId eq 071CC716-8147-4397-A5BA-B2105951CC0B',
        '"principal_id" = $1',
        ['071cc716-8147-4397-a5ba-b2105951cc0b'],
      ],
      [
        "id eq '071cc716-8147-4397-a5ba-b2105951cc0b'",
        '"r"."id" = $1',
        ['071cc716-8147-4397-a5ba-b2105951cc0b'],
      ],
      ["directoryScopeId eq '/'", '"directory_scope_id" = $1', ['/']],
      [
        "justification eq 'Robert''); drop table requests; --'",
        '"justification" = $1',
        ["Robert'); drop table requests; --"],
      ],
      ["displayName eq 'Global Admin'", 'lower("display_name") = $1', ['global admin']],
      ['directoryScopeId eq null', '"directory_scope_id" is null', []],
      ['directoryScopeId ne null', '"directory_scope_id" is not null', []],
      ['isValidationOnly eq true', '"is_validation_only" = $1', [true]],
      ['durationHours lt 8', '"duration_hours" < $1', [8]],
      ['durationHours le 8', '"duration_hours" <= $1', [8]],
      ['durationHours gt 8', '"duration_hours" > $1', [8]],
      ['8 le durationHours', '"duration_hours" >= $1', [8]],
      [
        'createdDateTime ge 2024-01-01T02:00:00+02:00',
        '"created_at" >= $1',
        [new Date('2024-01-01T00:00:00Z')],
      ],
      ['scheduleInfo/startDateTime lt 2024-02-01', '"start_at" < $1', [new Date('2024-02-01T00:00:00Z')]],
      ["action eq 'SelfActivate'", 'lower("action") = $1', ['self_activate']],
      ["action eq 'adminRemove'", 'lower("action") = $1', ['adminremove']],
    ])('when %s is compiled, then the SQL is %s with parameters %j', (filter, sqlText, parameters) => {
      expect(compiled(filter)).toEqual({ sql: sqlText, parameters });
    });
  });

  describe('given in-lists, functions and logic', () => {
    it.each<[string, string, readonly unknown[]]>([
      [
        "roleDefinitionId in ('62E90394-69F5-4237-9190-012177145E10', 'fe930be7-5e62-47db-91af-98c3a49a38b1')",
        '"role_definition_id" in ($1, $2)',
        ['62e90394-69f5-4237-9190-012177145e10', 'fe930be7-5e62-47db-91af-98c3a49a38b1'],
      ],
      ["status in ('Granted')", 'lower("status") in ($1)', ['granted']],
      [
        "startswith(justification,'50%_off\\')",
        '"justification" like $1 escape \'\\\'',
        ['50\\%\\_off\\\\%'],
      ],
      ["endswith(displayName,'Admin')", 'lower("display_name") like $1 escape \'\\\'', ['%admin']],
      ["contains(justification,'x')", '"justification" like $1 escape \'\\\'', ['%x%']],
      ["isof(principal,'microsoft.graph.user')", '"principal_type" = $1', ['User']],
      [
        "isof(principal,'microsoft.graph.servicePrincipal')",
        '"principal_type" = $1',
        ['#microsoft.graph.servicePrincipal'],
      ],
      ["isof('microsoft.graph.request')", '"kind" = $1', ['#microsoft.graph.request']],
      [
        "scopeId eq '/' and status eq 'Granted' or durationHours gt 1",
        '(("scope_id" = $1 and lower("status") = $2) or "duration_hours" > $3)',
        ['/', 'granted', 1],
      ],
      ["not (directoryScopeId eq '/')", 'not coalesce("directory_scope_id" = $1, false)', ['/']],
    ])('when %s is compiled, then the SQL is %s with parameters %j', (filter, sqlText, parameters) => {
      const withScope: Columns = { ...columns, scopeId: { column: 'scope_id', type: 'string' } };
      const query = db
        .selectFrom('requests')
        .select('id')
        .where(compileFilter(parseFilter(filter), withScope))
        .compile();
      expect({
        sql: query.sql.replace('select "id" from "requests" where ', ''),
        parameters: query.parameters,
      }).toEqual({
        sql: sqlText,
        parameters,
      });
    });
  });

  describe('given a filter validated by parseQueryOptions', () => {
    it('when compiled, then canonical values reach the parameters', () => {
      const { filter } = parseQueryOptions(
        { $filter: "STATUS eq 'pendingapproval' and createdDateTime lt 2024-02-01T00:00:00Z" },
        requestsSpec,
      );
      expect(compiled(compileFilter(filter!, columns))).toEqual({
        sql: '(lower("status") = $1 and "created_at" < $2)',
        parameters: ['pendingapproval', new Date('2024-02-01T00:00:00Z')],
      });
    });
  });

  describe('given filters the columns cannot express', () => {
    it.each<[string, string]>([
      [
        "targetResources/any(t: t/id eq 'x')",
        "Invalid $filter: any(…) on 'targetResources' cannot be evaluated in the database",
      ],
      ["unknown eq 'x'", "Invalid $filter: property 'unknown' cannot be evaluated in the database"],
      [
        "status eq 'x' and principal/displayName eq 'y'",
        "property 'principal/displayName' cannot be evaluated",
      ],
      [
        "isof(roleDefinition,'microsoft.graph.x')",
        "property 'roleDefinition/@odata.type' cannot be evaluated",
      ],
      ["createdDateTime eq 'soon'", "property 'createdDateTime' is a date-time"],
      ["principalId eq 'not-a-guid'", "property 'principalId' holds a GUID"],
    ])('when %s is compiled, then it throws ODataError and canCompile says false', (filter, message) => {
      const node = parseFilter(filter);
      expect(() => compileFilter(node, columns)).toThrow(ODataError);
      expect(() => compileFilter(node, columns)).toThrow(message);
      expect(canCompile(node, columns)).toBe(false);
    });

    it('when a filter only uses mapped columns, then canCompile says true', () => {
      expect(canCompile(parseFilter("status eq 'Granted' and not (principalId eq null)"), columns)).toBe(
        true,
      );
    });
  });
});
