/** What one Graph list endpoint accepts in its query options; `parseQueryOptions` validates against it. */

export type FieldType = 'string' | 'guid' | 'datetime' | 'boolean' | 'number' | 'enum';

/** `null` allows `eq null` / `ne null`; the others name the comparison or function. */
export type FilterOperation =
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'in'
  | 'startswith'
  | 'endswith'
  | 'contains'
  | 'null';

export interface FieldSpec {
  readonly type: FieldType;
  /** For `enum`: the values in their canonical spelling; clients may use any case. */
  readonly values?: readonly string[];
  /** Allowed operations; when absent, the defaults for the type (see `defaultOperations`). */
  readonly ops?: readonly FilterOperation[];
}

export interface ListSpec {
  /** Filterable properties by Graph path (`principalId`, `scheduleInfo/startDateTime`). */
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /**
   * Allowed `$expand` names. A nested `$expand` inside parentheses must be listed as a path:
   * `['policy', 'policy/rules']` allows `$expand=policy($expand=rules)`. `'*'` allows `$expand=*`.
   * When absent, `$expand` is refused.
   */
  readonly expand?: readonly string[];
  /** Allowed `$select` names. When absent, `$select` is refused. */
  readonly select?: readonly string[];
  /** Allowed `$orderby` properties; when absent, any property in `fields`. */
  readonly orderBy?: readonly string[];
  /** Largest `$top` (default 999). */
  readonly maxTop?: number;
  /** Page size without `$top` (default 100). */
  readonly defaultTop?: number;
  /** Collection path → filterable properties of its items, for `any(…)` / `all(…)`. */
  readonly lambdas?: Readonly<Record<string, Readonly<Record<string, FieldSpec>>>>;
  /**
   * Navigation path → the derived type names `isof` may test there, e.g.
   * `{ principal: ['microsoft.graph.user', 'microsoft.graph.group'] }`. Use `$it` for `isof('type')`.
   */
  readonly types?: Readonly<Record<string, readonly string[]>>;
}

const comparisons: readonly FilterOperation[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

/** The operations a field allows when its spec lists none. */
export function defaultOperations(type: FieldType): readonly FilterOperation[] {
  switch (type) {
    case 'string':
      return ['eq', 'ne', 'in', 'startswith', 'null'];
    case 'guid':
    case 'enum':
      return ['eq', 'ne', 'in', 'null'];
    case 'datetime':
      return [...comparisons, 'null'];
    case 'number':
      return [...comparisons, 'in', 'null'];
    case 'boolean':
      return ['eq', 'ne', 'null'];
  }
}

/** The key of `record` equal to `name` ignoring case (Graph property names are), preferring an exact match. */
export function findKey(record: Readonly<Record<string, unknown>>, name: string): string | undefined {
  if (Object.hasOwn(record, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(record).find((key) => key.toLowerCase() === lower);
}
