import { describe, expect, it } from 'vitest';
import { earlier, eligibility, forDuration, globalAdmin, later, rules, until } from '../requests/test-kit.js';
import { pendingRequest, review } from './review-kit.js';

describe('approvedChanges: self-extend and self-renew, through decideApproval', () => {
  const admin = globalAdmin();

  it('given Alice asked to extend her eligibility, when a Global Administrator approves, then its end moves', () => {
    const elig = eligibility({ end: later('P10D') });
    const p = pendingRequest({
      action: 'selfExtend',
      kind: 'eligibility',
      schedules: [elig],
      scheduleInfo: until(later('P90D')),
    });
    const d = review(p, { reviewer: admin, now: later('PT1H') });
    expect(d.kind === 'approved' && d.changes).toEqual([
      { op: 'update', scheduleId: elig.id, end: later('P90D') },
    ]);
    expect(d.kind === 'approved' && d.request.status).toBe('Provisioned');
  });

  it('given the eligibility to extend expired while pending, when approved, then schedule.does_not_exist', () => {
    const elig = eligibility({ end: later('PT2H') });
    const p = pendingRequest({
      action: 'selfExtend',
      kind: 'eligibility',
      schedules: [elig],
      scheduleInfo: until(later('P90D')),
    });
    const d = review(p, { reviewer: admin, now: later('PT3H') });
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.does_not_exist');
  });

  it('given Alice asked to renew an expired eligibility for 90 days, when approved a day later, then a new one runs 90 days from the approval', () => {
    const old = eligibility({ start: earlier('P100D'), end: earlier('P3D'), status: 'Expired' });
    const p = pendingRequest({
      action: 'selfRenew',
      kind: 'eligibility',
      schedules: [old],
      scheduleInfo: forDuration('P90D'),
    });
    const d = review(p, { reviewer: admin, now: later('PT20H') });
    expect(d.kind === 'approved' && d.changes).toEqual([
      {
        op: 'create',
        schedule: expect.objectContaining({
          id: p.request.id,
          kind: 'eligibility',
          start: later('PT20H'),
          end: later('P90D', later('PT20H')),
        }),
      },
    ]);
  });

  it('given stricter limits for eligibility since the renewal request, when approved, then policy.violation', () => {
    const old = eligibility({ start: earlier('P100D'), end: earlier('P3D'), status: 'Expired' });
    const p = pendingRequest({
      action: 'selfRenew',
      kind: 'eligibility',
      schedules: [old],
      scheduleInfo: forDuration('P90D'),
    });
    const d = review(p, { reviewer: admin, rulesNow: rules({ eligible: { required: true, max: 'P30D' } }) });
    expect(d.kind === 'rejected' && d.error.details.violations?.[0]?.ruleId).toBe(
      'Expiration_Admin_Eligibility',
    );
  });
});
