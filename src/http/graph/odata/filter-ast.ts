/** The tree `parseFilter` builds from an OData `$filter` expression. Every node is immutable. */

export type ComparisonOperator = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type StringFunctionName = 'startswith' | 'endswith' | 'contains';

/**
 * A literal as written in the expression. `guid` and `datetime` are the unquoted forms
 * (`071cc716-8147-4397-a5ba-b2105951cc0b`, `2024-01-01T00:00:00Z`); `datetime.value` is the text as
 * written and always carries a time zone (or is a bare date, meaning midnight UTC).
 */
export type Literal =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' }
  | { readonly type: 'guid'; readonly value: string }
  | { readonly type: 'datetime'; readonly value: string };

/**
 * A property path such as `scheduleInfo/startDateTime`. Inside a lambda, a path that starts with the range
 * variable names it in `variable` and keeps the rest in `path` (`t/id` → `{ variable: 't', path: 'id' }`;
 * the variable alone has `path: ''`).
 */
export interface PropertyRef {
  readonly path: string;
  readonly variable?: string;
}

export interface CompareNode {
  readonly kind: 'compare';
  readonly op: ComparisonOperator;
  readonly property: PropertyRef;
  readonly value: Literal;
}

export interface InNode {
  readonly kind: 'in';
  readonly property: PropertyRef;
  readonly values: readonly Literal[];
}

export interface AndNode {
  readonly kind: 'and';
  readonly left: FilterNode;
  readonly right: FilterNode;
}

export interface OrNode {
  readonly kind: 'or';
  readonly left: FilterNode;
  readonly right: FilterNode;
}

export interface NotNode {
  readonly kind: 'not';
  readonly operand: FilterNode;
}

/** `startswith(property,'text')`, `endswith(…)`, `contains(…)`. */
export interface StringFunctionNode {
  readonly kind: 'function';
  readonly name: StringFunctionName;
  readonly property: PropertyRef;
  readonly value: string;
}

/**
 * `isof(principal,'microsoft.graph.user')`, or `isof('microsoft.graph.user')` for the item itself
 * (`property` absent). `typeName` is the qualified name without a leading `#`.
 */
export interface IsOfNode {
  readonly kind: 'function';
  readonly name: 'isof';
  readonly property?: PropertyRef;
  readonly typeName: string;
}

/**
 * `targetResources/any(t: t/id eq 'x')`. `any()` without a predicate (variable and predicate absent)
 * asks whether the collection is non-empty.
 */
export interface LambdaNode {
  readonly kind: 'lambda';
  readonly op: 'any' | 'all';
  readonly collection: PropertyRef;
  readonly variable?: string;
  readonly predicate?: FilterNode;
}

export type FilterNode =
  | CompareNode
  | InNode
  | AndNode
  | OrNode
  | NotNode
  | StringFunctionNode
  | IsOfNode
  | LambdaNode;
