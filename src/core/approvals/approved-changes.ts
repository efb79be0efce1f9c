import { ElevateError, type RuleViolation } from '../errors.js';
import type { PolicyRules } from '../model/policy.js';
import type { ScheduleInfo, ScheduleRequest } from '../model/request.js';
import type { Schedule } from '../model/schedule.js';
import { buildSchedule } from '../requests/build-request.js';
import { describeRequest } from '../requests/describe-request.js';
import { evaluateRules } from '../requests/evaluate-rules.js';
import { eligibilityViolations, findEligibility } from '../requests/find-eligibility.js';
import { policyViolation } from '../requests/policy-violation.js';
import { isLive } from '../schedules/is-live.js';
import type { ScheduleChange } from '../schedules/schedule-change.js';
import { sameTarget } from '../targets/target.js';
import { addDuration, parseDuration } from '../time/duration.js';
import { maxDate, overlaps, type Window } from '../time/window.js';

export interface ApprovedChangesArgs {
  readonly request: ScheduleRequest;
  readonly rulesNow: PolicyRules;
  readonly schedules: readonly Schedule[];
  readonly now: Date;
  /** The role's display name, or for a group target the group's. */
  readonly targetDisplayName: string;
}

export interface ApprovedChanges {
  readonly changes: readonly ScheduleChange[];
  /** When the granted schedule starts (Provisioned if by now, else Granted). */
  readonly start: Date;
  readonly targetScheduleId: string;
  readonly activatedUsing: string | null;
}

const invalid = (message: string) => new ElevateError('request.invalid', message);

/**
 * The window an approved request grants: it starts at the asked start or now, whichever is later; a duration
 * keeps its length, a fixed end stays; no expiration falls back to `fallback` (a duration) or permanent.
 */
function windowAt(info: ScheduleInfo | null, fallback: string | null, now: Date): Window | ElevateError {
  const start = maxDate(info?.startDateTime ?? now, now);
  const e = info?.expiration;
  let end: Date | null = null;
  const duration =
    e?.type === 'afterDuration' ? (e.duration ?? fallback) : e?.type === 'afterDateTime' ? null : fallback;
  if (e?.type === 'afterDateTime') end = e.endDateTime;
  if (e?.type !== 'noExpiration' && duration !== null) {
    const d = parseDuration(duration);
    if (d === null) return invalid(`The request's duration '${duration}' is not an ISO 8601 duration.`);
    end = addDuration(start, d);
  }
  if (end !== null && end.getTime() <= start.getTime()) {
    return invalid(
      `The requested window ended at ${end.toISOString()}, before this decision; deny the request instead.`,
    );
  }
  return { start, end };
}

/**
 * Decides what an approval grants, re-checked against the settings and schedules at decision time: the eligibility
 * must still hold (the end is cut to it, invariant 2), no overlapping grant may exist, and a rule made stricter
 * since the request refuses the approval (invariant 4). MFA and authentication context were checked on the
 * requester's session at request time and are not re-checked.
 */
export function approvedChanges(a: ApprovedChangesArgs): ApprovedChanges | ElevateError {
  const { request, now } = a;
  const subject = describeRequest({
    action: request.action,
    kind: request.kind,
    target: request,
    targetName: a.targetDisplayName,
    principalName: request.principalId,
  });
  const violationsOver = (window: Window, measureFrom: Date): RuleViolation[] =>
    evaluateRules(a.rulesNow, {
      action: request.action,
      kind: request.kind,
      subject,
      justification: request.justification,
      ticketInfo: request.ticketInfo,
      mfa: null,
      window,
      measureFrom,
      approvalRequired: true,
    });
  const clash = (window: Window, exceptId?: string): ElevateError | null => {
    const hit = a.schedules.find(
      (s) =>
        s.kind === request.kind &&
        s.id !== exceptId &&
        s.principalId === request.principalId &&
        sameTarget(s, request) &&
        isLive(s, now) &&
        overlaps(s, window),
    );
    return hit
      ? new ElevateError(
          'schedule.exists',
          `${subject}: a grant that overlaps the requested window exists since the request (schedule ${hit.id}).`,
          { target: hit.id },
        )
      : null;
  };
  const created = (window: Window, activatedUsing: string | null): ScheduleChange => ({
    op: 'create',
    schedule: buildSchedule({
      ...request,
      id: request.id,
      assignmentType: activatedUsing ? 'Activated' : 'Assigned',
      window,
      createdUsing: request.id,
      activatedUsing,
      now,
    }),
  });

  switch (request.action) {
    case 'selfActivate': {
      const asked = windowAt(
        request.scheduleInfo,
        a.rulesNow.Expiration_EndUser_Assignment.maximumDuration,
        now,
      );
      if (asked instanceof ElevateError) return asked;
      const match = findEligibility({ ...request, schedules: a.schedules, window: asked, now });
      const window = match.kind === 'outlasted' ? { start: asked.start, end: match.eligibility.end } : asked;
      const violations = [
        ...(match.kind === 'none' ? eligibilityViolations(match, subject) : []),
        ...violationsOver(window, window.start),
      ];
      if (violations.length > 0 || match.kind === 'none') return policyViolation(violations);
      const conflict = clash(window);
      if (conflict) return conflict;
      const eligibilityId = match.eligibility.id;
      return {
        changes: [created(window, eligibilityId)],
        start: window.start,
        targetScheduleId: request.id,
        activatedUsing: eligibilityId,
      };
    }
    case 'selfExtend': {
      const target = a.schedules.find((s) => s.id === request.targetScheduleId);
      if (!target || !isLive(target, now)) {
        return new ElevateError(
          'schedule.does_not_exist',
          `${subject}: the assignment has ended or was removed since the request; it can be renewed instead.`,
        );
      }
      const e = request.scheduleInfo?.expiration;
      const end = e?.type === 'afterDateTime' ? e.endDateTime : null;
      if (target.end === null || (end !== null && end.getTime() <= target.end.getTime())) {
        return invalid(`${subject}: the assignment already lasts as long as the extension asked for.`);
      }
      const window = { start: target.start, end };
      const violations = violationsOver(window, maxDate(now, target.start));
      if (violations.length > 0) return policyViolation(violations);
      const conflict = clash(window, target.id);
      if (conflict) return conflict;
      return {
        changes: [{ op: 'update', scheduleId: target.id, end }],
        start: target.start,
        targetScheduleId: target.id,
        activatedUsing: null,
      };
    }
    case 'selfRenew': {
      const window = windowAt(request.scheduleInfo, null, now);
      if (window instanceof ElevateError) return window;
      const violations = violationsOver(window, window.start);
      if (violations.length > 0) return policyViolation(violations);
      const conflict = clash(window);
      if (conflict) return conflict;
      return {
        changes: [created(window, null)],
        start: window.start,
        targetScheduleId: request.id,
        activatedUsing: null,
      };
    }
    default:
      return invalid(`A ${request.action} request is never waiting for approval.`);
  }
}
