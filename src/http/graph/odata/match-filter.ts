import { isGuid } from './coerce-literal.js';
import type { ComparisonOperator, FilterNode, Literal, PropertyRef } from './filter-ast.js';

type Variables = ReadonlyMap<string, unknown>;

/**
 * Evaluates a filter against one Graph-shaped object in memory, with OData's semantics: a missing or null
 * property equals only `null` (so `x ne 'a'` holds when x is null, and `lt`/`gt` with null never hold);
 * date-times compare as instants whether stored as `Date` or ISO string; strings compare case-sensitively
 * except two GUIDs, which compare ignoring case. Run the filter through `parseQueryOptions` first so enum
 * values are in their canonical spelling.
 */
export function matchFilter(node: FilterNode, item: object): boolean {
  return evaluate(node, item, new Map());
}

function evaluate(node: FilterNode, item: object, variables: Variables): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, item, variables) && evaluate(node.right, item, variables);
    case 'or':
      return evaluate(node.left, item, variables) || evaluate(node.right, item, variables);
    case 'not':
      return !evaluate(node.operand, item, variables);
    case 'compare':
      return compare(read(node.property, item, variables), node.op, node.value);
    case 'in': {
      const actual = read(node.property, item, variables);
      return node.values.some((value) => compare(actual, 'eq', value));
    }
    case 'function': {
      if (node.name === 'isof') {
        const target = node.property === undefined ? item : read(node.property, item, variables);
        const type = isObject(target) ? target['@odata.type'] : undefined;
        return typeof type === 'string' && type.replace(/^#/, '') === node.typeName;
      }
      const actual = read(node.property, item, variables);
      if (typeof actual !== 'string') return false;
      if (node.name === 'startswith') return actual.startsWith(node.value);
      if (node.name === 'endswith') return actual.endsWith(node.value);
      return actual.includes(node.value);
    }
    case 'lambda': {
      const collection = read(node.collection, item, variables);
      const elements = Array.isArray(collection) ? collection : [];
      const { predicate, variable } = node;
      if (predicate === undefined || variable === undefined) return elements.length > 0;
      const test = (element: unknown) => evaluate(predicate, item, new Map(variables).set(variable, element));
      return node.op === 'any' ? elements.some(test) : elements.every(test);
    }
  }
}

function read(ref: PropertyRef, item: object, variables: Variables): unknown {
  let value: unknown = ref.variable === undefined ? item : variables.get(ref.variable);
  if (ref.path === '') return value;
  for (const segment of ref.path.split('/')) {
    if (!isObject(value) || !Object.hasOwn(value, segment)) return undefined;
    value = value[segment];
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** -1, 0 or 1 when `actual` and the literal are comparable; undefined when they are not. */
function order(actual: unknown, literal: Exclude<Literal, { type: 'null' }>): number | undefined {
  switch (literal.type) {
    case 'datetime': {
      const left = instant(actual);
      const right = instant(literal.value);
      return left === undefined || right === undefined ? undefined : Math.sign(left - right);
    }
    case 'number':
    case 'boolean':
      return typeof actual === typeof literal.value ? sign(Number(actual), Number(literal.value)) : undefined;
    case 'string':
    case 'guid': {
      if (typeof actual !== 'string') return undefined;
      if (isGuid(actual) && isGuid(literal.value))
        return sign(actual.toLowerCase(), literal.value.toLowerCase());
      return sign(actual, literal.value);
    }
  }
}

function compare(actual: unknown, op: ComparisonOperator, literal: Literal): boolean {
  if (literal.type === 'null' || actual === null || actual === undefined) {
    const bothNull = literal.type === 'null' && (actual === null || actual === undefined);
    if (op === 'eq') return bothNull;
    if (op === 'ne') return !bothNull;
    return false;
  }
  const result = order(actual, literal);
  if (result === undefined) return op === 'ne';
  switch (op) {
    case 'eq':
      return result === 0;
    case 'ne':
      return result !== 0;
    case 'lt':
      return result < 0;
    case 'le':
      return result <= 0;
    case 'gt':
      return result > 0;
    case 'ge':
      return result >= 0;
  }
}

function sign<T extends string | number | boolean>(left: T, right: T): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function instant(value: unknown): number | undefined {
  const time =
    value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}
