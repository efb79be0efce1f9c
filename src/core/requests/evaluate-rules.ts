import type { RuleViolation } from '../errors.js';
import type { ExpirationRule, PolicyRuleId, PolicyRules } from '../model/policy.js';
import type { ScheduleAction, TicketInfo } from '../model/request.js';
import type { ScheduleKind } from '../model/schedule.js';
import { addDuration, describeDuration, formatDuration, parseDuration } from '../time/duration.js';
import type { Window } from '../time/window.js';
import { contextShortfall } from './authentication-context.js';
import type { AcrFallback } from './decision.js';

/** What the rules look at, gathered by the action's decider. */
export interface RuleFacts {
  readonly action: ScheduleAction;
  readonly kind: ScheduleKind;
  /** Start of every message: "Activating 'Exchange Administrator' at scope '/'". */
  readonly subject: string;
  readonly justification: string | null;
  readonly ticketInfo: TicketInfo;
  /**
   * Whether the MFA the rule accepts was shown: a step-up made for this request (self*), or the caller's recent
   * sign-in MFA (admin*); null when unknown (at approval time), which skips MFA and ACRS rules.
   */
  readonly mfa: boolean | null;
  /** The `acr` the identity provider asserted at the step-up (self*); null or absent when none. */
  readonly stepUpAcr?: string | null;
  /** What satisfies an authentication context when the step-up carries no `acr`; `mfa` when absent. */
  readonly acrFallback?: AcrFallback;
  readonly window: Window;
  /** Where the maximum duration is measured from: the window's start, or `now` for an extension. */
  readonly measureFrom: Date;
  /** Whether the request will wait for an approver (the requestor-justification setting then applies). */
  readonly approvalRequired: boolean;
}

type Evaluator = (rules: PolicyRules, f: RuleFacts) => RuleViolation[];

const blank = (s: string | null): boolean => s === null || s.trim() === '';

/** Which settings govern an action (research §2.4): EndUser rules for self*, Admin rules for admin*. */
function applicableRuleIds(action: ScheduleAction, kind: ScheduleKind): PolicyRuleId[] {
  const level = kind === 'eligibility' ? 'Eligibility' : 'Assignment';
  const endUser: PolicyRuleId[] = [
    'Enablement_EndUser_Assignment',
    'AuthenticationContext_EndUser_Assignment',
    'Approval_EndUser_Assignment',
  ];
  switch (action) {
    case 'selfActivate':
      return ['Expiration_EndUser_Assignment', ...endUser];
    // Extending or renewing produces an administrator-grade schedule, so its length follows the admin limits.
    case 'selfExtend':
    case 'selfRenew':
      return [`Expiration_Admin_${level}`, ...endUser];
    case 'adminAssign':
    case 'adminUpdate':
    case 'adminExtend':
    case 'adminRenew':
      return [`Expiration_Admin_${level}`, `Enablement_Admin_${level}`];
    case 'adminRemove':
    case 'selfDeactivate':
      return [];
  }
}

const noun = (f: RuleFacts): string =>
  f.action === 'selfActivate'
    ? 'activation'
    : f.kind === 'eligibility'
      ? 'eligible assignment'
      : 'active assignment';

function expiration(rule: ExpirationRule, f: RuleFacts, alwaysBounded: boolean): RuleViolation[] {
  if (!alwaysBounded && !rule.isExpirationRequired) return [];
  const at = (message: string): RuleViolation[] => [
    { ruleId: rule.id, reason: 'ExpirationRule', message: `${message} (rule ${rule.id}).` },
  ];
  const max = parseDuration(rule.maximumDuration);
  if (max === null) {
    return at(
      `${f.subject} cannot be checked: the maximum duration '${rule.maximumDuration}' in the settings is invalid`,
    );
  }
  const limit = describeDuration(rule.maximumDuration);
  if (f.window.end === null) {
    return at(
      `${f.subject} must have an end: a permanent ${noun(f)} is not allowed, the maximum is ${limit}`,
    );
  }
  if (f.window.end.getTime() <= addDuration(f.measureFrom, max).getTime()) return [];
  const asked = describeDuration(formatDuration(f.window.end.getTime() - f.measureFrom.getTime()));
  return at(`${f.subject} for ${asked} exceeds the maximum of ${limit}`);
}

