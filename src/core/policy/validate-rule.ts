import type {
  AuthenticationContextRule,
  EnablementFeature,
  EnablementRule,
  ExpirationRule,
  NotificationRule,
  PolicyRule,
  PolicyRuleId,
  PolicyRules,
} from '../model/policy.js';
import { policyRuleIds } from '../model/policy.js';
import { durationMs, parseDuration } from '../time/duration.js';
import { isPolicyRuleId, recipientTypeOf, ruleCallerLevelOf, ruleKindOf } from './rule-ids.js';
import { duplicates, oneOf, shown } from './rule-text.js';
import { validateApprovalSetting } from './validate-approval.js';

const hour = 3_600_000;
const day = 24 * hour;

/**
 * Activation may last 30 minutes to 24 hours. Entra's portal offers whole hours 1–24 but Graph accepts
 * any duration (`PT1H45M`, research §2.6); Elevate allows down to half an hour.
 */
const activationBounds = {
  min: 30 * 60_000,
  max: 24 * hour,
  text: 'between 30 minutes and 24 hours (PT30M–PT24H)',
};
/** Eligible and active assignments that expire last 1 day to 10 years (Entra documents no bounds; §10). */
const assignmentBounds = { min: day, max: 3650 * day, text: 'between 1 day and 3650 days (P1D–P3650D)' };

/** What each enablement rule may require (research §2.4); Ticketing only makes sense on activation. */
const allowedFeatures: Readonly<Partial<Record<PolicyRuleId, readonly EnablementFeature[]>>> = {
  Enablement_EndUser_Assignment: ['MultiFactorAuthentication', 'Justification', 'Ticketing'],
  Enablement_Admin_Eligibility: ['MultiFactorAuthentication', 'Justification'],
  Enablement_Admin_Assignment: ['MultiFactorAuthentication', 'Justification'],
};

/** Authentication context ids are short tokens like Entra's `c1`…`c99`. */
const claimValuePattern = /^[A-Za-z0-9._:-]{1,64}$/;
/** Entra sends at most 1000 email recipients per PIM event (research §10). */
export const maxNotificationRecipients = 1000;
const notificationLevels = ['None', 'Critical', 'All'];
// RFC 5322 dot-atom local part and a dotted DNS name; quoted local parts and IP literals are refused.
const emailPattern =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** True for an address Elevate will mail: at most 254 characters, a 64-character local part, a dotted domain. */
export const isEmailAddress = (text: string): boolean =>
  text.length <= 254 && emailPattern.test(text) && text.indexOf('@') <= 64;

/**
 * Every problem with one rule, each naming the rule and the field (`Expiration_EndUser_Assignment
 * .maximumDuration must be …; got P2D`); empty when the rule can be saved. A rule keeps the kind,
 * caller and level its id names: rules are updated, never moved.
 */
export function validateRule(rule: PolicyRule): string[] {
  if (!isPolicyRuleId(rule.id)) {
    return [
      `'${shown(rule.id)}' is not a rule of a role management policy; the rules are ${policyRuleIds.join(', ')}`,
    ];
  }
  const kind = ruleKindOf(rule.id);
  if (rule.type !== kind) return [`${rule.id} is ${article(kind)} rule; got ${article(rule.type)} rule`];
  const errors = validateTarget(rule);
  switch (rule.type) {
    case 'expiration':
      return [...errors, ...validateExpiration(rule)];
    case 'enablement':
      return [...errors, ...validateEnablement(rule)];
    case 'authenticationContext':
      return [...errors, ...validateAuthenticationContext(rule)];
    case 'approval':
      return [...errors, ...validateApprovalSetting(rule)];
    case 'notification':
      return [...errors, ...validateNotification(rule)];
  }
}

/** Every problem with a whole policy's rules: each of the 17 present under its own id and valid. */
export function validateRules(rules: PolicyRules): string[] {
  return policyRuleIds.flatMap((id) => {
    const rule: PolicyRule | undefined = rules[id];
    if (rule === undefined || rule === null) return [`${id} is missing`];
    if (rule.id !== id) return [`${id} holds the rule ${shown(rule.id)}`];
    return validateRule(rule);
  });
}

const article = (kind: PolicyRule['type'] | string): string =>
  kind === 'expiration' || kind === 'enablement' || kind === 'approval' ? `an ${kind}` : `a ${kind}`;

// Elevate applies each rule to every operation of its caller and level and has no policy inheritance,
// so a target that says otherwise would be stored but not honoured; it is refused instead.
function validateTarget(rule: PolicyRule): string[] {
  const at = `${rule.id}.target`;
  const t = rule.target;
  if (typeof t !== 'object' || t === null) return [`${at} is required`];
  const errors: string[] = [];
  const fixed = ruleCallerLevelOf(rule.id as PolicyRuleId);
  if (t.caller !== fixed.caller) {
    errors.push(
      `${at}.caller must stay ${fixed.caller}: a rule cannot be moved to another caller; got ${shown(t.caller)}`,
    );
  }
  if (t.level !== fixed.level) {
    errors.push(
      `${at}.level must stay ${fixed.level}: a rule cannot be moved to another level; got ${shown(t.level)}`,
    );
  }
  if (!Array.isArray(t.operations) || t.operations.length !== 1 || t.operations[0] !== 'all') {
    errors.push(
      `${at}.operations must be ["all"]: each rule applies to every operation; got ${shown(t.operations)}`,
    );
  }
  for (const field of ['inheritableSettings', 'enforcedSettings'] as const) {
    if (!Array.isArray(t[field]) || t[field].length > 0) {
      errors.push(`${at}.${field} must be empty: Elevate has no policy inheritance; got ${shown(t[field])}`);
    }
  }
  return errors;
}

