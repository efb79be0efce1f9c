import { describe, expect, it } from 'vitest';
import { coerceLiteral, isGuid, showLiteral } from './coerce-literal.js';
import { ODataError } from './errors.js';
import type { Literal } from './filter-ast.js';
import type { FieldSpec } from './list-spec.js';

describe('coerceLiteral', () => {
  it.each<[Pick<FieldSpec, 'type' | 'values'>, Literal, Literal]>([
    [{ type: 'string' }, { type: 'string', value: 'x' }, { type: 'string', value: 'x' }],
    [
      { type: 'string' },
      { type: 'guid', value: 'AAAAAAAA-0000-0000-0000-000000000000' },
      { type: 'string', value: 'AAAAAAAA-0000-0000-0000-000000000000' },
    ],
    [
      { type: 'guid' },
      { type: 'string', value: 'AAAAAAAA-0000-0000-0000-000000000000' },
      { type: 'guid', value: 'aaaaaaaa-0000-0000-0000-000000000000' },
    ],
    [
      { type: 'datetime' },
      { type: 'datetime', value: '2024-01-01' },
      { type: 'datetime', value: '2024-01-01' },
    ],
    [{ type: 'boolean' }, { type: 'boolean', value: false }, { type: 'boolean', value: false }],
    [{ type: 'number' }, { type: 'number', value: 0 }, { type: 'number', value: 0 }],
    [
      { type: 'enum', values: ['PendingApproval'] },
      { type: 'string', value: 'PENDINGAPPROVAL' },
      { type: 'string', value: 'PendingApproval' },
    ],
    [{ type: 'number' }, { type: 'null' }, { type: 'null' }],
  ])('given a %j field and %j, when coerced, then it becomes %j', (field, literal, expected) => {
    expect(coerceLiteral(field, literal, 'p')).toEqual(expected);
  });

  it('given an enum field without values, when coerced, then every value is refused with ODataError', () => {
    expect(() => coerceLiteral({ type: 'enum' }, { type: 'string', value: 'x' }, 'p')).toThrow(
      new ODataError("Invalid $filter: property 'p' lists no values it can be compared with, not 'x'"),
    );
  });

  it('given literals, when shown, then they are written as OData spells them', () => {
    expect(showLiteral({ type: 'string', value: "O'Brien" })).toBe("'O''Brien'");
    expect(showLiteral({ type: 'null' })).toBe('null');
    expect(showLiteral({ type: 'datetime', value: '2024-01-01T00:00:00Z' })).toBe('2024-01-01T00:00:00Z');
    expect(showLiteral({ type: 'number', value: 1.5 })).toBe('1.5');
  });

  it('given text, when checked for GUID shape, then only 8-4-4-4-12 hex passes', () => {
    expect(isGuid('071CC716-8147-4397-a5ba-b2105951cc0b')).toBe(true);
    expect(isGuid('071cc716-8147-4397-a5ba-b2105951cc0')).toBe(false);
    expect(isGuid('{071cc716-8147-4397-a5ba-b2105951cc0b}')).toBe(false);
  });
});
