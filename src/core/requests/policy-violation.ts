import { ElevateError, type RuleViolation } from '../errors.js';

/**
 * Decides the one error that reports every broken rule together (invariant 4), worded like Graph:
 * `The following policy rules failed: ["JustificationRule","MfaRule"]. <each message>`. When the only
 * failure is an authentication context, the code is `policy.acrs_required` so surfaces can send a claims challenge.
 */
export function policyViolation(violations: readonly RuleViolation[]): ElevateError {
  const tokens = [...new Set(violations.map((v) => v.reason))];
  const message = `The following policy rules failed: ${JSON.stringify(tokens)}. ${violations.map((v) => v.message).join(' ')}`;
  const code = tokens.length === 1 && tokens[0] === 'AcrsRule' ? 'policy.acrs_required' : 'policy.violation';
  return new ElevateError(code, message, { violations });
}
