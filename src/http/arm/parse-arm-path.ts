import { isGuid, type ParsedScope, parseScopeSegments } from '../../core/scope/resource-scope.js';

/** The Microsoft.Authorization collections Elevate serves below any scope, by their ARM names. */
const armCollections = [
  'roleDefinitions',
  'roleEligibilityScheduleRequests',
  'roleAssignmentScheduleRequests',
  'roleEligibilitySchedules',
  'roleAssignmentSchedules',
  'roleEligibilityScheduleInstances',
  'roleAssignmentScheduleInstances',
  'roleManagementPolicies',
  'roleManagementPolicyAssignments',
] as const;
export type ArmCollection = (typeof armCollections)[number];

type TreeScope = Exclude<ParsedScope, { type: 'root' }>;

/** What an ARM URL path addresses. */
export type ArmPath =
  /** A scope of the resource tree itself: a management group, subscription, resource group or resource. */
  | { readonly kind: 'scope'; readonly scope: TreeScope }
  /** `/providers/Microsoft.Management/managementGroups/{g}/subscriptions/{s}`: a subscription placed in a group. */
  | {
      readonly kind: 'groupSubscription';
      readonly managementGroup: TreeScope;
      readonly subscription: TreeScope;
    }
  /** `{scope}/providers/Microsoft.Authorization/{collection}[/{name}[/{action}]]`. */
  | {
      readonly kind: 'authorization';
      readonly scope: ParsedScope;
      readonly collection: ArmCollection;
      readonly name: string | null;
      readonly action: 'cancel' | 'validate' | null;
    }
  /** `/providers/Microsoft.Authorization/elevateAccess`. */
  | { readonly kind: 'elevateAccess' }
  /** `/providers/Microsoft.Authorization/roleAssignmentApprovals/{id}[/stages[/{stageId}]]`. */
  | {
      readonly kind: 'approval';
      readonly approvalId: string;
      readonly stages: boolean;
      readonly stageId: string | null;
    };

export type ArmPathResult = ArmPath | { readonly kind: 'invalid'; readonly message: string };

const eq = (a: string | undefined, b: string): boolean => a?.toLowerCase() === b.toLowerCase();
const invalid = (message: string): ArmPathResult => ({ kind: 'invalid', message });
const canonicalCollection = new Map<string, ArmCollection>(armCollections.map((c) => [c.toLowerCase(), c]));

/** Splits a URL path (no query) into decoded segments; null when a segment is not valid percent-encoding. */
function segmentsOf(path: string): string[] | null {
  try {
    return path
      .split('/')
      .filter((s) => s.length > 0)
      .map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

/**
 * Parses the path of an ARM request: everything before the last `providers/Microsoft.Authorization` is the
 * scope (any depth: root, management group, subscription, resource group, resource), what follows names the
 * collection, the item and an action; a path without it addresses the tree. Keywords match in any letter case.
 */
export function parseArmPath(path: string): ArmPathResult {
  const segs = segmentsOf(path);
  if (segs === null) return invalid(`The path '${path}' is not validly encoded.`);
  if (segs.some((s) => s.includes('/') || s.trim() !== s || s.length > 260)) {
    return invalid('A path segment holds an encoded slash, surrounding spaces or more than 260 characters.');
  }
  let at = -1;
  for (let i = segs.length - 2; i >= 0; i--) {
    if (eq(segs[i], 'providers') && eq(segs[i + 1], 'Microsoft.Authorization')) {
      at = i;
      break;
    }
  }
  if (at === -1) return parseTreePath(segs);
  const scope = parseScopeSegments(segs.slice(0, at));
  if ('error' in scope) return invalid(scope.error);
  return parseAuthorization(scope, segs.slice(at + 2));
}

function parseTreePath(segs: readonly string[]): ArmPathResult {
  if (
    segs.length === 6 &&
    eq(segs[0], 'providers') &&
    eq(segs[1], 'Microsoft.Management') &&
    eq(segs[2], 'managementGroups') &&
    eq(segs[4], 'subscriptions')
  ) {
    const managementGroup = parseScopeSegments(segs.slice(0, 4));
    const subscription = parseScopeSegments(segs.slice(4));
    if ('error' in managementGroup) return invalid(managementGroup.error);
    if ('error' in subscription) return invalid(subscription.error);
    if (managementGroup.type === 'root' || subscription.type === 'root') return invalid('Not a scope.');
    return { kind: 'groupSubscription', managementGroup, subscription };
  }
  const scope = parseScopeSegments(segs);
  if ('error' in scope) return invalid(scope.error);
  if (scope.type === 'root') return invalid('The root scope is not a resource.');
  return { kind: 'scope', scope };
}

function parseAuthorization(scope: ParsedScope, rest: readonly string[]): ArmPathResult {
  const [first, name, third, fourth, ...more] = rest;
  if (first === undefined) {
    return invalid(
      `'providers/Microsoft.Authorization' must be followed by a collection: ${armCollections.join(', ')}.`,
    );
  }
  if (eq(first, 'elevateAccess')) {
    return scope.type === 'root' && rest.length === 1
      ? { kind: 'elevateAccess' }
      : invalid(
          "'elevateAccess' is served at the root scope only: POST /providers/Microsoft.Authorization/elevateAccess.",
        );
  }
  if (eq(first, 'roleAssignmentApprovals')) {
    if (
      scope.type !== 'root' ||
      name === undefined ||
      more.length > 0 ||
      (third !== undefined && !eq(third, 'stages'))
    ) {
      return invalid(
        "Approvals are at '/providers/Microsoft.Authorization/roleAssignmentApprovals/{approvalId}[/stages[/{stageId}]]'.",
      );
    }
    if (!isGuid(name) || (fourth !== undefined && !isGuid(fourth))) {
      return invalid('An approval id and a stage id are GUIDs.');
    }
    return {
      kind: 'approval',
      approvalId: name.toLowerCase(),
      stages: third !== undefined,
      stageId: fourth?.toLowerCase() ?? null,
    };
  }
  const collection = canonicalCollection.get(first.toLowerCase());
  if (!collection) {
    return invalid(
      `'${first}' is not a Microsoft.Authorization collection Elevate serves; use one of ${armCollections.join(', ')}.`,
    );
  }
  if (fourth !== undefined || (third !== undefined && !eq(third, 'cancel') && !eq(third, 'validate'))) {
    return invalid(`'${rest.join('/')}' is not an operation of ${collection}.`);
  }
  return {
    kind: 'authorization',
    scope,
    collection,
    name: name ?? null,
    action: third === undefined ? null : eq(third, 'cancel') ? 'cancel' : 'validate',
  };
}
