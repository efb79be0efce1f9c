import type { ElevateErrorCode } from '../../core/errors.js';

/** The one table from Elevate's error codes to Graph's status and `error.code` (research §8.2, §8.3). */
export const graphErrorTable: Record<ElevateErrorCode, { status: number; code: string }> = {
  'request.invalid': { status: 400, code: 'invalidRequest' },
  'request.too_large': { status: 413, code: 'requestEntityTooLarge' },
  'auth.unauthenticated': { status: 401, code: 'InvalidAuthenticationToken' },
  'auth.invalid_credentials': { status: 401, code: 'InvalidAuthenticationToken' },
  'auth.forbidden': { status: 403, code: 'accessDenied' },
  'auth.mfa_required': { status: 401, code: 'InvalidAuthenticationToken' },
  'auth.mfa_failed': { status: 403, code: 'accessDenied' },
  'auth.locked': { status: 429, code: 'TooManyRequests' },
  'auth.provider_unavailable': { status: 503, code: 'serviceNotAvailable' },
  'resource.not_found': { status: 404, code: 'Request_ResourceNotFound' },
  'resource.conflict': { status: 409, code: 'conflict' },
  'policy.violation': { status: 400, code: 'RoleAssignmentRequestPolicyValidationFailed' },
  'policy.acrs_required': { status: 400, code: 'RoleAssignmentRequestAcrsValidationFailed' },
  'schedule.exists': { status: 400, code: 'RoleAssignmentExists' },
  'schedule.does_not_exist': { status: 400, code: 'RoleAssignmentDoesNotExist' },
  'schedule.pending_request': { status: 400, code: 'PendingRoleAssignmentRequest' },
  'schedule.active_duration_too_short': { status: 400, code: 'ActiveDurationTooShort' },
  'schedule.principal_type_not_allowed': { status: 400, code: 'invalidRequest' },
  'request.not_cancelable': { status: 400, code: 'invalidRequest' },
  'approval.self_approval': { status: 403, code: 'accessDenied' },
  'approval.not_approver': { status: 403, code: 'accessDenied' },
  'approval.already_decided': { status: 409, code: 'conflict' },
  'approval.justification_required': { status: 400, code: 'invalidRequest' },
  internal: { status: 500, code: 'generalException' },
};

export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
    details?: { code: string; message: string; target?: string }[];
  };
}

/** Builds Graph's error envelope; `details` lists each broken rule so clients need not parse the message. */
export function graphErrorBody(args: {
  code: string;
  message: string;
  requestId: string;
  clientRequestId: string | undefined;
  date: Date;
  details?: { code: string; message: string; target?: string }[];
}): GraphErrorBody {
  return {
    error: {
      code: args.code,
      message: args.message,
      innerError: {
        date: args.date.toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': args.requestId,
        'client-request-id': args.clientRequestId ?? args.requestId,
      },
      ...(args.details?.length ? { details: args.details } : {}),
    },
  };
}
