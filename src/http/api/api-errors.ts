import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isElevateError } from '../../core/errors.js';
import { setAuthErrorHeaders } from '../auth/auth-error-headers.js';
import { graphErrorTable } from '../graph/graph-errors.js';

/** The native API's error body: `{ error: { code, message, details? } }` with Elevate's own codes. */
export function sendApiError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const send = (status: number, code: string, message: string, details?: unknown) =>
    reply
      .status(status)
      .send({ error: { code, message, requestId: request.id, ...(details ? { details } : {}) } });
  if (isElevateError(error)) {
    setAuthErrorHeaders(error, reply);
    return send(graphErrorTable[error.code].status, error.code, error.message, error.details.violations);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const parts = error.validation.map((v) => {
      const where = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return where ? `${where}: ${v.message}` : v.message;
    });
    return send(
      400,
      'request.invalid',
      `Invalid request ${error.validationContext ?? 'body'}: ${parts.join('; ')}`,
    );
  }
  const fe = error as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return send(413, 'request.too_large', 'The request body is too large.');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return send(fe.statusCode, 'request.invalid', fe.message);
  request.log.error({ err: error }, 'unhandled error');
  return send(500, 'internal', 'An internal error occurred. The request id identifies it in the server log.');
}
