/**
 * Azure Resource Manager scopes as Elevate's resource tree holds them: management groups (nested; the tenant root
 * group's id is the tenant id), subscriptions placed under a management group, resource groups under a
 * subscription, resources under a resource group (`/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}`,
 * nested resources adding `/{type}/{name}` pairs). ARM compares scopes without regard to letter case, so each
 * scope has a canonical id (the path lower-cased, compared and stored) and a display path (the keywords in ARM's
 * casing, names as registered).
 */

const resourceScopeTypes = ['managementGroup', 'subscription', 'resourceGroup', 'resource'] as const;
export type ResourceScopeType = (typeof resourceScopeTypes)[number];

/** A registered scope of the resource tree. */
export interface ResourceScope {
  /** Canonical id: the ARM path lower-cased (what schedules and policies name). */
  readonly id: string;
  /** Display path: ARM's keyword casing, names as registered. */
  readonly path: string;
  readonly type: ResourceScopeType;
  /** The management group id, subscription id, resource group name or resource name. */
  readonly name: string;
  readonly displayName: string;
  /** The scope above it in the tree; null for the tenant root group only. */
  readonly parentId: string | null;
  /** For a resource, e.g. `Microsoft.Compute/virtualMachines`. */
  readonly resourceType: string | null;
  readonly location: string | null;
  readonly tags: Readonly<Record<string, string>> | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The root scope `/`, above the tenant root group (where Azure's elevated access lands). */
export const rootScopeId = '/';

/** A scope path as ARM writes it, parsed: what it is, its canonical id and its display path. */
export type ParsedScope =
  | { readonly type: 'root'; readonly id: '/'; readonly path: '/' }
  | {
      readonly type: Exclude<ResourceScopeType, 'resource'>;
      readonly id: string;
      readonly path: string;
      /** The management group id, subscription id or resource group name. */
      readonly name: string;
      /** The scope that holds it by its path alone: a resource group's subscription; null above that. */
      readonly pathParentId: string | null;
    }
  | {
      readonly type: 'resource';
      readonly id: string;
      readonly path: string;
      readonly name: string;
      /** `Microsoft.Compute/virtualMachines`, or `Microsoft.Sql/servers/databases` for a nested resource. */
      readonly resourceType: string;
      /** The resource group, or for a nested resource the resource that contains it. */
      readonly pathParentId: string;
    };

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Management group ids and resource group names: ARM's characters, at most 90, not ending in a period. */
const groupName = /^[\p{L}\p{N}_\-.()]{1,90}$/u;
const namespace = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/;
const typeName = /^[A-Za-z][A-Za-z0-9]{0,79}$/;
const resourceName = /^[\p{L}\p{N}_\-.()~@+=,]{1,260}$/u;

export const isGuid = (s: string): boolean => guid.test(s);

const eq = (a: string | undefined, b: string): boolean => a?.toLowerCase() === b.toLowerCase();
const validGroupName = (s: string): boolean => groupName.test(s) && !s.endsWith('.');

/** Canonical id of a display path: ARM compares paths case-insensitively, segment by segment. */
export const canonicalScopeId = (path: string): string =>
  path === '/' ? '/' : `/${path.split('/').filter(Boolean).join('/').toLowerCase()}`;

export const managementGroupPath = (id: string): string =>
  `/providers/Microsoft.Management/managementGroups/${id}`;
export const subscriptionPath = (id: string): string => `/subscriptions/${id.toLowerCase()}`;
export const resourceGroupPath = (subscriptionId: string, name: string): string =>
  `${subscriptionPath(subscriptionId)}/resourceGroups/${name}`;

/**
 * Parses the segments of a scope (`['subscriptions', '{s}', 'resourceGroups', 'rg']`, or none for `/`) into a
 * scope, or explains why they name none. Keywords match in any letter case; ARM's alias
 * `providers/Microsoft.Subscription/subscriptions/{s}` names the subscription.
 */
export function parseScopeSegments(segments: readonly string[]): ParsedScope | { readonly error: string } {
  const s = segments;
  if (s.length === 0) return { type: 'root', id: '/', path: '/' };
  if (eq(s[0], 'providers')) {
    if (eq(s[1], 'Microsoft.Management') && eq(s[2], 'managementGroups') && s.length === 4) {
      const name = s[3]!;
      if (!validGroupName(name)) {
        return {
          error: `'${name}' is not a valid management group id: use at most 90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'.`,
        };
      }
      const path = managementGroupPath(name);
      return { type: 'managementGroup', id: canonicalScopeId(path), path, name, pathParentId: null };
    }
    if (eq(s[1], 'Microsoft.Subscription') && eq(s[2], 'subscriptions') && s.length >= 4) {
      return parseScopeSegments(s.slice(2));
    }
    return { error: `'/${s.join('/')}' is not a scope: a scope below '/providers' is a management group.` };
  }
  if (!eq(s[0], 'subscriptions') || s.length < 2) {
    return {
      error: `'/${s.join('/')}' is not a scope; use '/providers/Microsoft.Management/managementGroups/{id}', '/subscriptions/{id}', '/subscriptions/{id}/resourceGroups/{name}' or a resource below it.`,
    };
  }
  const subscriptionId = s[1]!;
  if (!isGuid(subscriptionId)) {
    return { error: `'${subscriptionId}' is not a valid subscription id: a subscription id is a GUID.` };
  }
  const subPath = subscriptionPath(subscriptionId);
  const subId = canonicalScopeId(subPath);
  if (s.length === 2) {
    return {
      type: 'subscription',
      id: subId,
      path: subPath,
      name: subscriptionId.toLowerCase(),
      pathParentId: null,
    };
  }
  if (!eq(s[2], 'resourceGroups') || s.length < 4) {
    return { error: `'/${s.join('/')}' is not a scope: below a subscription come '/resourceGroups/{name}'.` };
  }
  const rg = s[3]!;
  if (!validGroupName(rg)) {
    return {
      error: `'${rg}' is not a valid resource group name: use at most 90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'.`,
    };
  }
  const rgPath = resourceGroupPath(subscriptionId, rg);
  const rgId = canonicalScopeId(rgPath);
  if (s.length === 4) return { type: 'resourceGroup', id: rgId, path: rgPath, name: rg, pathParentId: subId };
  return parseResource(s.slice(4), { path: rgPath, id: rgId });
}

/** `providers/{ns}/{type}/{name}[/{type}/{name}]*` below a resource group. */
function parseResource(
  s: readonly string[],
  group: { path: string; id: string },
): ParsedScope | { readonly error: string } {
  const shape =
    "a resource is '/providers/{namespace}/{type}/{name}' below its resource group (nested: more '/{type}/{name}' pairs)";
  if (!eq(s[0], 'providers') || s.length < 4 || s.length % 2 !== 0) {
    return { error: `'/${s.join('/')}' is not a resource path: ${shape}.` };
  }
  const ns = s[1]!;
  if (!namespace.test(ns))
    return { error: `'${ns}' is not a resource provider namespace (like 'Microsoft.Compute').` };
  const pairs: [string, string][] = [];
  for (let i = 2; i < s.length; i += 2) {
    const type = s[i]!;
    const name = s[i + 1]!;
    if (!typeName.test(type))
      return { error: `'${type}' is not a resource type name (like 'virtualMachines').` };
    if (!resourceName.test(name) || name === '.' || name === '..') {
      return { error: `'${name}' is not a valid resource name.` };
    }
    pairs.push([type, name]);
  }
  const path = `${group.path}/providers/${ns}/${pairs.map(([t, n]) => `${t}/${n}`).join('/')}`;
  const parentPath =
    pairs.length === 1
      ? group.path
      : `${group.path}/providers/${ns}/${pairs
          .slice(0, -1)
          .map(([t, n]) => `${t}/${n}`)
          .join('/')}`;
  return {
    type: 'resource',
    id: canonicalScopeId(path),
    path,
    name: pairs[pairs.length - 1]![1],
    resourceType: `${ns}/${pairs.map(([t]) => t).join('/')}`,
    pathParentId: canonicalScopeId(parentPath),
  };
}

/** Parses a scope written as a path (`/subscriptions/{s}`; `/` or the empty string for the root). */
export const parseScopePath = (path: string): ParsedScope | { readonly error: string } =>
  parseScopeSegments(path.split('/').filter((p) => p.length > 0));

/** The word ARM's `expandedProperties.scope.type` uses for a scope. */
export function armScopeTypeWord(type: ResourceScopeType | 'root'): string {
  switch (type) {
    case 'root':
      return 'root';
    case 'managementGroup':
      return 'managementgroup';
    case 'subscription':
      return 'subscription';
    case 'resourceGroup':
      return 'resourcegroup';
    case 'resource':
      return 'resource';
  }
}

/**
 * The scope and every scope above it, nearest first, ending with `/`, from the chain of parents the tree holds
 * (`chain[0]` is the scope itself): `/subscriptions/A/resourcegroups/rg` → rg, subscription A, its management
 * group, that group's parents up to the tenant root group, then `/`.
 */
export function ancestorsFromChain(chain: readonly { readonly id: string }[]): string[] {
  const ids = chain.map((c) => c.id);
  return ids[ids.length - 1] === rootScopeId ? ids : [...ids, rootScopeId];
}

/**
 * Decides whether moving `nodeId` under a parent whose own chain (the parent itself first, then its ancestors)
 * is `parentChain` would put the node beneath itself.
 */
export const wouldCreateCycle = (nodeId: string, parentChain: readonly string[]): boolean =>
  parentChain.includes(nodeId);
