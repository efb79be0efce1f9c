import { type ActivationSettings, activationSettingsFrom } from './activation-settings.js';
import { armPimApiVersion } from './arm-types.js';
import type { GraphPolicyRule, ScheduleKind } from './graph-types.js';

type Query = Readonly<Record<string, string | number | undefined>>;

/** What the client's transport lends these calls: one call to this server. */
export interface ResourceAccessTransport {
  call<T>(method: string, path: string, opts?: { query?: Query }): Promise<T>;
}

/** A grant of an Azure role at a scope, as ARM's schedule instances list it (research §9.2). */
export interface ArmScheduleInstance {
  readonly name: string;
  readonly id: string;
  readonly properties: {
    readonly scope: string;
    readonly roleDefinitionId: string;
    readonly principalId: string;
    readonly startDateTime: string | null;
    readonly endDateTime: string | null;
    /** `Direct`, `Group` (through a group) or `Inherited` (from a scope above). */
    readonly memberType: string;
    /** Assignment instances: `Activated` or `Assigned`. */
    readonly assignmentType?: string | null;
    readonly expandedProperties?: {
      readonly scope?: { readonly id: string; readonly displayName: string; readonly type: string };
      readonly roleDefinition?: { readonly id: string; readonly displayName: string };
    };
  };
}

interface ArmList<T> {
  readonly value: readonly T[];
  readonly nextLink?: string | null;
}

const provider = '/providers/Microsoft.Authorization';
const collections: Record<ScheduleKind, string> = {
  eligibility: 'roleEligibilityScheduleInstances',
  assignment: 'roleAssignmentScheduleInstances',
};
/** Most pages a list follows (a person holds few resource roles). */
const maxPages = 20;

const scopePrefix = (scope: string) => (scope === '/' ? '' : scope.replace(/\/+$/, ''));

/** The Azure resource-role calls My roles makes: my grants at every scope, and a role's activation settings. */
export function resourceAccessCalls(t: ResourceAccessTransport) {
  /** Every page of an ARM list; next links are followed on this server only, by path. */
  async function armList<T>(path: string, query: Query): Promise<T[]> {
    const items: T[] = [];
    let page = await t.call<ArmList<T>>('GET', path, { query });
    for (let n = 1; ; n++) {
      items.push(...page.value);
      if (!page.nextLink || n >= maxPages) return items;
      const next = new URL(page.nextLink, 'http://same-server');
      page = await t.call<ArmList<T>>('GET', `${next.pathname}${next.search}`);
    }
  }

  return {
    /** My Azure role grants at every scope (`$filter=asTarget()` at the root), eligible or active. */
    listMyResourceInstances: (kind: ScheduleKind) =>
      armList<ArmScheduleInstance>(`${provider}/${collections[kind]}`, {
        'api-version': armPimApiVersion,
        $filter: 'asTarget()',
      }),

    /** What activating an Azure role at a scope asks for: the end-user rules of its policy there. */
    async getResourceActivationSettings(
      scope: string,
      roleDefinitionId: string,
    ): Promise<ActivationSettings> {
      const found = await t.call<ArmList<{ properties: { effectiveRules?: GraphPolicyRule[] } }>>(
        'GET',
        `${scopePrefix(scope)}${provider}/roleManagementPolicyAssignments`,
        {
          query: {
            'api-version': armPimApiVersion,
            $filter: `roleDefinitionId eq '${roleDefinitionId.replaceAll("'", "''")}'`,
          },
        },
      );
      return activationSettingsFrom(found.value[0]?.properties.effectiveRules ?? []);
    },
  };
}
