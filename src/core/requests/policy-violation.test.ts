import { describe, expect, it } from 'vitest';
import { policyViolation } from './policy-violation.js';

describe('policyViolation', () => {
  it('given two violations of the same token, then the token is listed once and both messages follow', () => {
    const e = policyViolation([
      { ruleId: 'Expiration_EndUser_Assignment', reason: 'ExpirationRule', message: 'Too long.' },
      { ruleId: 'EligibilityRule', reason: 'ExpirationRule', message: 'Outlasts eligibility.' },
      { ruleId: 'Enablement_EndUser_Assignment', reason: 'MfaRule', message: 'Needs MFA.' },
    ]);
    expect(e.code).toBe('policy.violation');
    expect(e.message).toBe(
      'The following policy rules failed: ["ExpirationRule","MfaRule"]. Too long. Outlasts eligibility. Needs MFA.',
    );
    expect(e.details.violations).toHaveLength(3);
  });

  it('given only an authentication-context violation, then the code is policy.acrs_required', () => {
    const e = policyViolation([
      { ruleId: 'AuthenticationContext_EndUser_Assignment', reason: 'AcrsRule', message: 'Needs c1.' },
    ]);
    expect(e.code).toBe('policy.acrs_required');
  });
});
