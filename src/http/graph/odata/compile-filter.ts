import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import { coerceLiteral, isGuid } from './coerce-literal.js';
import { ODataError } from './errors.js';
import type { ComparisonOperator, FilterNode, Literal, PropertyRef } from './filter-ast.js';
import { type FieldSpec, findKey } from './list-spec.js';

/**
 * Where a Graph property lives in SQL. `column` may be qualified (`r.status`). Enum columns compare through
 * `lower()` unless `caseInsensitive` is false; other columns only when it is true. `values` maps a Graph
 * value to the stored one (enum spellings, or `isof` type names: the column for `isof(principal,'T')` is
 * keyed `principal/@odata.type`, for `isof('T')` `@odata.type`, and by default holds `#T`). GUID literals
 * are bound lower-cased, so GUID columns should be `uuid` or hold lower-case text.
 */
export interface ColumnSpec {
  readonly column: string;
  readonly type: FieldSpec['type'];
  readonly caseInsensitive?: boolean;
  /**
   * For a string column that holds GUIDs in lower case (and other text): a GUID-shaped literal is bound
   * lower-cased, as `matchFilter` compares two GUIDs ignoring case, so an index on the column still serves.
   */
  readonly lowerCaseGuids?: boolean;
  readonly values?: Readonly<Record<string, string>>;
}

export type Columns = Readonly<Record<string, ColumnSpec>>;

const symbols: Record<ComparisonOperator, string> = {
  eq: '=',
  ne: 'is distinct from',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
};

/**
 * Compiles a validated filter into a SQL condition with the same meaning as `matchFilter`: every value is a
 * bound parameter, `ne` holds for NULL (`is distinct from`), and `not` treats an unknown (NULL) result as
 * false. Throws ODataError when part of the filter has no column (any/all, unmapped properties); check
 * with `canCompile` and fall back to `matchFilter`.
 */
export function compileFilter(node: FilterNode, columns: Columns): Expression<SqlBool> {
  return build(node, columns);
}

/** True when `compileFilter` can translate the whole filter with these columns. */
export function canCompile(node: FilterNode, columns: Columns): boolean {
  try {
    build(node, columns);
    return true;
  } catch (error) {
    if (error instanceof ODataError) return false;
    throw error;
  }
}

function build(node: FilterNode, columns: Columns): RawBuilder<SqlBool> {
  switch (node.kind) {
    case 'and':
      return sql<SqlBool>`(${build(node.left, columns)} and ${build(node.right, columns)})`;
    case 'or':
      return sql<SqlBool>`(${build(node.left, columns)} or ${build(node.right, columns)})`;
    case 'not':
      return sql<SqlBool>`not coalesce(${build(node.operand, columns)}, false)`;
    case 'compare': {
      const target = column(node.property, columns);
      if (node.value.type === 'null') {
        return node.op === 'eq'
          ? sql<SqlBool>`${target.ref} is null`
          : sql<SqlBool>`${target.ref} is not null`;
      }
      const value = parameter(target, node.value);
      return sql<SqlBool>`${target.operand} ${sql.raw(symbols[node.op])} ${value}`;
    }
    case 'in': {
      const target = column(node.property, columns);
      const values = node.values.map((value) => parameter(target, value));
      return sql<SqlBool>`${target.operand} in (${sql.join(values)})`;
    }
    case 'function': {
      if (node.name === 'isof') {
        const path = node.property === undefined ? '@odata.type' : `${pathOf(node.property)}/@odata.type`;
        const target = column({ path }, columns);
        const stored = mapValue(target.spec, node.typeName) ?? `#${node.typeName}`;
        return sql<SqlBool>`${target.operand} = ${target.caseInsensitive ? stored.toLowerCase() : stored}`;
      }
      const target = column(node.property, columns);
      const text = target.caseInsensitive ? node.value.toLowerCase() : node.value;
      const escaped = text.replace(/[\\%_]/g, '\\$&');
      const pattern =
        node.name === 'startswith'
          ? `${escaped}%`
          : node.name === 'endswith'
            ? `%${escaped}`
            : `%${escaped}%`;
      return sql<SqlBool>`${target.operand} like ${pattern} escape '\\'`;
    }
    case 'lambda':
      throw new ODataError(
        `Invalid $filter: ${node.op}(…) on '${pathOf(node.collection)}' cannot be evaluated in the database`,
      );
  }
}

interface Target {
  readonly spec: ColumnSpec;
  readonly path: string;
  readonly ref: RawBuilder<unknown>;
  /** The column as compared: wrapped in `lower()` when case-insensitive. */
  readonly operand: RawBuilder<unknown>;
  readonly caseInsensitive: boolean;
}

function column(property: PropertyRef, columns: Columns): Target {
  const path = pathOf(property);
  const key = property.variable === undefined ? findKey(columns, property.path) : undefined;
  const spec = key === undefined ? undefined : columns[key];
  if (spec === undefined) {
    throw new ODataError(`Invalid $filter: property '${path}' cannot be evaluated in the database`);
  }
  const ref = sql.ref(spec.column);
  const caseInsensitive = spec.caseInsensitive ?? spec.type === 'enum';
  return { spec, path, ref, operand: caseInsensitive ? sql`lower(${ref})` : ref, caseInsensitive };
}

function parameter(target: Target, literal: Literal): unknown {
  if (literal.type === 'null') {
    throw new ODataError(`Invalid $filter: null cannot appear in the list after '${target.path} in'`);
  }
  const type = target.spec.type === 'enum' ? 'string' : target.spec.type;
  const value = coerceLiteral({ type }, literal, target.path);
  switch (value.type) {
    case 'datetime':
      return new Date(Date.parse(value.value));
    case 'string': {
      const stored = mapValue(target.spec, value.value) ?? value.value;
      const lower = target.caseInsensitive || (target.spec.lowerCaseGuids === true && isGuid(stored));
      return lower ? stored.toLowerCase() : stored;
    }
    case 'guid':
      return value.value.toLowerCase();
    case 'number':
    case 'boolean':
      return value.value;
    case 'null':
      return null;
  }
}

function mapValue(spec: ColumnSpec, value: string): string | undefined {
  const key = spec.values === undefined ? undefined : findKey(spec.values, value);
  return key === undefined ? undefined : spec.values?.[key];
}

function pathOf(property: PropertyRef): string {
  if (property.variable === undefined) return property.path;
  return property.path === '' ? property.variable : `${property.variable}/${property.path}`;
}
