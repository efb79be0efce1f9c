import { describe, expect, it } from 'vitest';
import { decideScheduleRequest } from '../requests/decide-schedule-request.js';
import { given, later, rules } from '../requests/test-kit.js';
import { expireApproval } from './approval-expiry.js';

const pending = () => {
  const d = decideScheduleRequest(given({ rules: rules({ approval: true }) }));
  if (d.kind !== 'pendingApproval') throw new Error(d.kind);
  return d;
};

describe('expireApproval (invariant 3: an undecided request expires)', () => {
  it('given an undecided approval, when its 24 hours pass, then it is Expired and its request Denied', () => {
    const { approval, request } = pending();
    expect(expireApproval(approval, request, later('P1D'))).toEqual({
      approval: { ...approval, status: 'Expired' },
      request: { ...request, status: 'Denied', completedAt: later('P1D') },
    });
  });

  it('given an undecided approval, one millisecond before its expiry, then nothing to do', () => {
    const { approval, request } = pending();
    expect(expireApproval(approval, request, new Date(later('P1D').getTime() - 1))).toBeNull();
  });

  it('given an approval already decided or expired, then nothing to do (a repeated tick changes nothing)', () => {
    const { approval, request } = pending();
    const once = expireApproval(approval, request, later('P2D'));
    expect(once && expireApproval(once.approval, once.request, later('P3D'))).toBeNull();
    expect(expireApproval({ ...approval, status: 'Completed' }, request, later('P2D'))).toBeNull();
  });
});
