import { describe, expect, it } from 'vitest';
import { ODataError } from './errors.js';
import type { FilterNode } from './filter-ast.js';
import { comparison, isofTypeName, literalOf, type Operand, unexpected } from './filter-operands.js';
import type { Token } from './tokenize-filter.js';

const at = (position: number): Token => ({ kind: 'identifier', text: 'x', position });
const property: Operand = { kind: 'property', ref: { path: 'size' }, token: at(0) };
const five: Operand = { kind: 'literal', literal: { type: 'number', value: 5 }, token: at(0) };
const condition: FilterNode = { kind: 'function', name: 'contains', property: { path: 'a' }, value: 'b' };

describe('comparison', () => {
  it.each([
    ['lt', 'gt'],
    ['le', 'ge'],
    ['gt', 'lt'],
    ['ge', 'le'],
    ['eq', 'eq'],
    ['ne', 'ne'],
  ] as const)(
    'given a literal on the left of %s, when built, then the operator is mirrored to %s',
    (op, mirror) => {
      expect(comparison(five, op, property, at(2))).toEqual({
        kind: 'compare',
        op: mirror,
        property: { path: 'size' },
        value: { type: 'number', value: 5 },
      });
    },
  );

  it('given a condition compared with false, when built, then it is negated', () => {
    const left: Operand = { kind: 'condition', node: condition, token: at(0) };
    const no: Operand = { kind: 'literal', literal: { type: 'boolean', value: false }, token: at(0) };
    expect(comparison(left, 'ne', no, at(1))).toBe(condition);
    expect(comparison(left, 'eq', no, at(1))).toEqual({ kind: 'not', operand: condition });
    expect(() => comparison(left, 'lt', no, at(1))).toThrow(ODataError);
  });
});

describe('literalOf', () => {
  it('given tokens, when read, then only literal tokens yield literals', () => {
    expect(literalOf({ kind: 'identifier', text: 'Null', position: 0 })).toEqual({ type: 'null' });
    expect(literalOf({ kind: 'identifier', text: 'status', position: 0 })).toBeUndefined();
    expect(literalOf({ kind: 'punctuation', text: '(', position: 0 })).toBeUndefined();
  });
});

describe('isofTypeName', () => {
  it('given a qualified name with or without #, when read, then the bare name comes back', () => {
    const name = (value: string): Operand => ({
      kind: 'literal',
      literal: { type: 'string', value },
      token: at(0),
    });
    expect(isofTypeName(name('#microsoft.graph.user'), 0)).toBe('microsoft.graph.user');
    expect(() => isofTypeName(name('user'), 0)).toThrow(ODataError);
    expect(() => isofTypeName(undefined, 0)).toThrow(ODataError);
  });
});

describe('unexpected', () => {
  it('given the end token, when described, then it says end of the expression', () => {
    expect(unexpected({ kind: 'end', text: '', position: 9 }, 'a value').message).toBe(
      'Invalid $filter: unexpected end of the expression at position 9; expected a value',
    );
  });
});
