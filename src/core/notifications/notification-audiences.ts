import type { PimEvent } from '../events/pim-event.js';
import type { PolicyRuleId } from '../model/policy.js';
import type { ScheduleAction } from '../model/request.js';

export type RecipientType = 'Admin' | 'Requestor' | 'Approver';

/** What a message tells its reader; one template each (email-templates.ts). */
export type MessageKind =
  | 'approvalRequested'
  | 'approvalDecided'
  | 'requestCanceled'
  | 'activationGranted'
  | 'activationDenied'
  | 'activationAlert'
  | 'accessRemoved'
  | 'assignmentAdded'
  | 'assignmentAlert'
  | 'assignmentUpdated'
  | 'assignmentExpiring'
  | 'assignmentExpired';

/** One group of people an event is told to, under one notification rule of the target's settings. */
export interface Audience {
  readonly recipientType: RecipientType;
  readonly ruleId: PolicyRuleId;
  readonly message: MessageKind;
  /**
   * Critical messages ask the reader to act (or withdraw such a request), so they go out at notificationLevel
   * `Critical` too. Entra: "emails asking users to extend their role assignment will not be triggered while
   * emails requiring admins to approve an extension request will be triggered".
   */
  readonly critical: boolean;
}

/** The rule family of a change: an end user's activation, or an administrator's eligible or active assignment. */
type RuleFamily = 'EndUser_Assignment' | 'Admin_Eligibility' | 'Admin_Assignment';

/**
 * Graph's naming: `Notification_{RecipientType}_{Caller}_{Level}`. Activations (selfActivate) fall under the
 * EndUser rules; everything else — admin assignments and the extensions and renewals users ask for, which
 * administrators approve — under the Admin rules of the schedule's kind (research/graph-pim-api.md §2.4).
 */
function familyOf(event: PimEvent, action: ScheduleAction | null): RuleFamily {
  const aboutRequest = /^elevate\.(activation|approval|request)\./.test(event.type);
  const activation =
    action === 'selfActivate' || (action === null && aboutRequest && event.data.kind === 'assignment');
  if (activation) return 'EndUser_Assignment';
  return event.data.kind === 'eligibility' ? 'Admin_Eligibility' : 'Admin_Assignment';
}

const audience = (
  family: RuleFamily,
  recipientType: RecipientType,
  message: MessageKind,
  critical = false,
): Audience => ({
  recipientType,
  ruleId: `Notification_${recipientType}_${family}` as PolicyRuleId,
  message,
  critical,
});

/**
 * Decides who an event is told to and under which notification rule: approvers when a request waits for them and
 * once when it is decided or withdrawn (never again after), the requestor or assignee about their own access,
 * administrators when access is activated or assigned. `action` is the request's (null when the event has none).
 * Events no rule covers (settings changes, emergency sign-ins) return no audience: webhooks carry those.
 */
export function audiencesFor(event: PimEvent, action: ScheduleAction | null): Audience[] {
  if (action === 'selfDeactivate') return [];
  const f = familyOf(event, action);
  const reason = event.data.reason;
  switch (event.type) {
    case 'elevate.approval.requested':
      return [audience(f, 'Approver', 'approvalRequested', true)];
    case 'elevate.approval.decided':
      return [audience(f, 'Approver', 'approvalDecided', true)];
    case 'elevate.request.canceled':
      return event.data.approvalId ? [audience(f, 'Approver', 'requestCanceled', true)] : [];
    case 'elevate.activation.granted':
      return f === 'EndUser_Assignment'
        ? [audience(f, 'Requestor', 'activationGranted'), audience(f, 'Admin', 'activationAlert')]
        : [audience(f, 'Requestor', 'assignmentUpdated'), audience(f, 'Admin', 'assignmentAlert')];
    case 'elevate.activation.denied':
      return [audience(f, 'Requestor', 'activationDenied')];
    case 'elevate.activation.ended':
      // Deactivating or reaching the end is what the person asked for; only a removal by someone else is news.
      return reason === 'removed' ? [audience(f, 'Requestor', 'accessRemoved')] : [];
    case 'elevate.assignment.added':
      return [audience(f, 'Requestor', 'assignmentAdded'), audience(f, 'Admin', 'assignmentAlert')];
    case 'elevate.assignment.updated':
      return [audience(f, 'Requestor', 'assignmentUpdated'), audience(f, 'Admin', 'assignmentAlert')];
    case 'elevate.assignment.removed':
      return reason === 'expired'
        ? [audience(f, 'Requestor', 'assignmentExpired')]
        : [audience(f, 'Requestor', 'accessRemoved'), audience(f, 'Admin', 'assignmentAlert')];
    case 'elevate.assignment.expiring':
      return [audience(f, 'Requestor', 'assignmentExpiring')];
    default:
      return [];
  }
}
