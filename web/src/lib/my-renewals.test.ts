import { describe, expect, it } from 'vitest';
import type { AccessRow } from './my-access';
import { canExtend, type GrantRequest, renewableFrom, windowEnd } from './my-renewals';

const day = 86_400_000;
const now = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const helpdesk = { kind: 'directoryRole' as const, roleDefinitionId: 'r-1', directoryScopeId: '/' };

const row = (over: Partial<AccessRow>): AccessRow => ({
  id: 'i',
  target: helpdesk,
  name: 'Helpdesk Administrator',
  via: null,
  viaGroupId: null,
  assignmentType: null,
  startDateTime: null,
  endDateTime: iso(now + 10 * day),
  grants: [],
  pendingApproval: false,
  ...over,
});

const request = (over: Partial<GrantRequest>): GrantRequest => ({
  kind: 'eligibility',
  target: helpdesk,
  action: 'adminAssign',
  status: 'Provisioned',
  createdDateTime: iso(now - 40 * day),
  scheduleInfo: {
    startDateTime: iso(now - 40 * day),
    expiration: { type: 'afterDuration', endDateTime: null, duration: 'P30D' },
  },
  ...over,
});

describe('extending and renewing', () => {
  it('offers extension in the last 14 days of my own eligibility or assignment, never of an activation', () => {
    expect(canExtend(row({}), now)).toBe(true);
    expect(canExtend(row({ endDateTime: iso(now + 15 * day) }), now)).toBe(false);
    expect(canExtend(row({ endDateTime: null }), now)).toBe(false);
    expect(canExtend(row({ assignmentType: 'Assigned' }), now)).toBe(true);
    expect(canExtend(row({ assignmentType: 'Activated' }), now)).toBe(false);
    expect(canExtend(row({ via: 'PAG-SERVICE-DESK' }), now)).toBe(false);
  });

  it('reads when a window ends: its end, its start plus its duration, or never', () => {
    expect(
      windowEnd(
        {
          startDateTime: iso(now),
          expiration: { type: 'afterDuration', endDateTime: null, duration: 'P1DT2H' },
        },
        iso(0),
      ),
    ).toBe(now + day + 2 * 3_600_000);
    expect(
      windowEnd(
        { startDateTime: null, expiration: { type: 'afterDateTime', endDateTime: iso(now), duration: null } },
        iso(0),
      ),
    ).toBe(now);
    expect(
      windowEnd(
        { startDateTime: null, expiration: { type: 'noExpiration', endDateTime: null, duration: null } },
        iso(0),
      ),
    ).toBeNull();
  });

  it('offers renewal of what ended in the last 30 days, unless it is live again or was removed', () => {
    expect(renewableFrom([request({})], new Set(), now)).toEqual([
      { kind: 'eligibility', target: helpdesk, endedAt: iso(now - 10 * day) },
    ]);
    expect(renewableFrom([request({})], new Set(['eligibility:role:r-1:/']), now)).toEqual([]);
    const removed = request({
      action: 'adminRemove',
      createdDateTime: iso(now - 20 * day),
      scheduleInfo: null,
    });
    expect(renewableFrom([request({}), removed], new Set(), now)).toEqual([]);
    const longAgo = request({
      createdDateTime: iso(now - 90 * day),
      scheduleInfo: {
        startDateTime: iso(now - 90 * day),
        expiration: { type: 'afterDuration', endDateTime: null, duration: 'P30D' },
      },
    });
    expect(renewableFrom([longAgo], new Set(), now)).toEqual([]);
    // Activations are not assignments one renews.
    expect(renewableFrom([request({ kind: 'assignment', action: 'selfActivate' })], new Set(), now)).toEqual(
      [],
    );
  });
});
