import type { ApprovalRule, ApprovalStage, ApproverSubject } from '../model/policy.js';
import { duplicates, guidPattern, oneOf, shown } from './rule-text.js';

/** Approvers one stage may name; Entra's portal stops at this many users and groups. */
export const maxApproversPerStage = 25;
/** Entra fixes the stage timeout at 1 day for roles (research §10); Elevate lets an admin allow up to a week. */
export const maxApprovalStageTimeOutInDays = 7;
const maxEscalationTimeInMinutes = 7 * 24 * 60;
const maxDescriptionLength = 1024;
const approvalModes = ['SingleStage', 'Serial', 'Parallel', 'NoApproval'];

/**
 * Checks `Approval_EndUser_Assignment`: single-stage only (Graph supports one stage for roles), a
 * stage timeout of 1–7 days, at most 25 distinct approvers named by GUID, and no escalation, which
 * Entra does not honour for roles either (research §2.3).
 */
export function validateApprovalSetting(rule: ApprovalRule): string[] {
  const at = `${rule.id}.setting`;
  const s = rule.setting;
  if (typeof s !== 'object' || s === null) return [`${at} is required`];
  const errors: string[] = [];
  for (const flag of [
    'isApprovalRequired',
    'isApprovalRequiredForExtension',
    'isRequestorJustificationRequired',
  ] as const) {
    if (typeof s[flag] !== 'boolean')
      errors.push(`${at}.${flag} must be true or false; got ${shown(s[flag])}`);
  }
  if (!approvalModes.includes(s.approvalMode)) {
    errors.push(`${at}.approvalMode must be ${oneOf(approvalModes)}; got ${shown(s.approvalMode)}`);
  } else if (s.approvalMode === 'Serial' || s.approvalMode === 'Parallel') {
    errors.push(
      `${at}.approvalMode must be SingleStage (or NoApproval when approval is off): Graph supports single-stage approval only for roles; got ${s.approvalMode}`,
    );
  } else if (s.approvalMode === 'NoApproval' && s.isApprovalRequired === true) {
    errors.push(`${at}.approvalMode must be SingleStage when isApprovalRequired is true; got NoApproval`);
  }
  if (!Array.isArray(s.approvalStages)) return [...errors, `${at}.approvalStages must be a list of stages`];
  // Graph sends an empty list when approval is off; with NoApproval Elevate accepts that or one stage.
  const allowsNone = s.approvalMode === 'NoApproval' && s.isApprovalRequired !== true;
  if (s.approvalStages.length !== 1 && !(allowsNone && s.approvalStages.length === 0)) {
    errors.push(
      `${at}.approvalStages must hold exactly 1 stage (Graph supports single-stage approval only for roles); got ${s.approvalStages.length}`,
    );
  }
  s.approvalStages.slice(0, 2).forEach((stage, i) => {
    errors.push(...validateStage(stage, `${at}.approvalStages[${i}]`));
  });
  return errors;
}

function validateStage(stage: ApprovalStage, at: string): string[] {
  if (typeof stage !== 'object' || stage === null) return [`${at} must be an approval stage object`];
  const errors: string[] = [];
  const timeout = stage.approvalStageTimeOutInDays;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > maxApprovalStageTimeOutInDays) {
    errors.push(
      `${at}.approvalStageTimeOutInDays must be a whole number of days between 1 and ${maxApprovalStageTimeOutInDays} (Entra uses 1); got ${shown(timeout)}`,
    );
  }
  if (typeof stage.isApproverJustificationRequired !== 'boolean') {
    errors.push(
      `${at}.isApproverJustificationRequired must be true or false; got ${shown(stage.isApproverJustificationRequired)}`,
    );
  }
  if (stage.isEscalationEnabled !== false) {
    errors.push(
      `${at}.isEscalationEnabled must be false: escalation is not supported for roles; got ${shown(stage.isEscalationEnabled)}`,
    );
  }
  const minutes = stage.escalationTimeInMinutes;
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > maxEscalationTimeInMinutes) {
    errors.push(
      `${at}.escalationTimeInMinutes must be a whole number between 0 and ${maxEscalationTimeInMinutes}; got ${shown(minutes)}`,
    );
  }
  const escalation = stage.escalationApprovers;
  if (!Array.isArray(escalation) || escalation.length > 0) {
    const got = Array.isArray(escalation) ? `${escalation.length} approver(s)` : shown(escalation);
    errors.push(`${at}.escalationApprovers must be empty: escalation is not supported for roles; got ${got}`);
  }
  errors.push(...validateApprovers(stage.primaryApprovers, `${at}.primaryApprovers`));
  return errors;
}

function validateApprovers(approvers: readonly ApproverSubject[], at: string): string[] {
  if (!Array.isArray(approvers)) return [`${at} must be a list of users and groups`];
  if (approvers.length > maxApproversPerStage) {
    return [`${at} may name at most ${maxApproversPerStage} users and groups; got ${approvers.length}`];
  }
  const errors: string[] = [];
  approvers.forEach((a, i) => {
    if (typeof a !== 'object' || a === null || (a.kind !== 'singleUser' && a.kind !== 'groupMembers')) {
      errors.push(`${at}[${i}] must be a singleUser or groupMembers approver; got ${shown(a)}`);
      return;
    }
    const [field, id] = a.kind === 'singleUser' ? ['userId', a.userId] : ['groupId', a.groupId];
    if (typeof id !== 'string' || !guidPattern.test(id))
      errors.push(`${at}[${i}].${field} must be a GUID; got ${shown(id)}`);
    if (
      a.description !== null &&
      (typeof a.description !== 'string' || a.description.length > maxDescriptionLength)
    ) {
      errors.push(
        `${at}[${i}].description must be text of at most ${maxDescriptionLength} characters, or null`,
      );
    }
  });
  if (errors.length > 0) return errors;
  for (const d of duplicates(approvers, subjectKey)) {
    const [what, id] = d.kind === 'singleUser' ? ['user', d.userId] : ['group', d.groupId];
    errors.push(`${at} names ${what} ${id} more than once`);
  }
  return errors;
}

const subjectKey = (a: ApproverSubject): string =>
  a.kind === 'singleUser' ? `u:${a.userId.toLowerCase()}` : `g:${a.groupId.toLowerCase()}`;
