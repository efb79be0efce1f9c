import type { CallContext, Executor } from '../context.js';
import { provisioningLinks } from './provisioning-link.js';
import type { NewProvisioningLink } from './provisioning-service.js';

/** The demo's Privileged Access Group that Steve (and Adam) activate membership of. */
export const demoProvisionedGroup = 'PAG-SERVICE-DESK';

/**
 * Links the demo tenant's PAG-SERVICE-DESK to the application at ELEVATE_DEMO_SCIM_URL, once: activated
 * membership then reaches the application within seconds and leaves it when the window ends. Does nothing
 * without a demo tenant or when the link exists. Returns what to print.
 */
export async function linkDemoApplication(
  deps: {
    readonly db: Executor;
    readonly link: (ctx: CallContext, groupId: string, input: NewProvisioningLink) => Promise<unknown>;
  },
  ctx: CallContext,
  target: { readonly baseUrl: string; readonly token: string },
): Promise<string[]> {
  const group = await deps.db
    .selectFrom('groups')
    .select('id')
    .where('display_name', '=', demoProvisionedGroup)
    .executeTakeFirst();
  if (!group) return [];
  const wanted = target.baseUrl.replace(/\/+$/, '');
  const linked = (await provisioningLinks(deps.db, [group.id])).some((l) => l.baseUrl === wanted);
  if (!linked) {
    await deps.link(ctx, group.id, {
      displayName: 'Demo SCIM application',
      baseUrl: wanted,
      token: target.token,
    });
  }
  return [`  SCIM: ${demoProvisionedGroup} membership is provisioned to ${wanted} (outbound SCIM 2.0).`];
}
