import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ElevateErrorCode, isElevateError } from '../../core/errors.js';
import { setAuthErrorHeaders } from '../auth/auth-error-headers.js';

/** An error the ARM surface itself raises (bad api-version, path, filter or body), with ARM's status and code. */
export class ArmError extends Error {
  override readonly name = 'ArmError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** 400 InvalidRequestContent: the body (or a query option) is not what the operation takes. */
export const invalidContent = (message: string): ArmError =>
  new ArmError(400, 'InvalidRequestContent', message);

/** The one table from Elevate's error codes to ARM's status and `error.code` (research §8.3; CloudError). */
const armErrorTable: Record<ElevateErrorCode, { status: number; code: string }> = {
  'request.invalid': { status: 400, code: 'InvalidRequestContent' },
  'request.too_large': { status: 413, code: 'RequestEntityTooLarge' },
  'auth.unauthenticated': { status: 401, code: 'AuthenticationFailed' },
  'auth.invalid_credentials': { status: 401, code: 'InvalidAuthenticationToken' },
  'auth.forbidden': { status: 403, code: 'AuthorizationFailed' },
  'auth.mfa_required': { status: 401, code: 'InvalidAuthenticationToken' },
  'auth.mfa_failed': { status: 403, code: 'AuthorizationFailed' },
  'auth.locked': { status: 429, code: 'TooManyRequests' },
  'auth.provider_unavailable': { status: 503, code: 'ServiceUnavailable' },
  'resource.not_found': { status: 404, code: 'ResourceNotFound' },
  'resource.conflict': { status: 409, code: 'Conflict' },
  'policy.violation': { status: 400, code: 'RoleAssignmentRequestPolicyValidationFailed' },
  'policy.acrs_required': { status: 400, code: 'RoleAssignmentRequestAcrsValidationFailed' },
  'schedule.exists': { status: 400, code: 'RoleAssignmentExists' },
  'schedule.does_not_exist': { status: 400, code: 'RoleAssignmentDoesNotExist' },
  'schedule.pending_request': { status: 400, code: 'PendingRoleAssignmentRequest' },
  'schedule.active_duration_too_short': { status: 400, code: 'ActiveDurationTooShort' },
  'schedule.principal_type_not_allowed': { status: 400, code: 'InvalidPrincipalType' },
  'request.not_cancelable': { status: 400, code: 'RequestNotCancelable' },
  'approval.self_approval': { status: 403, code: 'AuthorizationFailed' },
  'approval.not_approver': { status: 403, code: 'AuthorizationFailed' },
  'approval.already_decided': { status: 409, code: 'Conflict' },
  'approval.justification_required': { status: 400, code: 'InvalidRequestContent' },
  internal: { status: 500, code: 'InternalServerError' },
};

interface ArmErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
}

/** ARM's CloudError envelope: `{ "error": { "code", "message", "target"?, "details"? } }`. */
function armErrorBody(code: string, message: string, details?: readonly ArmErrorDetail[], target?: string) {
  return {
    error: {
      code,
      message,
      ...(target ? { target } : {}),
      ...(details && details.length > 0 ? { details } : {}),
    },
  };
}

/** The one place ARM error bodies are written. */
export function sendArmError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const send = (status: number, code: string, message: string, details?: ArmErrorDetail[], target?: string) =>
    reply
      .status(status)
      .header('x-ms-request-id', request.id)
      .send(armErrorBody(code, message, details, target));

  if (error instanceof ArmError) return send(error.status, error.code, error.message);
  if (isElevateError(error)) {
    const { status, code } = armErrorTable[error.code];
    if (error.code === 'auth.unauthenticated') reply.header('www-authenticate', 'Bearer realm="elevate"');
    setAuthErrorHeaders(error, reply);
    const details = error.details.violations?.map((v) => ({
      code: v.reason,
      message: v.message,
      target: v.ruleId,
    }));
    return send(status, code, error.message, details, error.details.target);
  }
  const fe = error as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return send(413, 'RequestEntityTooLarge', 'The request body is too large.');
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return send(
      415,
      'UnsupportedMediaType',
      'The request body must be JSON (Content-Type: application/json).',
    );
  if (fe.statusCode === 400 && /JSON/i.test(fe.message)) {
    return send(400, 'InvalidRequestContent', `The request body is not valid JSON: ${fe.message}`);
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return send(fe.statusCode, 'BadRequest', fe.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return send(
    500,
    'InternalServerError',
    'An internal error occurred. The x-ms-request-id identifies it in the server log.',
  );
}
