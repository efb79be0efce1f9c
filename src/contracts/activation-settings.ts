import type { GraphPolicyRule } from './graph-types.js';

/** What a role's settings ask of someone activating it (the end-user assignment rules of its policy). */
export interface ActivationSettings {
  /** The longest activation allowed, ISO 8601 (`PT8H`), from `Expiration_EndUser_Assignment`. */
  readonly maximumDuration: string;
  readonly requiresJustification: boolean;
  readonly requiresTicket: boolean;
  readonly requiresMfa: boolean;
  readonly requiresApproval: boolean;
  /** The authentication context claim required (`c1`), or null. */
  readonly authenticationContext: string | null;
  /** Whether an approver must give a justification with their decision (the first approval stage's setting). */
  readonly approverJustificationRequired: boolean;
}

/** Entra's default activation maximum, used when a policy somehow lacks the expiration rule. */
const defaultMaximum = 'PT8H';

/**
 * Reads the activation rules of a policy in Graph's spelling (`Expiration_`, `Enablement_`, `Approval_` and
 * `AuthenticationContext_EndUser_Assignment`); rules that are absent ask for nothing.
 */
export function activationSettingsFrom(rules: readonly GraphPolicyRule[]): ActivationSettings {
  const byId = new Map(rules.map((r) => [r.id.toLowerCase(), r]));
  const rule = (id: string) => byId.get(id.toLowerCase());
  const expiration = rule('Expiration_EndUser_Assignment');
  const enabled = rule('Enablement_EndUser_Assignment')?.enabledRules;
  const enabledRules = Array.isArray(enabled) ? enabled.filter((e) => typeof e === 'string') : [];
  const approval = rule('Approval_EndUser_Assignment')?.setting;
  const stages =
    typeof approval === 'object' && approval !== null && 'approvalStages' in approval
      ? approval.approvalStages
      : undefined;
  const firstStage: unknown = Array.isArray(stages) ? stages[0] : undefined;
  const context = rule('AuthenticationContext_EndUser_Assignment');
  return {
    maximumDuration:
      typeof expiration?.maximumDuration === 'string' ? expiration.maximumDuration : defaultMaximum,
    requiresJustification: enabledRules.includes('Justification'),
    requiresTicket: enabledRules.includes('Ticketing'),
    requiresMfa: enabledRules.includes('MultiFactorAuthentication'),
    requiresApproval:
      typeof approval === 'object' && approval !== null && 'isApprovalRequired' in approval
        ? approval.isApprovalRequired === true
        : false,
    authenticationContext:
      context?.isEnabled === true && typeof context.claimValue === 'string' ? context.claimValue : null,
    approverJustificationRequired:
      typeof firstStage === 'object' &&
      firstStage !== null &&
      'isApproverJustificationRequired' in firstStage &&
      firstStage.isApproverJustificationRequired === true,
  };
}
