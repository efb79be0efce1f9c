import { coerceLiteral } from './coerce-literal.js';
import { ODataError } from './errors.js';
import type { FilterNode, Literal, PropertyRef } from './filter-ast.js';
import {
  defaultOperations,
  type FieldSpec,
  type FilterOperation,
  findKey,
  type ListSpec,
} from './list-spec.js';

type Fields = Readonly<Record<string, FieldSpec>>;

interface Context {
  readonly spec: ListSpec;
  /** Range variable → the collection it ranges over and that collection's item fields. */
  readonly lambdas: ReadonlyMap<string, { readonly collection: string; readonly fields: Fields }>;
}

/**
 * Checks a parsed filter against what one endpoint allows: filterable properties, the operations each
 * accepts, literal types, `isof` types and `any`/`all` collections. Returns the filter in canonical form
 * (property names and enum values spelled as the spec spells them, GUIDs lower-cased) so that matching in
 * memory and compiling to SQL agree. Throws ODataError naming the property and what would work.
 */
export function validateFilter(node: FilterNode, spec: ListSpec): FilterNode {
  return check(node, { spec, lambdas: new Map() });
}

function check(node: FilterNode, context: Context): FilterNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, left: check(node.left, context), right: check(node.right, context) };
    case 'not':
      return { kind: 'not', operand: check(node.operand, context) };
    case 'compare': {
      const { property, field, path } = resolve(node.property, context);
      if (node.value.type === 'null') {
        if (node.op !== 'eq' && node.op !== 'ne') {
          throw new ODataError(
            `Invalid $filter: '${node.op}' cannot compare with null; use eq null or ne null`,
          );
        }
        requireOperation(field, 'null', path, `property '${path}' cannot be compared with null`);
        return { ...node, property };
      }
      requireOperation(field, node.op, path);
      return { ...node, property, value: coerceLiteral(field, node.value, path) };
    }
    case 'in': {
      const { property, field, path } = resolve(node.property, context);
      requireOperation(field, 'in', path);
      const values = node.values.map((value): Literal => {
        if (value.type === 'null') {
          throw new ODataError(
            `Invalid $filter: null cannot appear in the list after '${path} in'; use eq null`,
          );
        }
        return coerceLiteral(field, value, path);
      });
      return { kind: 'in', property, values };
    }
    case 'function': {
      if (node.name === 'isof') return checkIsOf(node.property, node.typeName, context);
      const { property, field, path } = resolve(node.property, context);
      requireOperation(field, node.name, path);
      return { ...node, property };
    }
    case 'lambda':
      return checkLambda(node, context);
  }
}

function checkLambda(node: Extract<FilterNode, { kind: 'lambda' }>, context: Context): FilterNode {
  const display = displayPath(node.collection);
  if (node.collection.variable !== undefined) {
    throw new ODataError(`Invalid $filter: any/all inside another any/all ('${display}') is not supported`);
  }
  const lambdas = context.spec.lambdas ?? {};
  const collection = findKey(lambdas, node.collection.path);
  if (collection === undefined) {
    const names = Object.keys(lambdas);
    const hint = names.length > 0 ? `; it is supported on: ${names.join(', ')}` : '';
    throw new ODataError(`Invalid $filter: any/all is not supported on '${display}'${hint}`);
  }
  const property = { path: collection };
  if (node.variable === undefined || node.predicate === undefined) return { ...node, collection: property };
  const scoped = new Map(context.lambdas);
  scoped.set(node.variable, { collection, fields: lambdas[collection]! });
  const predicate = check(node.predicate, { ...context, lambdas: scoped });
  return { ...node, collection: property, predicate };
}

function checkIsOf(target: PropertyRef | undefined, typeName: string, context: Context): FilterNode {
  const types = context.spec.types ?? {};
  const display = target === undefined ? '$it' : displayPath(target);
  const key =
    target === undefined ? '$it' : target.variable === undefined ? findKey(types, target.path) : undefined;
  if (key === undefined || types[key] === undefined) {
    throw new ODataError(`Invalid $filter: isof is not supported on '${display}'`);
  }
  const allowed = types[key];
  const canonical = allowed.find((name) => name.toLowerCase() === typeName.toLowerCase());
  if (canonical === undefined) {
    throw new ODataError(
      `Invalid $filter: isof cannot test '${display}' for '${typeName}'; use one of: ${allowed.join(', ')}`,
    );
  }
  return key === '$it'
    ? { kind: 'function', name: 'isof', typeName: canonical }
    : { kind: 'function', name: 'isof', property: { path: key }, typeName: canonical };
}

function resolve(
  ref: PropertyRef,
  context: Context,
): { property: PropertyRef; field: FieldSpec; path: string } {
  const lambda = ref.variable === undefined ? undefined : context.lambdas.get(ref.variable);
  const fields = lambda?.fields ?? context.spec.fields;
  const key = findKey(fields, ref.path);
  const field = key === undefined ? undefined : fields[key];
  if (key === undefined || field === undefined) {
    const where = lambda ? `items of '${lambda.collection}'` : 'this resource';
    const names = Object.keys(fields);
    const hint = names.length > 0 ? `; use one of: ${names.join(', ')}` : '';
    throw new ODataError(
      `Invalid $filter: property '${displayPath(ref)}' is not filterable on ${where}${hint}`,
    );
  }
  const property = ref.variable === undefined ? { path: key } : { variable: ref.variable, path: key };
  return { property, field, path: displayPath(property) };
}

function requireOperation(
  field: FieldSpec,
  operation: FilterOperation,
  path: string,
  problem?: string,
): void {
  const allowed = field.ops ?? defaultOperations(field.type);
  if (allowed.includes(operation)) return;
  const usable = allowed.map((op) => (op === 'null' ? 'eq null' : op)).join(', ');
  const what = problem ?? `'${operation}' is not supported on property '${path}'`;
  throw new ODataError(
    `Invalid $filter: ${what}; ${usable === '' ? 'it cannot be filtered' : `use ${usable}`}`,
  );
}

function displayPath(ref: PropertyRef): string {
  if (ref.variable === undefined) return ref.path;
  return ref.path === '' ? ref.variable : `${ref.variable}/${ref.path}`;
}
