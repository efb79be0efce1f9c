import type { ScheduleAction } from '../model/request.js';
import { authorizeRequest } from './authorize-request.js';
import { decideActivation } from './decide-activation.js';
import { decideAdminAssign } from './decide-admin-assign.js';
import { decideAdminRemove } from './decide-admin-remove.js';
import { decideAdminUpdate } from './decide-admin-update.js';
import { decideDeactivation } from './decide-deactivation.js';
import { decideExtension } from './decide-extension.js';
import { decideRenewal } from './decide-renewal.js';
import { type Decision, type DecisionContext, rejected } from './decision.js';

export type { Decision, DecisionContext, ScheduleChange } from './decision.js';

const deciders: Readonly<Record<ScheduleAction, (ctx: DecisionContext) => Decision>> = {
  adminAssign: decideAdminAssign,
  adminUpdate: decideAdminUpdate,
  adminRemove: decideAdminRemove,
  adminExtend: decideExtension,
  adminRenew: decideRenewal,
  selfActivate: decideActivation,
  selfDeactivate: decideDeactivation,
  selfExtend: decideExtension,
  selfRenew: decideRenewal,
};

/**
 * Decides a directory-role schedule request (any of the nine actions, eligibility or assignment): who may ask
 * (invariants 7, 8), then the action's checks and every rule of the settings (invariants 2, 4), as data the use
 * case persists — granted changes, a pending approval that grants nothing (invariant 3), a dry-run answer, or
 * the refusal.
 */
export function decideScheduleRequest(ctx: DecisionContext): Decision {
  const refused = authorizeRequest(ctx);
  if (refused) return rejected(refused);
  return deciders[ctx.input.action](ctx);
}
