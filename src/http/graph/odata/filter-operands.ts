import { ODataError } from './errors.js';
import type { ComparisonOperator, FilterNode, Literal, PropertyRef } from './filter-ast.js';
import type { Token } from './tokenize-filter.js';

/** What the parser holds between tokens: a property path, a literal, or a finished condition. */
export type Operand =
  | { readonly kind: 'property'; readonly ref: PropertyRef; readonly token: Token }
  | { readonly kind: 'literal'; readonly literal: Literal; readonly token: Token }
  | { readonly kind: 'condition'; readonly node: FilterNode; readonly token: Token };

const mirrored: Record<ComparisonOperator, ComparisonOperator> = {
  eq: 'eq',
  ne: 'ne',
  lt: 'gt',
  le: 'ge',
  gt: 'lt',
  ge: 'le',
};
const qualifiedTypeName = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/;

/**
 * Builds the node for `left op right`: a property against a literal (mirroring the operator when the literal
 * comes first), or a condition against `true`/`false`. Anything else throws ODataError.
 */
export function comparison(
  left: Operand,
  op: ComparisonOperator,
  right: Operand,
  opToken: Token,
): FilterNode {
  if (left.kind === 'property' && right.kind === 'literal') {
    return { kind: 'compare', op, property: left.ref, value: right.literal };
  }
  if (left.kind === 'literal' && right.kind === 'property') {
    return { kind: 'compare', op: mirrored[op], property: right.ref, value: left.literal };
  }
  if (left.kind === 'condition' && right.kind === 'literal' && right.literal.type === 'boolean') {
    if (op === 'eq' || op === 'ne') {
      return right.literal.value === (op === 'eq') ? left.node : { kind: 'not', operand: left.node };
    }
  }
  if (left.kind === 'property' && right.kind === 'property') {
    throw new ODataError(
      `Invalid $filter: '${op}' at position ${opToken.position} compares two properties; ` +
        'compare a property with a literal instead',
    );
  }
  throw new ODataError(
    `Invalid $filter: '${op}' at position ${opToken.position} needs a property on one side and a literal ` +
      "on the other, e.g. status eq 'Granted'",
  );
}

/** A token's text lower-cased when it is an identifier (keywords are case-insensitive). */
export function keyword(token: Token): string | undefined {
  return token.kind === 'identifier' ? token.text.toLowerCase() : undefined;
}

/** The literal a token spells, or undefined when it is not a literal. */
export function literalOf(token: Token): Literal | undefined {
  switch (token.kind) {
    case 'string':
      return { type: 'string', value: token.value };
    case 'number':
      if (!Number.isFinite(token.value)) {
        throw new ODataError(
          `Invalid $filter: the number '${token.text}' at position ${token.position} is too large`,
        );
      }
      return { type: 'number', value: token.value };
    case 'guid':
      return { type: 'guid', value: token.text };
    case 'datetime':
      return { type: 'datetime', value: token.text };
    case 'identifier': {
      const word = keyword(token);
      if (word === 'true' || word === 'false') return { type: 'boolean', value: word === 'true' };
      if (word === 'null') return { type: 'null' };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The type name `isof` tests, without a leading `#`; it must be namespace-qualified. */
export function isofTypeName(operand: Operand | undefined, at: number): string {
  const literal = operand?.kind === 'literal' ? operand.literal : undefined;
  const name = literal?.type === 'string' ? literal.value.replace(/^#/, '') : undefined;
  if (name === undefined || !qualifiedTypeName.test(name)) {
    throw new ODataError(
      `Invalid $filter: isof at position ${at} needs a quoted, namespace-qualified type name, ` +
        "e.g. 'microsoft.graph.user'",
    );
  }
  return name;
}

/** The error for a token the grammar did not expect at this point. */
export function unexpected(token: Token, expected: string): ODataError {
  return new ODataError(
    `Invalid $filter: unexpected ${describe(token)} at position ${token.position}; expected ${expected}`,
  );
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'end of the expression';
  const text = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  return token.kind === 'string' ? `string ${text}` : `'${text}'`;
}
