import type { FastifyInstance, FastifySchema } from 'fastify';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { $ZodType } from 'zod/v4/core';
import type { AccessCheckInput } from '../../app/access/access-service.js';
import type { Services } from '../../app/services.js';
import { isAccessDecideBody } from '../../contracts/access-decide-body-check.js';
import {
  accessDecideBodySchema,
  accessDecideResponseSchema,
  maxDecideQueries,
} from '../../contracts/access-decide-schemas.js';
import type { AccessQueryBody } from '../../contracts/access-schemas.js';
import { callContext } from '../graph/call-context.js';
import { instantMs } from './instant-ms.js';

/**
 * The body validator, for speed: a well-formed batch passes the hand-written mirror of the schema
 * (access-decide-body-check.ts) at once; anything else goes to the zod schema, so every refusal, and its message
 * naming the field, is the one the schema gives.
 */
const validateBody = (route: FastifyRouteSchemaDef<FastifySchema>) => {
  // Fastify hands the compiler one part's schema: here the body's, a zod schema.
  const zod = validatorCompiler(route as unknown as FastifyRouteSchemaDef<$ZodType>);
  return (data: unknown) => (isAccessDecideBody(data) ? { value: data } : zod(data));
};

/** `{"allowed":[…]}` written directly when it is what the response schema says; zod checks anything else. */
const serializeAnswers = (route: FastifyRouteSchemaDef<FastifySchema>) => {
  const zod = serializerCompiler(route as unknown as FastifyRouteSchemaDef<$ZodType>);
  return (data: unknown) => {
    const allowed = (data as { allowed?: unknown } | null)?.allowed;
    return Array.isArray(allowed) &&
      allowed.length <= maxDecideQueries &&
      allowed.every((a) => typeof a === 'boolean')
      ? `{"allowed":[${allowed.join(',')}]}`
      : zod(data);
  };
};

function toInput(q: AccessQueryBody): AccessCheckInput {
  const target =
    q.roleDefinitionId !== undefined ? { roleDefinitionId: q.roleDefinitionId } : { action: q.action ?? '' };
  return q.at === undefined
    ? { principalId: q.principalId, target, scope: q.scope }
    : { principalId: q.principalId, target, scope: q.scope, at: new Date(instantMs(q.at)) };
}

/**
 * `POST /access/decide`: allow or deny only, for many questions, from the in-memory index — the hot path of
 * downstream systems, so it skips what it can prove it does not need. It has its own context for its JSON
 * parser: Fastify's, without the scan of the whole body for `__proto__` and `constructor` keys (a regex over
 * every byte) — the body must pass a strict schema that refuses any key besides its own, and is only read,
 * never merged into another object.
 */
export async function registerAccessDecideRoute(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (decide) => {
    decide.removeContentTypeParser('application/json');
    decide.addContentTypeParser(
      'application/json',
      { parseAs: 'string' },
      decide.getDefaultJsonParser('ignore', 'ignore'),
    );
    decide.withTypeProvider<ZodTypeProvider>().post(
      '/access/decide',
      {
        schema: {
          summary:
            'Allow or deny only, for up to 2000 questions in order, from the in-memory access index: the answers of /access/check without reasons, exact as of every committed change',
          tags: ['access'],
          body: accessDecideBodySchema,
          response: { 200: accessDecideResponseSchema },
        },
        validatorCompiler: validateBody,
        serializerCompiler: serializeAnswers,
        // Downstream systems ask on every privileged call: a log line per request would cost a third of the
        // request and flood the log. Errors (5xx) are still logged; answers are reads and change nothing.
        logLevel: 'warn',
      },
      async (req) => ({
        allowed: await services.access.decide(callContext(req), req.body.queries.map(toInput)),
      }),
    );
  });
}
