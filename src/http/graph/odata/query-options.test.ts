import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ODataError } from './errors.js';
import type { ListSpec } from './list-spec.js';
import { parseQueryOptions } from './query-options.js';
import { encodeSkipToken } from './skip-token.js';
import { requestsSpec } from './test-specs.js';

function rejection(query: Record<string, unknown>, spec: ListSpec = requestsSpec): ODataError {
  try {
    parseQueryOptions(query, spec);
  } catch (error) {
    expect(error).toBeInstanceOf(ODataError);
    return error as ODataError;
  }
  throw new Error(`expected ${JSON.stringify(query)} to be rejected`);
}

describe('parseQueryOptions', () => {
  describe('given no query options', () => {
    it('when parsed, then the defaults apply: no filter, no expand, the default page size, no count', () => {
      expect(parseQueryOptions({}, requestsSpec)).toEqual({ expand: [], top: 20, count: false });
    });

    it('when the spec sets no sizes, then $top defaults to 100 and may go up to 999', () => {
      const spec: ListSpec = { fields: {} };
      expect(parseQueryOptions({}, spec).top).toBe(100);
      expect(parseQueryOptions({ $top: '999' }, spec).top).toBe(999);
      expect(rejection({ $top: '1000' }, spec).message).toBe(
        "Invalid $top: '1000'; use a whole number from 1 to 999",
      );
    });

    it('when the default page size exceeds the maximum, then the maximum wins', () => {
      expect(parseQueryOptions({}, { fields: {}, maxTop: 10, defaultTop: 50 }).top).toBe(10);
    });
  });

  describe('given every option at once', () => {
    it('when parsed, then each comes back validated and in canonical spelling', () => {
      const skipToken = encodeSkipToken({ after: 'x' });
      const options = parseQueryOptions(
        {
          $filter: "Status eq 'pendingApproval' and principalId eq '071CC716-8147-4397-A5BA-B2105951CC0B'",
          $expand: 'principal($select=id),policy($expand=rules)',
          $select: 'STATUS,id',
          $top: '5',
          $skiptoken: skipToken,
          $count: 'true',
          $orderby: 'createdDateTime desc, Status',
          'api-version': '2020-10-01',
          filterByCurrentUser: 'principal',
        },
        requestsSpec,
      );
      expect(options).toEqual({
        filter: {
          kind: 'and',
          left: {
            kind: 'compare',
            op: 'eq',
            property: { path: 'status' },
            value: { type: 'string', value: 'PendingApproval' },
          },
          right: {
            kind: 'compare',
            op: 'eq',
            property: { path: 'principalId' },
            value: { type: 'guid', value: '071cc716-8147-4397-a5ba-b2105951cc0b' },
          },
        },
        expand: [
          { name: 'principal', select: ['id'] },
          { name: 'policy', expand: [{ name: 'rules' }] },
        ],
        select: ['status', 'id'],
        top: 5,
        skipToken: { after: 'x' },
        count: true,
        orderBy: [
          { field: 'createdDateTime', direction: 'desc' },
          { field: 'status', direction: 'asc' },
        ],
      });
    });

    it('when option names differ in case, then they are still recognised', () => {
      const options = parseQueryOptions(
        { $FILTER: "status eq 'Granted'", $Top: '3', $skipToken: encodeSkipToken(1) },
        requestsSpec,
      );
      expect(options).toMatchObject({ top: 3, skipToken: 1, filter: { kind: 'compare' } });
    });

    it('when a framework hands over numbers, booleans or single-element arrays, then they are read as text', () => {
      expect(parseQueryOptions({ $top: 7, $count: true, $select: ['id'] }, requestsSpec)).toMatchObject({
        top: 7,
        count: true,
        select: ['id'],
      });
    });

    it('when $select is * or repeats names, then * means everything and repeats collapse', () => {
      expect(parseQueryOptions({ $select: '*' }, requestsSpec).select).toBeUndefined();
      expect(parseQueryOptions({ $select: 'id, id ,status' }, requestsSpec).select).toEqual(['id', 'status']);
    });

    it('when $orderby names a field without a spec orderBy list, then any filterable field is sortable', () => {
      const spec: ListSpec = { fields: { a: { type: 'string' }, b: { type: 'number' } } };
      expect(parseQueryOptions({ $orderby: 'B DESC,a asc' }, spec).orderBy).toEqual([
        { field: 'b', direction: 'desc' },
        { field: 'a', direction: 'asc' },
      ]);
    });

    it('when $count is false, or an undefined value is present, then nothing is asked for', () => {
      expect(parseQueryOptions({ $count: 'FALSE', $filter: undefined }, requestsSpec)).toEqual({
        expand: [],
        top: 20,
        count: false,
      });
    });
  });

  describe('given invalid options', () => {
    it.each<[Record<string, unknown>, string]>([
      [
        { $search: 'admin' },
        "Unsupported query option '$search'; supported: $filter, $select, $expand, $top, $skiptoken, $count, $orderby",
      ],
      [
        { $skip: '10' },
        "Unsupported query option '$skip'; supported: $filter, $select, $expand, $top, $skiptoken, $count, $orderby; page with $top and the @odata.nextLink of each page",
      ],
      [{ $format: 'json' }, "Unsupported query option '$format'"],
      [{ $filter: ['a', 'b'] }, "Query option '$filter' is given more than once; give it once"],
      [
        { $filter: "status eq 'Granted'", $FILTER: "status eq 'Denied'" },
        "Query option '$filter' is given more than once",
      ],
      [{ $top: [] }, "Query option '$top' is given more than once"],
      [{ $top: { n: 1 } }, "Query option '$top' must be text"],
      [{ $top: '0' }, "Invalid $top: '0'; use a whole number from 1 to 50"],
      [{ $top: '51' }, "Invalid $top: '51'; use a whole number from 1 to 50"],
      [{ $top: '-1' }, "Invalid $top: '-1'"],
      [{ $top: '2.5' }, "Invalid $top: '2.5'"],
      [{ $top: 'ten' }, "Invalid $top: 'ten'"],
      [{ $top: '' }, "Invalid $top: ''"],
      [{ $top: '99999999999999999999' }, "Invalid $top: '99999999999999999999'"],
      [{ $count: 'yes' }, "Invalid $count: 'yes'; use true or false"],
      [
        { $select: 'id,secret' },
        "Invalid $select: 'secret' is not a property of this resource; use one of: id, status",
      ],
      [{ $select: 'id,,status' }, "Invalid $select: an empty name in 'id,,status'; use one of:"],
      [
        { $orderby: 'justification' },
        "Invalid $orderby: 'justification' is not sortable on this resource; use one of: createdDateTime, status",
      ],
      [
        { $orderby: 'status up' },
        "Invalid $orderby: 'status up' is not a property optionally followed by asc or desc, e.g. createdDateTime desc",
      ],
      [{ $orderby: 'status,' }, "Invalid $orderby: '' is not a property optionally followed by asc or desc"],
      [{ $orderby: 'status, STATUS desc' }, "Invalid $orderby: 'status' appears more than once"],
      [{ $expand: 'manager' }, "Invalid $expand: 'manager' cannot be expanded on this resource"],
      [{ $skiptoken: 'garbage!' }, 'Invalid $skiptoken: it is not a token this service issued'],
      [
        { $filter: "foo eq 'x'" },
        "Invalid $filter: property 'foo' is not filterable on this resource; use one of: id, status",
      ],
      [{ $filter: "status eq 'x' foo" }, "Invalid $filter: unexpected 'foo' at position 14"],
      [{ $filter: '' }, 'Invalid $filter: the expression is empty'],
      [{ $select: 'x'.repeat(5000) }, 'Invalid $select: it is 5000 characters long; the limit is 4096'],
      [
        { $filter: `a eq '${'x'.repeat(5000)}'` },
        'Invalid $filter: the expression is 5007 characters long; the limit is 4096',
      ],
    ])('when given %j, then it throws ODataError saying %j', (query, message) => {
      expect(rejection(query).message).toContain(message);
    });

    it('when the spec lists no $select or $expand names, then those options are refused outright', () => {
      const spec: ListSpec = { fields: {} };
      expect(rejection({ $select: 'id' }, spec).message).toBe(
        'Invalid $select: this resource does not support $select',
      );
      expect(rejection({ $expand: 'x' }, spec).message).toBe(
        'Invalid $expand: this resource has no navigation properties to expand',
      );
      expect(rejection({ $orderby: 'x' }, spec).message).toBe(
        "Invalid $orderby: 'x' is not sortable on this resource",
      );
    });
  });

  describe('given arbitrary option values', () => {
    it('when parsed, then the result is options or an ODataError, never another exception', () => {
      const option = fc.constantFrom(
        '$filter',
        '$expand',
        '$select',
        '$top',
        '$skiptoken',
        '$count',
        '$orderby',
      );
      const value = fc.oneof(
        fc.string({ maxLength: 60 }),
        fc.constantFrom('status eq ', "'Granted'", 'principal(', '$select=', ')', ',', ';', 'desc', '1', '*'),
      );
      fc.assert(
        fc.property(fc.dictionary(option, value, { maxKeys: 4 }), (query) => {
          try {
            expect(parseQueryOptions(query, requestsSpec)).toHaveProperty('top');
          } catch (error) {
            expect(error).toBeInstanceOf(ODataError);
          }
        }),
        { numRuns: 1000 },
      );
    });
  });
});
