import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Services } from '../../app/services.js';
import { ElevateError, isElevateError } from '../../core/errors.js';
import { setAuthErrorHeaders } from '../auth/auth-error-headers.js';
import { authenticateRequest } from '../auth/authenticate.js';
import { graphErrorBody, graphErrorTable } from './graph-errors.js';
import { ODataError } from './odata/index.js';
import { graphRoutes } from './routes/index.js';

export interface GraphOptions {
  readonly publicUrl?: string;
}

/** Mounts the Graph-shaped surface at /v1.0 and /beta; every route needs a bearer token. */
export async function registerGraph(
  app: FastifyInstance,
  services: Services,
  options: GraphOptions,
): Promise<void> {
  for (const version of ['v1.0', 'beta'] as const) {
    await app.register(
      async (graph) => {
        graph.decorateRequest('graphVersion', version);
        graph.addHook('onRequest', async (request) => {
          request.actor = await authenticateRequest(services, request);
        });
        graph.setErrorHandler((error, request, reply) => sendGraphError(error, request, reply, services));
        graph.setNotFoundHandler((request, reply) =>
          sendGraphError(
            new ElevateError(
              'resource.not_found',
              `Resource not found for the segment '${request.url.split('?')[0]}'.`,
            ),
            request,
            reply,
            services,
          ),
        );
        for (const register of graphRoutes)
          await register(graph, services, { version, publicUrl: options.publicUrl });
      },
      { prefix: `/${version}` },
    );
  }
}

/** The one place Graph error bodies are written. */
export function sendGraphError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  services: Pick<Services, 'clock'>,
): FastifyReply {
  const clientRequestId = headerValue(request.headers['client-request-id']);
  const send = (
    status: number,
    code: string,
    message: string,
    details?: { code: string; message: string }[],
  ) =>
    reply
      .status(status)
      .header('request-id', request.id)
      .send(
        graphErrorBody({
          code,
          message,
          requestId: request.id,
          clientRequestId,
          date: services.clock.now(),
          details,
        }),
      );

  if (isElevateError(error)) {
    const { status, code } = graphErrorTable[error.code];
    if (error.code === 'auth.unauthenticated') reply.header('www-authenticate', 'Bearer realm="elevate"');
    setAuthErrorHeaders(error, reply);
    const details = error.details.violations?.map((v) => ({
      code: v.reason,
      message: v.message,
      target: v.ruleId,
    }));
    return send(status, code, error.message, details);
  }
  if (error instanceof ODataError) return send(400, 'BadRequest', error.message);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const parts = error.validation.map((v) => {
      const where = `${v.instancePath.replace(/^\//, '').replaceAll('/', '.')}`;
      return where ? `${where}: ${v.message}` : `${v.message}`;
    });
    return send(
      400,
      'invalidRequest',
      `Invalid request ${error.validationContext ?? 'body'}: ${parts.join('; ')}`,
    );
  }
  const fe = error as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return send(413, 'requestEntityTooLarge', 'The request body is too large.');
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return send(415, 'invalidRequest', 'The request body must be JSON (Content-Type: application/json).');
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return send(400, 'invalidRequest', 'The request body is empty.');
  if (fe.statusCode === 400 && /JSON/i.test(fe.message)) {
    return send(400, 'invalidRequest', `The request body is not valid JSON: ${fe.message}`);
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return send(fe.statusCode, 'invalidRequest', fe.message);
  request.log.error({ err: error }, 'unhandled error');
  return send(
    500,
    'generalException',
    'An internal error occurred. The request id identifies it in the server log.',
  );
}

const headerValue = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h);
