import { type FilterNode, ODataError } from '../odata/index.js';

/** What the mandatory `$filter` of a PIM for Groups list names (research §3.1, §8.1). */
export interface GroupListScope {
  readonly groupId?: string;
  readonly principalId?: string;
}

export const groupFilterText = "$filter=groupId eq '{groupId}' or $filter=principalId eq '{principalId}'";

/**
 * The group or principal a PIM for Groups list is narrowed to: Graph refuses these lists without
 * `groupId eq '…'` or `principalId eq '…'` (joined with `and` to any other condition) — 400, as Graph does.
 * The rest of the filter still applies to the items.
 */
export function mandatoryGroupFilter(filter: FilterNode | undefined): GroupListScope {
  const found: { groupId?: string; principalId?: string } = {};
  const visit = (node: FilterNode): void => {
    if (node.kind === 'and') {
      visit(node.left);
      visit(node.right);
      return;
    }
    if (node.kind !== 'compare' || node.op !== 'eq' || !('value' in node.value)) return;
    const name = node.property.path;
    if (name === 'groupId' || name === 'principalId') found[name] = String(node.value.value).toLowerCase();
  };
  if (filter) visit(filter);
  if (found.groupId === undefined && found.principalId === undefined) {
    throw new ODataError(
      `${filter ? 'The $filter names neither groupId nor principalId with eq' : 'The $filter is missing'}. This list requires ${groupFilterText}.`,
    );
  }
  return found;
}