function validateExpiration(rule: ExpirationRule): string[] {
  const errors: string[] = [];
  const activation = rule.id === 'Expiration_EndUser_Assignment';
  if (typeof rule.isExpirationRequired !== 'boolean') {
    errors.push(
      `${rule.id}.isExpirationRequired must be true or false; got ${shown(rule.isExpirationRequired)}`,
    );
  } else if (activation && !rule.isExpirationRequired) {
    errors.push(`${rule.id}.isExpirationRequired must be true: activations always end; got false`);
  }
  const bounds = activation ? activationBounds : assignmentBounds;
  const example = activation ? 'PT8H' : 'P365D';
  const parsed = typeof rule.maximumDuration === 'string' ? parseDuration(rule.maximumDuration) : null;
  if (parsed === null) {
    errors.push(
      `${rule.id}.maximumDuration must be an ISO 8601 duration ${bounds.text}, such as ${example}; got ${shown(rule.maximumDuration)}`,
    );
  } else {
    const ms = durationMs(parsed);
    if (ms < bounds.min || ms > bounds.max) {
      errors.push(`${rule.id}.maximumDuration must be ${bounds.text}; got ${rule.maximumDuration}`);
    }
  }
  return errors;
}

function validateEnablement(rule: EnablementRule): string[] {
  const allowed = allowedFeatures[rule.id] ?? [];
  if (!Array.isArray(rule.enabledRules))
    return [`${rule.id}.enabledRules must be a list; got ${shown(rule.enabledRules)}`];
  const errors: string[] = [];
  for (const feature of rule.enabledRules) {
    if (!allowed.includes(feature)) {
      errors.push(`${rule.id}.enabledRules may contain only ${oneOf(allowed)}; got ${shown(feature)}`);
    }
  }
  for (const d of duplicates(rule.enabledRules, (f) => f))
    errors.push(`${rule.id}.enabledRules lists ${d} more than once`);
  return errors;
}

function validateAuthenticationContext(rule: AuthenticationContextRule): string[] {
  const errors: string[] = [];
  if (typeof rule.isEnabled !== 'boolean') {
    errors.push(`${rule.id}.isEnabled must be true or false; got ${shown(rule.isEnabled)}`);
  }
  const claim = rule.claimValue;
  const wellFormed = typeof claim === 'string' && claimValuePattern.test(claim);
  const what = `1–64 letters, digits, '.', '_', ':' or '-' naming an authentication context, such as c1`;
  if (rule.isEnabled === true && (claim === null || claim === '')) {
    errors.push(`${rule.id}.claimValue is required when isEnabled is true: ${what}`);
  } else if (claim !== null && claim !== '' && !wellFormed) {
    errors.push(`${rule.id}.claimValue must be ${what}; got ${shown(claim)}`);
  }
  return errors;
}

function validateNotification(rule: NotificationRule): string[] {
  const errors: string[] = [];
  if (rule.notificationType !== 'Email') {
    errors.push(`${rule.id}.notificationType must be Email; got ${shown(rule.notificationType)}`);
  }
  const recipient = recipientTypeOf(rule.id);
  if (rule.recipientType !== recipient) {
    errors.push(
      `${rule.id}.recipientType must be ${recipient} for this rule; got ${shown(rule.recipientType)}`,
    );
  }
  if (!notificationLevels.includes(rule.notificationLevel)) {
    errors.push(
      `${rule.id}.notificationLevel must be ${oneOf(notificationLevels)}; got ${shown(rule.notificationLevel)}`,
    );
  }
  if (typeof rule.isDefaultRecipientsEnabled !== 'boolean') {
    errors.push(
      `${rule.id}.isDefaultRecipientsEnabled must be true or false; got ${shown(rule.isDefaultRecipientsEnabled)}`,
    );
  }
  const recipients = rule.notificationRecipients;
  if (!Array.isArray(recipients))
    return [...errors, `${rule.id}.notificationRecipients must be a list of email addresses`];
  if (recipients.length > maxNotificationRecipients) {
    return [
      ...errors,
      `${rule.id}.notificationRecipients may list at most ${maxNotificationRecipients} addresses; got ${recipients.length}`,
    ];
  }
  recipients.forEach((r, i) => {
    if (typeof r !== 'string' || !isEmailAddress(r)) {
      errors.push(
        `${rule.id}.notificationRecipients[${i}] must be an email address such as alice@contoso.com; got ${shown(r)}`,
      );
    }
  });
  for (const d of duplicates(recipients, (r) => String(r).toLowerCase())) {
    errors.push(`${rule.id}.notificationRecipients lists ${d} more than once`);
  }
  return errors;
}