function enablement(ruleId: PolicyRuleId, rules: PolicyRules, f: RuleFacts): RuleViolation[] {
  const rule = rules[ruleId];
  if (rule.type !== 'enablement') return [];
  const out: RuleViolation[] = [];
  const needs = (what: string) => `${f.subject} requires ${what} (rule ${ruleId}).`;
  if (rule.enabledRules.includes('Justification') && blank(f.justification)) {
    out.push({ ruleId, reason: 'JustificationRule', message: needs('a justification') });
  }
  if (rule.enabledRules.includes('Ticketing') && blank(f.ticketInfo.ticketNumber)) {
    out.push({
      ruleId,
      reason: 'TicketingRule',
      message: needs('a ticket number (ticketInfo.ticketNumber)'),
    });
  }
  if (rule.enabledRules.includes('MultiFactorAuthentication') && f.mfa === false) {
    const how = f.action.startsWith('self')
      ? 'a multi-factor step-up made for this request (MFA done earlier in the session does not count)'
      : 'multi-factor authentication; sign in again with MFA';
    out.push({ ruleId, reason: 'MfaRule', message: needs(how) });
  }
  return out;
}

const evaluators: Readonly<Partial<Record<PolicyRuleId, Evaluator>>> = {
  Expiration_EndUser_Assignment: (r, f) => expiration(r.Expiration_EndUser_Assignment, f, true),
  Enablement_EndUser_Assignment: (r, f) => enablement('Enablement_EndUser_Assignment', r, f),
  // An OIDC step-up's acr must equal the claimValue; a step-up without one (local TOTP, or a provider that sends
  // none) satisfies the context by its MFA unless the fallback is `deny` (authentication-context.ts).
  AuthenticationContext_EndUser_Assignment: (r, f) => {
    const rule = r.AuthenticationContext_EndUser_Assignment;
    if (!rule.isEnabled || f.mfa === null) return [];
    const shortfall = contextShortfall(rule, {
      mfa: f.mfa,
      acr: f.stepUpAcr ?? null,
      fallback: f.acrFallback ?? 'mfa',
    });
    if (shortfall === null) return [];
    const context = rule.claimValue ? ` '${rule.claimValue}'` : '';
    const message = `${f.subject} requires the authentication context${context}, ${shortfall} (rule ${rule.id}).`;
    return [{ ruleId: rule.id, reason: 'AcrsRule', message }];
  },
  Approval_EndUser_Assignment: (r, f) => {
    const rule = r.Approval_EndUser_Assignment;
    if (!f.approvalRequired || !rule.setting.isRequestorJustificationRequired || !blank(f.justification))
      return [];
    const message = `${f.subject} needs an approver's decision, and approvers require your justification (rule ${rule.id}).`;
    return [{ ruleId: rule.id, reason: 'JustificationRule', message }];
  },
  Expiration_Admin_Eligibility: (r, f) => expiration(r.Expiration_Admin_Eligibility, f, false),
  Enablement_Admin_Eligibility: (r, f) => enablement('Enablement_Admin_Eligibility', r, f),
  Expiration_Admin_Assignment: (r, f) => expiration(r.Expiration_Admin_Assignment, f, false),
  Enablement_Admin_Assignment: (r, f) => enablement('Enablement_Admin_Assignment', r, f),
};

/**
 * Decides which of the target's settings a request breaks, evaluating every applicable rule and returning all
 * violations, each naming its rule id and Graph token (invariant 4; activation bounded, invariant 2).
 */
export function evaluateRules(rules: PolicyRules, facts: RuleFacts): RuleViolation[] {
  const all = applicableRuleIds(facts.action, facts.kind).flatMap(
    (id) => evaluators[id]?.(rules, facts) ?? [],
  );
  // One missing justification is one failure, whichever setting asks for it first.
  const firstJustification = all.find((v) => v.reason === 'JustificationRule');
  return all.filter((v) => v.reason !== 'JustificationRule' || v === firstJustification);
}
