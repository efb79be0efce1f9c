import type { CallContext, Executor } from '../context.js';
import { normaliseScimBaseUrl, provisioningLinks } from '../provisioning/provisioning-link.js';
import type { NewProvisioningLink } from '../provisioning/provisioning-service.js';
import { demoProvisionedGroups } from './demo-groups.js';

/**
 * Links each of the demo tenant's provisioned groups (demo-groups.ts: PAG-SERVICE-DESK, and PAG-SERVICE-DESK-L3
 * whose membership Steve activates with an approval) to the application at ELEVATE_DEMO_SCIM_URL, once:
 * activated membership then reaches the application within seconds and leaves it when the window ends. Does
 * nothing without a demo tenant; a group already linked to that application is left as it is. Returns what to
 * print.
 */
export async function linkDemoApplication(
  deps: {
    readonly db: Executor;
    readonly link: (ctx: CallContext, groupId: string, input: NewProvisioningLink) => Promise<unknown>;
  },
  ctx: CallContext,
  target: { readonly baseUrl: string; readonly token: string },
): Promise<string[]> {
  const groups = await deps.db
    .selectFrom('groups')
    .select(['id', 'display_name'])
    .where('display_name', 'in', demoProvisionedGroups)
    .orderBy('display_name')
    .execute();
  if (groups.length === 0) return [];
  const baseUrl = normaliseScimBaseUrl(target.baseUrl);
  const linked = new Set(
    (
      await provisioningLinks(
        deps.db,
        groups.map((g) => g.id),
      )
    )
      .filter((l) => l.baseUrl === baseUrl)
      .map((l) => l.groupId),
  );
  for (const group of groups.filter((g) => !linked.has(g.id))) {
    await deps.link(ctx, group.id, { displayName: 'Demo SCIM application', baseUrl, token: target.token });
  }
  return groups.map(
    (g) => `  SCIM: ${g.display_name} membership is provisioned to ${baseUrl} (outbound SCIM 2.0).`,
  );
}
