import { describe, expect, it } from 'vitest';
import type { PimEvent, PimEventType } from '../events/pim-event.js';
import type { ScheduleAction } from '../model/request.js';
import { audiencesFor } from './notification-audiences.js';

const party = { id: 'u1', type: 'user' as const, displayName: 'Adam', userPrincipalName: null, mail: null };
const event = (type: PimEventType, extra: Partial<PimEvent['data']> = {}): PimEvent => ({
  id: 'e1',
  type,
  time: new Date('2026-01-05T09:00:00Z'),
  tenantId: 't',
  subject: 's',
  actor: party,
  data: {
    principal: party,
    target: {
      targetKind: 'directoryRole',
      roleDefinitionId: 'r',
      scopeId: '/',
      displayName: 'R',
      scopeDisplayName: 'Directory',
    },
    kind: 'assignment',
    requestId: 'q',
    scheduleId: null,
    approvalId: 'a',
    justification: null,
    ticket: null,
    start: null,
    end: null,
    ...extra,
  },
});

const of = (type: PimEventType, action: ScheduleAction | null, extra: Partial<PimEvent['data']> = {}) =>
  audiencesFor(event(type, extra), action).map(
    (a) => `${a.ruleId} ${a.message}${a.critical ? ' critical' : ''}`,
  );

describe('audiencesFor: which notification rule tells whom of an event', () => {
  it.each([
    [
      'elevate.approval.requested',
      'selfActivate',
      ['Notification_Approver_EndUser_Assignment approvalRequested critical'],
    ],
    [
      'elevate.approval.decided',
      'selfActivate',
      ['Notification_Approver_EndUser_Assignment approvalDecided critical'],
    ],
    [
      'elevate.request.canceled',
      'selfActivate',
      ['Notification_Approver_EndUser_Assignment requestCanceled critical'],
    ],
    [
      'elevate.activation.granted',
      'selfActivate',
      [
        'Notification_Requestor_EndUser_Assignment activationGranted',
        'Notification_Admin_EndUser_Assignment activationAlert',
      ],
    ],
    [
      'elevate.activation.denied',
      'selfActivate',
      ['Notification_Requestor_EndUser_Assignment activationDenied'],
    ],
    ['elevate.activation.ended', 'selfDeactivate', []],
    [
      'elevate.assignment.added',
      'adminAssign',
      [
        'Notification_Requestor_Admin_Assignment assignmentAdded',
        'Notification_Admin_Admin_Assignment assignmentAlert',
      ],
    ],
    [
      'elevate.approval.requested',
      'selfExtend',
      ['Notification_Approver_Admin_Assignment approvalRequested critical'],
    ],
    ['elevate.assignment.expiring', null, ['Notification_Requestor_Admin_Assignment assignmentExpiring']],
    ['elevate.settings.updated', null, []],
    ['elevate.signin.emergency', null, []],
  ] as const)('%s after %s', (type, action, expected) => {
    expect(of(type, action)).toEqual(expected);
  });

  it('uses the Eligibility rules for eligible assignments', () => {
    expect(of('elevate.assignment.added', 'adminAssign', { kind: 'eligibility' })).toEqual([
      'Notification_Requestor_Admin_Eligibility assignmentAdded',
      'Notification_Admin_Admin_Eligibility assignmentAlert',
    ]);
    expect(
      of('elevate.assignment.removed', 'adminAssign', { kind: 'eligibility', reason: 'expired' }),
    ).toEqual(['Notification_Requestor_Admin_Eligibility assignmentExpired']);
  });

  it('tells the person whose activation an administrator removed, and nobody of one that simply ended', () => {
    expect(of('elevate.activation.ended', 'selfActivate', { reason: 'removed' })).toEqual([
      'Notification_Requestor_EndUser_Assignment accessRemoved',
    ]);
    expect(of('elevate.activation.ended', 'selfActivate', { reason: 'expired' })).toEqual([]);
  });

  it('tells approvers of a cancel only when the request waited for approval', () => {
    expect(of('elevate.request.canceled', 'selfActivate', { approvalId: null })).toEqual([]);
  });
});
