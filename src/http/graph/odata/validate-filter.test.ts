import { describe, expect, it } from 'vitest';
import { ODataError } from './errors.js';
import type { FilterNode } from './filter-ast.js';
import type { ListSpec } from './list-spec.js';
import { parseFilter } from './parse-filter.js';
import { requestsSpec } from './test-specs.js';
import { validateFilter } from './validate-filter.js';

const validate = (filter: string, spec: ListSpec = requestsSpec) => validateFilter(parseFilter(filter), spec);

function rejection(filter: string, spec: ListSpec = requestsSpec): ODataError {
  try {
    validate(filter, spec);
  } catch (error) {
    expect(error).toBeInstanceOf(ODataError);
    return error as ODataError;
  }
  throw new Error(`expected ${JSON.stringify(filter)} to be rejected`);
}

describe('validateFilter', () => {
  describe('given filters the spec allows', () => {
    it('when property names and enum values differ in case, then they come back as the spec spells them', () => {
      expect(validate("STATUS eq 'pendingapproval'")).toEqual({
        kind: 'compare',
        op: 'eq',
        property: { path: 'status' },
        value: { type: 'string', value: 'PendingApproval' },
      });
    });

    it('when GUIDs are quoted or not, in any case, then they become lower-case guid literals', () => {
      const node = validate(
        "principalId eq '071CC716-8147-4397-A5BA-B2105951CC0B' or roleDefinitionId in (62E90394-69F5-4237-9190-012177145E10)",
      );
      expect(node).toEqual({
        kind: 'or',
        left: {
          kind: 'compare',
          op: 'eq',
          property: { path: 'principalId' },
          value: { type: 'guid', value: '071cc716-8147-4397-a5ba-b2105951cc0b' },
        },
        right: {
          kind: 'in',
          property: { path: 'roleDefinitionId' },
          values: [{ type: 'guid', value: '62e90394-69f5-4237-9190-012177145e10' }],
        },
      });
    });

    it('when an unquoted GUID meets a string property, then it becomes a string literal', () => {
      expect(validate('justification eq 071cc716-8147-4397-a5ba-b2105951cc0b')).toMatchObject({
        value: { type: 'string', value: '071cc716-8147-4397-a5ba-b2105951cc0b' },
      });
    });

    it('when a lambda filters its items, then item properties resolve against the lambda fields', () => {
      expect(validate("TargetResources/any(t: t/TYPE eq 'role' and t/id eq 'x')")).toEqual({
        kind: 'lambda',
        op: 'any',
        collection: { path: 'targetResources' },
        variable: 't',
        predicate: {
          kind: 'and',
          left: {
            kind: 'compare',
            op: 'eq',
            property: { variable: 't', path: 'type' },
            value: { type: 'string', value: 'Role' },
          },
          right: {
            kind: 'compare',
            op: 'eq',
            property: { variable: 't', path: 'id' },
            value: { type: 'string', value: 'x' },
          },
        },
      });
    });

    it('when isof names an allowed type in another case, then the canonical type name is kept', () => {
      expect(validate("isof(Principal,'Microsoft.Graph.Group')")).toEqual({
        kind: 'function',
        name: 'isof',
        property: { path: 'principal' },
        typeName: 'microsoft.graph.group',
      });
      expect(validate("isof('microsoft.graph.request')")).toEqual({
        kind: 'function',
        name: 'isof',
        typeName: 'microsoft.graph.request',
      });
    });

    it.each([
      'directoryScopeId eq null',
      "directoryScopeId ne '/'",
      'createdDateTime ge 2024-01-01T00:00:00Z and createdDateTime lt 2024-02-01',
      'scheduleInfo/startDateTime le 2024-01-01T00:00:00Z',
      'isValidationOnly eq true',
      'durationHours gt 1 and durationHours in (2, 3)',
      "startswith(justification,'ticket')",
      "not (status in ('Denied', 'canceled'))",
      'targetResources/any()',
      'createdDateTime eq null',
    ])('when given %s, then it is accepted', (filter) => {
      expect(() => validate(filter)).not.toThrow();
    });
  });

  describe('given filters the spec refuses', () => {
    it.each<[string, string]>([
      [
        "foo eq 'x'",
        "Invalid $filter: property 'foo' is not filterable on this resource; use one of: id, status, principalId, " +
          'roleDefinitionId, directoryScopeId, justification, createdDateTime, isValidationOnly, durationHours, ' +
          'scheduleInfo/startDateTime',
      ],
      ["scheduleInfo eq 'x'", "property 'scheduleInfo' is not filterable on this resource"],
      [
        "principalId lt '071cc716-8147-4397-a5ba-b2105951cc0b'",
        "'lt' is not supported on property 'principalId'; use eq, ne, in",
      ],
      [
        "startswith(principalId,'07')",
        "'startswith' is not supported on property 'principalId'; use eq, ne, in",
      ],
      ['principalId eq null', "property 'principalId' cannot be compared with null; use eq, ne, in"],
      ['directoryScopeId lt null', "'lt' cannot compare with null; use eq null or ne null"],
      [
        "justification in ('/', null)",
        "null cannot appear in the list after 'justification in'; use eq null",
      ],
      [
        "directoryScopeId in ('/')",
        "'in' is not supported on property 'directoryScopeId'; use eq, ne, eq null",
      ],
      [
        'scheduleInfo/startDateTime eq 2024-01-01T00:00:00Z',
        "'eq' is not supported on property 'scheduleInfo/startDateTime'; use ge, le",
      ],
      [
        "principalId eq 'abc'",
        "property 'principalId' holds a GUID; compare it with one such as '071cc716-8147-4397-a5ba-b2105951cc0b', not 'abc'",
      ],
      [
        "createdDateTime ge 'yesterday'",
        "property 'createdDateTime' is a date-time; compare it with an unquoted ISO 8601 value such as 2024-01-01T00:00:00Z, not 'yesterday'",
      ],
      ["createdDateTime ge '2024-01-01T00:00:00Z'", "not '2024-01-01T00:00:00Z'"],
      ['createdDateTime ge 5', 'is a date-time'],
      ["isValidationOnly eq 'true'", "property 'isValidationOnly' is true or false, not 'true'"],
      [
        "durationHours eq '2'",
        "property 'durationHours' is a number; compare it with an unquoted number such as 5, not '2'",
      ],
      [
        'justification eq 5',
        "property 'justification' is a string; compare it with a quoted value such as 'text', not 5",
      ],
      [
        "status eq 'Approved'",
        "property 'status' takes one of 'Canceled', 'Denied', 'Granted', 'PendingApproval', 'Provisioned', 'Revoked', not 'Approved'",
      ],
      ["status eq 'O''Neil'", "not 'O''Neil'"],
      ['status eq true', 'not true'],
      [
        "targetResources/any(t: t/name eq 'x')",
        "property 't/name' is not filterable on items of 'targetResources'; use one of: id, type",
      ],
      [
        "targetResources/any(t: t/type eq 'Group')",
        "property 't/type' takes one of 'Role', 'User', not 'Group'",
      ],
      [
        "members/any(m: m/id eq 'x')",
        "any/all is not supported on 'members'; it is supported on: targetResources",
      ],
      [
        "targetResources/any(t: t/children/any(c: c/id eq 'x'))",
        "any/all inside another any/all ('t/children') is not supported",
      ],
      ["isof(roleDefinition,'microsoft.graph.user')", "isof is not supported on 'roleDefinition'"],
      [
        "isof(principal,'microsoft.graph.servicePrincipal')",
        "isof cannot test 'principal' for 'microsoft.graph.servicePrincipal'; use one of: microsoft.graph.user, microsoft.graph.group",
      ],
      ["not (foo eq 'x')", "property 'foo' is not filterable"],
    ])('when given %s, then it throws ODataError saying %j', (filter, message) => {
      expect(rejection(filter).message).toContain(message);
    });

    it('when the spec has no filterable properties, lambdas or types, then the messages say so plainly', () => {
      const bare: ListSpec = { fields: { locked: { type: 'string', ops: [] } } };
      expect(rejection("x eq 'a'", { fields: {} }).message).toBe(
        "Invalid $filter: property 'x' is not filterable on this resource",
      );
      expect(rejection("locked eq 'a'", bare).message).toBe(
        "Invalid $filter: 'eq' is not supported on property 'locked'; it cannot be filtered",
      );
      expect(rejection('x/any()', bare).message).toBe("Invalid $filter: any/all is not supported on 'x'");
      expect(rejection("isof('a.b')", bare).message).toBe("Invalid $filter: isof is not supported on '$it'");
    });

    it('when a lambda variable is used outside spec lambdas, then the outer filterable list is shown', () => {
      const message = rejection("targetResources/any(t: nope eq 'x')").message;
      expect(message).toContain("property 'nope' is not filterable on this resource; use one of: id, status");
    });
  });

  describe('given default operations per type', () => {
    const spec: ListSpec = {
      fields: {
        s: { type: 'string' },
        g: { type: 'guid' },
        e: { type: 'enum', values: ['A'] },
        d: { type: 'datetime' },
        n: { type: 'number' },
        b: { type: 'boolean' },
      },
    };
    it.each<[string, boolean]>([
      ["startswith(s,'x')", true],
      ["s lt 'x'", false],
      ["contains(s,'x')", false],
      ['g in (071cc716-8147-4397-a5ba-b2105951cc0b)', true],
      ['g gt 071cc716-8147-4397-a5ba-b2105951cc0b', false],
      ["e in ('a')", true],
      ["e gt 'A'", false],
      ['d lt 2024-01-01', true],
      ['d in (2024-01-01)', false],
      ['n le 1 and n in (1)', true],
      ['b ne true and b eq null', true],
      ['b in (true)', false],
    ])('when given %s, then accepted is %s', (filter, accepted) => {
      const attempt = () => validate(filter, spec);
      if (accepted) expect(attempt).not.toThrow();
      else expect(attempt).toThrow(ODataError);
    });
  });

  it('given a validated filter, when validated again, then nothing changes', () => {
    const once: FilterNode = validate(
      "status in ('granted','DENIED') and principalId ne 071CC716-8147-4397-A5BA-B2105951CC0B",
    );
    expect(validateFilter(once, requestsSpec)).toEqual(once);
  });
});
