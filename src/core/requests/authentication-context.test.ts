import { describe, expect, it } from 'vitest';
import { decideScheduleRequest } from './decide-schedule-request.js';
import type { Decision } from './decision.js';
import { given, rules } from './test-kit.js';

const reasons = (d: Decision) =>
  d.kind === 'rejected' ? d.error.details.violations?.map((v) => v.reason) : [];
const contextOnly = rules({ activationRequires: ['Justification'], acrs: true });

describe('selfActivate: the authentication context (claimValue c1) and how the step-up was made', () => {
  it.each([
    ['a TOTP step-up (no acr), fallback mfa', { stepUpAcr: undefined }, 'granted'],
    ['an OIDC step-up asserting c1', { stepUpAcr: 'c1' }, 'granted'],
    [
      'an OIDC step-up asserting c1, fallback deny',
      { stepUpAcr: 'c1', acrFallback: 'deny' as const },
      'granted',
    ],
    ['an OIDC step-up with no acr, fallback mfa', { stepUpAcr: null }, 'granted'],
    [
      'an OIDC step-up with no acr, fallback deny',
      { stepUpAcr: null, acrFallback: 'deny' as const },
      'rejected',
    ],
    ['a TOTP step-up, fallback deny', { acrFallback: 'deny' as const }, 'rejected'],
    ['an OIDC step-up asserting c2', { stepUpAcr: 'c2' }, 'rejected'],
  ])('given %s, then the request is %s', (_label, g, kind) => {
    const d = decideScheduleRequest(given({ ...g, rules: contextOnly }));
    expect(d.kind).toBe(kind);
    if (kind === 'rejected') {
      expect(reasons(d)).toEqual(['AcrsRule']);
      expect(d.kind === 'rejected' && d.error.code).toBe('policy.acrs_required');
    }
  });

  it('given an OIDC step-up asserting another context, then the message names both', () => {
    const d = decideScheduleRequest(given({ stepUpAcr: 'c2', rules: contextOnly }));
    expect(d.kind === 'rejected' && d.error.message).toContain(
      "requires the authentication context 'c1', but the identity provider asserted the authentication context 'c2'; step up again for 'c1'",
    );
  });

  it('given no step-up, then the context fails whatever the fallback, and the rule off needs nothing', () => {
    expect(reasons(decideScheduleRequest(given({ stepUp: false, rules: contextOnly })))).toEqual([
      'AcrsRule',
    ]);
    const off = rules({ activationRequires: ['Justification'] });
    expect(decideScheduleRequest(given({ stepUp: false, acrFallback: 'deny', rules: off })).kind).toBe(
      'granted',
    );
  });
});
