import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ODataError } from './errors.js';
import type { ComparisonOperator, FilterNode, Literal } from './filter-ast.js';
import { parseFilter } from './parse-filter.js';

const str = (value: string): Literal => ({ type: 'string', value });
const cmp = (path: string, op: ComparisonOperator, value: Literal): FilterNode => ({
  kind: 'compare',
  op,
  property: { path },
  value,
});
const eq = (path: string, value: string) => cmp(path, 'eq', str(value));

function rejection(text: string): ODataError {
  try {
    parseFilter(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ODataError);
    return error as ODataError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseFilter', () => {
  describe('given filters from the Graph PIM docs', () => {
    it('when a status is compared, then it is one eq comparison', () => {
      expect(parseFilter("status eq 'PendingApproval'")).toEqual(eq('status', 'PendingApproval'));
    });

    it('when two ids are combined with and, then both comparisons hang under one and', () => {
      const filter =
        "principalId eq '071cc716-8147-4397-a5ba-b2105951cc0b' and " +
        "roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'";
      expect(parseFilter(filter)).toEqual({
        kind: 'and',
        left: eq('principalId', '071cc716-8147-4397-a5ba-b2105951cc0b'),
        right: eq('roleDefinitionId', '62e90394-69f5-4237-9190-012177145e10'),
      });
    });

    it("when the alerts' mandatory scope filter is given, then it parses", () => {
      expect(parseFilter("scopeId eq '/' and scopeType eq 'DirectoryRole'")).toEqual({
        kind: 'and',
        left: eq('scopeId', '/'),
        right: eq('scopeType', 'DirectoryRole'),
      });
    });

    it('when an audit date range uses unquoted date-times, then they are datetime literals', () => {
      const filter = 'activityDateTime ge 2024-01-01T00:00:00Z and activityDateTime lt 2024-02-01T00:00:00Z';
      expect(parseFilter(filter)).toEqual({
        kind: 'and',
        left: cmp('activityDateTime', 'ge', { type: 'datetime', value: '2024-01-01T00:00:00Z' }),
        right: cmp('activityDateTime', 'lt', { type: 'datetime', value: '2024-02-01T00:00:00Z' }),
      });
    });

    it('when any() ranges over target resources, then the predicate refers to the range variable', () => {
      expect(parseFilter("targetResources/any(t: t/id eq 'abc')")).toEqual({
        kind: 'lambda',
        op: 'any',
        collection: { path: 'targetResources' },
        variable: 't',
        predicate: { kind: 'compare', op: 'eq', property: { variable: 't', path: 'id' }, value: str('abc') },
      });
    });

    it('when in lists values, then every value is kept in order', () => {
      expect(parseFilter("roleDefinitionId in ('a','b')")).toEqual({
        kind: 'in',
        property: { path: 'roleDefinitionId' },
        values: [str('a'), str('b')],
      });
    });

    it('when a scope is compared with null, then the literal is null', () => {
      expect(parseFilter('directoryScopeId eq null')).toEqual(
        cmp('directoryScopeId', 'eq', { type: 'null' }),
      );
    });

    it('when isof tests the principal, then it stays a function node', () => {
      expect(parseFilter("isof(principal,'microsoft.graph.user')")).toEqual({
        kind: 'function',
        name: 'isof',
        property: { path: 'principal' },
        typeName: 'microsoft.graph.user',
      });
    });

    it('when contains looks into a nested path, then the path keeps its segments', () => {
      expect(parseFilter("contains(scope/query, './members')")).toEqual({
        kind: 'function',
        name: 'contains',
        property: { path: 'scope/query' },
        value: './members',
      });
    });
  });

  describe('given literals of every kind', () => {
    it.each<[string, Literal]>([
      ["'text'", str('text')],
      ["'O''Brien'", str("O'Brien")],
      ["''''", str("'")],
      ["''", str('')],
      ["'a and b eq c'", str('a and b eq c')],
      ['42', { type: 'number', value: 42 }],
      ['-1.5', { type: 'number', value: -1.5 }],
      ['1e3', { type: 'number', value: 1000 }],
      ['true', { type: 'boolean', value: true }],
      ['FALSE', { type: 'boolean', value: false }],
      ['null', { type: 'null' }],
      [
        '071cc716-8147-4397-a5ba-b2105951cc0b',
        { type: 'guid', value: '071cc716-8147-4397-a5ba-b2105951cc0b' },
      ],
      [
        'FE930BE7-5E62-47DB-91AF-98C3A49A38B1',
        { type: 'guid', value: 'FE930BE7-5E62-47DB-91AF-98C3A49A38B1' },
      ],
      ['2024-01-01', { type: 'datetime', value: '2024-01-01' }],
      ['2024-02-29T23:59:59.9014347Z', { type: 'datetime', value: '2024-02-29T23:59:59.9014347Z' }],
      ['2024-01-01T10:00:00+02:00', { type: 'datetime', value: '2024-01-01T10:00:00+02:00' }],
      ['2024-01-01T10:00Z', { type: 'datetime', value: '2024-01-01T10:00Z' }],
    ])('when comparing with %s, then the literal is %j', (text, literal) => {
      expect(parseFilter(`p eq ${text}`)).toEqual(cmp('p', 'eq', literal));
    });
  });

  describe('given precedence and grouping', () => {
    const [a, b, c] = [eq('a', '1'), eq('b', '2'), eq('c', '3')];

    it('when and meets or, then and binds tighter', () => {
      expect(parseFilter("a eq '1' or b eq '2' and c eq '3'")).toEqual({
        kind: 'or',
        left: a,
        right: { kind: 'and', left: b, right: c },
      });
    });

    it('when parentheses group an or, then the grouping wins', () => {
      expect(parseFilter("(a eq '1' or b eq '2') and c eq '3'")).toEqual({
        kind: 'and',
        left: { kind: 'or', left: a, right: b },
        right: c,
      });
    });

    it('when not precedes a group, then it applies to the group only', () => {
      expect(parseFilter("not (a eq '1') and b eq '2'")).toEqual({
        kind: 'and',
        left: { kind: 'not', operand: a },
        right: b,
      });
    });

    it('when and/or chain, then they associate to the left', () => {
      expect(parseFilter("a eq '1' and b eq '2' and c eq '3'")).toEqual({
        kind: 'and',
        left: { kind: 'and', left: a, right: b },
        right: c,
      });
    });

    it('when not is doubled, then both nots are kept', () => {
      expect(parseFilter("not not startswith(a,'x')")).toEqual({
        kind: 'not',
        operand: {
          kind: 'not',
          operand: { kind: 'function', name: 'startswith', property: { path: 'a' }, value: 'x' },
        },
      });
    });

    it('when keywords are upper case and spacing is loose, then they still parse', () => {
      expect(parseFilter("  ( a EQ '1' )OR(b Eq '2')  ")).toEqual({ kind: 'or', left: a, right: b });
    });
  });

  describe('given comparison forms', () => {
    it.each<[string, FilterNode]>([
      ["'x' eq name", eq('name', 'x')],
      ['5 lt size', cmp('size', 'gt', { type: 'number', value: 5 })],
      ['5 ge size', cmp('size', 'le', { type: 'number', value: 5 })],
      [
        'scheduleInfo/startDateTime le 2024-01-01T00:00:00Z',
        cmp('scheduleInfo/startDateTime', 'le', { type: 'datetime', value: '2024-01-01T00:00:00Z' }),
      ],
      ["principal/id ne 'x'", cmp('principal/id', 'ne', str('x'))],
    ])('when given %s, then the property is on the left with the operator mirrored', (text, node) => {
      expect(parseFilter(text)).toEqual(node);
    });

    it('when a function is compared with true or false, then it becomes the function or its negation', () => {
      const fn: FilterNode = {
        kind: 'function',
        name: 'endswith',
        property: { path: 'mail' },
        value: '@x.com',
      };
      expect(parseFilter("endswith(mail,'@x.com') eq true")).toEqual(fn);
      expect(parseFilter("endswith(mail,'@x.com') eq false")).toEqual({ kind: 'not', operand: fn });
      expect(parseFilter("endswith(mail,'@x.com') ne true")).toEqual({ kind: 'not', operand: fn });
    });

    it('when isof has one argument, then it tests the item itself and drops a leading #', () => {
      expect(parseFilter("isof('#microsoft.graph.group')")).toEqual({
        kind: 'function',
        name: 'isof',
        typeName: 'microsoft.graph.group',
      });
    });
  });

  describe('given lambdas', () => {
    it('when any() has no predicate, then it only asks for a non-empty collection', () => {
      expect(parseFilter('members/any()')).toEqual({
        kind: 'lambda',
        op: 'any',
        collection: { path: 'members' },
      });
    });

    it('when all() compares the variable itself, then the variable has an empty path', () => {
      expect(parseFilter("tags/all(x: x ne 'old')")).toEqual({
        kind: 'lambda',
        op: 'all',
        collection: { path: 'tags' },
        variable: 'x',
        predicate: { kind: 'compare', op: 'ne', property: { variable: 'x', path: '' }, value: str('old') },
      });
    });

    it('when lambdas nest, then the inner collection hangs off the outer variable', () => {
      const node = parseFilter("groups/any(g: g/members/any(m: m/id eq 'u' and status eq 'x'))");
      expect(node).toEqual({
        kind: 'lambda',
        op: 'any',
        collection: { path: 'groups' },
        variable: 'g',
        predicate: {
          kind: 'lambda',
          op: 'any',
          collection: { variable: 'g', path: 'members' },
          variable: 'm',
          predicate: {
            kind: 'and',
            left: { kind: 'compare', op: 'eq', property: { variable: 'm', path: 'id' }, value: str('u') },
            right: eq('status', 'x'),
          },
        },
      });
    });

    it('when a name outside the lambda matches a former variable, then it is a plain property again', () => {
      const node = parseFilter("r/any(t: t/id eq 'a') and t eq 'b'");
      expect(node).toMatchObject({ kind: 'and', right: eq('t', 'b') });
    });
  });

  describe('given invalid filters', () => {
    it.each<[string, string]>([
      [
        "principalId foo 'x'",
        "Invalid $filter: unexpected 'foo' at position 12; expected eq, ne, lt, le, gt, ge or in",
      ],
      [
        'principalId',
        'unexpected end of the expression at position 11; expected eq, ne, lt, le, gt, ge or in',
      ],
      [
        'status eq',
        "unexpected end of the expression at position 9; expected a property, a literal, 'not' or '('",
      ],
      ["status eq 'x' foo", "unexpected 'foo' at position 14; expected and, or or the end of the expression"],
      ["status eq 'x' and", 'unexpected end of the expression at position 17'],
      ["(status eq 'x'", "unexpected end of the expression at position 14; expected and, or or ')'"],
      ["status eq 'x')", "unexpected ')' at position 13"],
      ["status eq 'x", 'the string starting at position 10 has no closing quote'],
      ['status eq "x"', "unexpected character '\"' at position 10; quote strings with single quotes"],
      ["status eq 'x' && a eq 'b'", "unexpected character '&' at position 14"],
      ["status == 'x'", "unexpected character '=' at position 7"],
      ["not status eq 'x'", "'not' at position 0 must be followed by a condition in parentheses"],
      ['a eq b', "'eq' at position 2 compares two properties"],
      ["'a' eq 'b'", "'eq' at position 4 needs a property on one side and a literal on the other"],
      ["(a eq 'x') lt true", "'lt' at position 11 needs a property on one side and a literal on the other"],
      ['a in ()', "the list after 'in' at position 2 is empty"],
      ["a in 'x'", "unexpected string 'x' at position 5; expected '(' to open the list of values"],
      ["a in ('x' 'y')", "unexpected string 'y' at position 10; expected ',' or ')' to close the list"],
      ["a in ('x', b)", "unexpected 'b' at position 11; expected a literal value in the list"],
      ["'x' in ('x')", "'in' at position 4 must follow a property"],
      [
        "tolower(a) eq 'x'",
        "unknown function 'tolower' at position 0; the supported functions are startswith",
      ],
      ['startswith(a)', 'startswith at position 0 takes a property and a quoted string'],
      ["startswith('x', a)", 'startswith at position 0 takes a property and a quoted string'],
      ['startswith(a, 5)', 'startswith at position 0 takes a property and a quoted string'],
      [
        "startswith(a, 'x'",
        "unexpected end of the expression at position 17; expected ',' or ')' in startswith(…)",
      ],
      [
        "isof(principal,'user')",
        "isof at position 0 needs a quoted, namespace-qualified type name, e.g. 'microsoft.graph.user'",
      ],
      ['isof(principal)', 'isof at position 0 needs a quoted, namespace-qualified type name'],
      ["isof('a.b', 'c.d')", 'isof at position 0 takes a type name and optionally a property first'],
      ['isof()', 'isof at position 0 takes a type name'],
      ["a/any(t t/id eq 'x')", "unexpected 't' at position 8; expected ':' after the range variable"],
      ['a/any(5 : x)', "unexpected '5' at position 6; expected a range variable, e.g. a/any(t: t/id eq 'x')"],
      ['a/all()', 'all() at position 2 needs a condition'],
      ["a/any(t: t/b/any(t: t eq 'x'))", "the range variable 't' at position 17 is already in use"],
      [
        "a/any(t: t/id eq 'x'",
        "unexpected end of the expression at position 20; expected and, or or ')' to close any(",
      ],
      ["a/(b) eq 'x'", "unexpected '(' at position 2; expected a property name after '/'"],
      ['a/', "unexpected end of the expression at position 2; expected a property name after '/'"],
      ["a/5:x eq 'x'", "'5:x' at position 2 is not a valid number, date-time or GUID"],
      ["a/'x' eq 'x'", "unexpected string 'x' at position 2; expected a property name after '/'"],
      ['a eq 2024-01-01T00:00:00', "the date-time '2024-01-01T00:00:00' at position 5 has no time zone"],
      ['a eq 2024-13-01T00:00:00Z', "'2024-13-01T00:00:00Z' at position 5 is not a valid date-time"],
      ['a eq 2023-02-29', "'2023-02-29' at position 5 is not a valid date-time"],
      ['a eq 2024-01-01T25:00:00Z', 'is not a valid date-time'],
      ['a eq 2024-1-1', "'2024-1-1' at position 5 is not a valid number, date-time or GUID"],
      ['a eq 12abc', "'12abc' at position 5 is not a valid number, date-time or GUID"],
      ['a eq 071cc716-8147-4397-a5ba', "'071cc716-8147-4397-a5ba' at position 5 is not a valid number"],
      ['a eq -', "'-' at position 5 is not a valid number"],
      ['a eq 1e999', "the number '1e999' at position 5 is too large"],
      ['', 'Invalid $filter: the expression is empty'],
      ['   ', 'Invalid $filter: the expression is empty'],
      [',', "unexpected ',' at position 0; expected a property, a literal, 'not' or '('"],
    ])('when given %j, then it throws ODataError saying %j', (text, message) => {
      expect(rejection(text).message).toContain(message);
    });

    it('when a long token is unexpected, then the message shortens it', () => {
      const message = rejection(`a ${'x'.repeat(100)}`).message;
      expect(message).toContain(`'${'x'.repeat(40)}…' at position 2`);
    });
  });

  describe('given bounds', () => {
    it('when the expression is longer than 4096 characters, then it is rejected before parsing', () => {
      const text = `a eq '${'x'.repeat(4100)}'`;
      expect(rejection(text).message).toBe(
        `Invalid $filter: the expression is ${text.length} characters long; the limit is 4096`,
      );
    });

    it('when it is exactly 4096 characters, then it parses', () => {
      const text = `a eq '${'x'.repeat(4096 - 7)}'`;
      expect(text).toHaveLength(4096);
      expect(parseFilter(text)).toMatchObject({ kind: 'compare' });
    });

    it('when parentheses nest 32 deep, then it parses; 33 deep, then it is rejected', () => {
      const nested = (depth: number) => `${'('.repeat(depth)}a eq 1${')'.repeat(depth)}`;
      expect(parseFilter(nested(32))).toEqual(cmp('a', 'eq', { type: 'number', value: 1 }));
      expect(rejection(nested(33)).message).toBe(
        'Invalid $filter: the expression nests deeper than 32 levels at position 32; remove parentheses or split the query',
      );
    });

    it('when nots and lambdas nest deeply, then they count towards the same limit', () => {
      expect(rejection(`${'not '.repeat(40)}startswith(a,'x')`).message).toContain(
        'nests deeper than 32 levels',
      );
      const lambdas = Array.from({ length: 40 }, (_, i) => `v${i}/c/any(v${i + 1}:`).join(' ');
      expect(rejection(`x/any(v0: ${lambdas} v40 eq 1${')'.repeat(41)}`).message).toContain('deeper than 32');
    });

    it('when a flat chain of and is near the length limit, then it parses without overflowing the stack', () => {
      const text = Array.from({ length: 300 }, (_, i) => `a eq ${i}`).join(' and ');
      expect(text.length).toBeLessThanOrEqual(4096);
      expect(parseFilter(text)).toMatchObject({ kind: 'and' });
    });
  });

  describe('given arbitrary input', () => {
    const expectNodeOrODataError = (text: string) => {
      try {
        expect(parseFilter(text)).toHaveProperty('kind');
      } catch (error) {
        if (!(error instanceof ODataError)) throw error;
        expect(error.message).toMatch(/^Invalid \$filter: /);
      }
    };

    it('when parsing any string, then it returns a node or throws ODataError, never anything else', () => {
      fc.assert(fc.property(fc.string({ maxLength: 200 }), expectNodeOrODataError), { numRuns: 2000 });
    });

    it('when parsing strings built from filter fragments, then it returns a node or throws ODataError', () => {
      const fragment = fc.constantFrom(
        'a',
        'b/c',
        ' eq ',
        ' ne ',
        ' lt ',
        ' in ',
        ' and ',
        ' or ',
        'not ',
        '(',
        ')',
        ',',
        ':',
        '/',
        "'x'",
        "''",
        "'",
        '1',
        '-2.5',
        'null',
        'true',
        '2024-01-01T00:00:00Z',
        '2024-01-01',
        '071cc716-8147-4397-a5ba-b2105951cc0b',
        'any(',
        'all(',
        't:',
        't/id',
        'startswith(',
        'isof(',
        "'microsoft.graph.user'",
        ' ',
      );
      const text = fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(''));
      fc.assert(fc.property(text, expectNodeOrODataError), { numRuns: 3000 });
    });
  });
});
