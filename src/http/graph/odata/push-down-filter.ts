import type { Expression, SqlBool } from 'kysely';
import { type Columns, canCompile, compileFilter } from './compile-filter.js';
import type { FilterNode } from './filter-ast.js';

/**
 * The part of a validated `$filter` the database answers exactly: each top-level `and` term whose every
 * property has a column, compiled with `compileFilter` and joined with `and`; undefined when no term has.
 * Every item the filter accepts satisfies it, so a list may narrow by it in SQL (using its indexes) and run the
 * whole filter with `matchFilter` on what comes back.
 */
export function pushDownFilter(
  filter: FilterNode | undefined,
  columns: Columns,
): Expression<SqlBool> | undefined {
  if (filter === undefined) return undefined;
  const terms = conjuncts(filter).filter((term) => canCompile(term, columns));
  if (terms.length === 0) return undefined;
  const joined = terms
    .slice(1)
    .reduce<FilterNode>((left, right) => ({ kind: 'and', left, right }), terms[0]!);
  return compileFilter(joined, columns);
}

/** The value of a top-level `property eq value` term (joined with `and`), as the filter gives it. */
export function equalityTerm(filter: FilterNode | undefined, property: string): string | undefined {
  if (filter === undefined) return undefined;
  for (const term of conjuncts(filter)) {
    if (term.kind !== 'compare' || term.op !== 'eq' || term.property.variable !== undefined) continue;
    if (term.property.path !== property || !('value' in term.value)) continue;
    return String(term.value.value);
  }
  return undefined;
}

function conjuncts(node: FilterNode): FilterNode[] {
  return node.kind === 'and' ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node];
}
