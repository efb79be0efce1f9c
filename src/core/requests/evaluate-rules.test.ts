import { describe, expect, it } from 'vitest';
import type { ScheduleAction } from '../model/request.js';
import type { ScheduleKind } from '../model/schedule.js';
import { evaluateRules, type RuleFacts } from './evaluate-rules.js';
import { later, rules, t0 } from './test-kit.js';

const facts = (p: Partial<RuleFacts> = {}): RuleFacts => ({
  action: 'selfActivate',
  kind: 'assignment',
  subject: "Activating 'Exchange Administrator' at scope '/'",
  justification: null,
  ticketInfo: { ticketNumber: null, ticketSystem: null },
  mfa: false,
  window: { start: t0, end: null },
  measureFrom: t0,
  approvalRequired: true,
  ...p,
});
const strict = rules({
  activationRequires: ['Justification', 'Ticketing', 'MultiFactorAuthentication'],
  acrs: true,
  approval: true,
  eligible: { required: true, max: 'P90D' },
  active: { required: true, max: 'P180D' },
  eligibleRequires: ['Justification', 'Ticketing', 'MultiFactorAuthentication'],
  activeRequires: ['Justification', 'MultiFactorAuthentication'],
});

describe('evaluateRules: which settings govern which action', () => {
  it.each<[ScheduleAction, ScheduleKind, string[]]>([
    [
      'selfActivate',
      'assignment',
      [
        'Expiration_EndUser_Assignment',
        'Enablement_EndUser_Assignment',
        'Enablement_EndUser_Assignment',
        'Enablement_EndUser_Assignment',
        'AuthenticationContext_EndUser_Assignment',
      ],
    ],
    [
      'selfExtend',
      'eligibility',
      [
        'Expiration_Admin_Eligibility',
        'Enablement_EndUser_Assignment',
        'Enablement_EndUser_Assignment',
        'Enablement_EndUser_Assignment',
        'AuthenticationContext_EndUser_Assignment',
      ],
    ],
    [
      'selfRenew',
      'assignment',
      [
        'Expiration_Admin_Assignment',
        'Enablement_EndUser_Assignment',
        'Enablement_EndUser_Assignment',
        'Enablement_EndUser_Assignment',
        'AuthenticationContext_EndUser_Assignment',
      ],
    ],
    [
      'adminAssign',
      'eligibility',
      [
        'Expiration_Admin_Eligibility',
        'Enablement_Admin_Eligibility',
        'Enablement_Admin_Eligibility',
        'Enablement_Admin_Eligibility',
      ],
    ],
    [
      'adminUpdate',
      'assignment',
      ['Expiration_Admin_Assignment', 'Enablement_Admin_Assignment', 'Enablement_Admin_Assignment'],
    ],
    [
      'adminExtend',
      'assignment',
      ['Expiration_Admin_Assignment', 'Enablement_Admin_Assignment', 'Enablement_Admin_Assignment'],
    ],
    [
      'adminRenew',
      'eligibility',
      [
        'Expiration_Admin_Eligibility',
        'Enablement_Admin_Eligibility',
        'Enablement_Admin_Eligibility',
        'Enablement_Admin_Eligibility',
      ],
    ],
    ['adminRemove', 'eligibility', []],
    ['selfDeactivate', 'assignment', []],
  ])(
    'given every rule broken, when %s (%s) is checked, then exactly its settings report',
    (action, kind, ruleIds) => {
      expect(evaluateRules(strict, facts({ action, kind })).map((v) => v.ruleId)).toEqual(ruleIds);
    },
  );
});

describe('evaluateRules: details', () => {
  it('given the MFA state is unknown (at approval time), then MFA and authentication context are not judged', () => {
    const reasons = evaluateRules(
      strict,
      facts({ mfa: null, justification: 'x', ticketInfo: { ticketNumber: '1', ticketSystem: null } }),
    ).map((v) => v.reason);
    expect(reasons).toEqual(['ExpirationRule']);
  });

  it('given exactly the maximum, then it passes; one second more fails with both durations in words', () => {
    const r = rules({ activationMax: 'PT1H45M', activationRequires: [] });
    expect(
      evaluateRules(
        r,
        facts({ mfa: true, justification: 'x', window: { start: t0, end: later('PT1H45M') } }),
      ),
    ).toEqual([]);
    const v = evaluateRules(
      r,
      facts({ mfa: true, justification: 'x', window: { start: t0, end: later('PT1H45M1S') } }),
    );
    expect(v[0]?.message).toBe(
      "Activating 'Exchange Administrator' at scope '/' for 1 hour 45 minutes 1 second exceeds the maximum of 1 hour 45 minutes (rule Expiration_EndUser_Assignment).",
    );
  });

  it('given a blank ticket system but a ticket number, then the ticket rule is satisfied', () => {
    const r = rules({ activationRequires: ['Ticketing'] });
    const v = evaluateRules(
      r,
      facts({
        mfa: true,
        justification: 'x',
        window: { start: t0, end: later('PT1H') },
        ticketInfo: { ticketNumber: 'INC-1', ticketSystem: null },
      }),
    );
    expect(v).toEqual([]);
  });

  it('given an unreadable maximum in the settings, then the request fails closed with ExpirationRule', () => {
    const r = rules({ activationMax: 'eight hours', activationRequires: [] });
    const v = evaluateRules(
      r,
      facts({ mfa: true, justification: 'x', window: { start: t0, end: later('PT1H') } }),
    );
    expect(v.map((x) => x.reason)).toEqual(['ExpirationRule']);
  });
});
