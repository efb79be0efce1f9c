import type { FastifyInstance, FastifySchema } from 'fastify';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { $ZodType } from 'zod/v4/core';
import type { Services } from '../../app/services.js';
import {
  type AccessDecideColumns,
  type KnownSpellings,
  readAccessDecideBody,
} from '../../contracts/access-decide-body-check.js';
import {
  type AccessDecideBody,
  accessDecideBodySchema,
  accessDecideResponseSchema,
  maxDecideQueries,
} from '../../contracts/access-decide-schemas.js';
import type { AccessQueryBody } from '../../contracts/access-schemas.js';
import { type AskedAction, askedAction } from '../../core/access/index/role-actions.js';
import type { AskedScope } from '../../core/access/index/scope-chains.js';
import { deferredChildLogger } from '../deferred-child-logger.js';
import { callContext } from '../graph/call-context.js';
import { type KnownBytes, ScannedDecideBatch, scanDecideBody } from './decide-body-scanner.js';
import { instantMs } from './instant-ms.js';
import { createStringMemo } from './string-memo.js';

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

/** The questions the schema gave (when the hand-written reading left the body to it), as columns. */
function columnsOf(queries: readonly AccessQueryBody[]): Columns {
  return {
    principalIds: queries.map((q) => q.principalId),
    roleIds: queries.map((q) => q.roleDefinitionId),
    actions: queries.map((q) => q.action ?? ''),
    scopes: queries.map((q) => q.scope),
    ats: queries.map((q) => q.at),
  };
}

/** The columns with each instant in epoch ms, as the scanner gives them. */
const withMs = (columns: Columns) => ({
  principalIds: columns.principalIds,
  roleIds: columns.roleIds,
  actions: columns.actions,
  scopes: columns.scopes,
  ats: msOf(columns.ats),
});

/** Epoch ms of each instant; NaN (now) for an absent one. */
function msOf(ats: readonly (string | undefined)[]): Float64Array {
  const out = new Float64Array(ats.length);
  for (let i = 0; i < ats.length; i++) {
    const at = ats[i];
    out[i] = at === undefined ? Number.NaN : instantMs(at);
  }
  return out;
}

/** The batch as the route hands it on: scopes and actions as handles where the spelling was seen before. */
type Columns = AccessDecideColumns<AskedScope, AskedAction>;

/** The same, read from the body's bytes, with the instants already in epoch ms. */
type ScannedColumns = ScannedDecideBatch<AskedScope, AskedAction>;

/** Spellings of scopes (and of actions) remembered before the memo starts again (bounds memory). */
const maxAcceptedScopes = 100_000;

/**
 * `POST /access/decide`: allow or deny only, for many questions, from the in-memory index — the hot path of
 * downstream systems, so it skips what it can prove it does not need. It has its own context for its JSON
 * parser: Fastify's, without the scan of the whole body for `__proto__` and `constructor` keys (a regex over
 * every byte) — the body must pass a strict schema that refuses any key besides its own, and is only read,
 * never merged into another object.
 */
export async function registerAccessDecideRoute(app: FastifyInstance, services: Services): Promise<void> {
  /**
   * Spellings of scopes and actions this route accepted — each passed the schema's pattern — with the access
   * index's handle for each: the hand-written reading does not match them against the pattern again, and the
   * index finds a scope's chain, or an action's id, through the handle.
   */
  const scopes = createStringMemo<AskedScope>(maxAcceptedScopes);
  const actions = createStringMemo<AskedAction>(maxAcceptedScopes);
  const known: KnownSpellings<AskedScope, AskedAction> = {
    scope: (scope) => scopes.get(scope),
    action: (action) => actions.get(action),
  };
  const knownBytes: KnownBytes<AskedScope, AskedAction> = {
    scopes: (bytes, starts, ends, count, out) => scopes.getManyBytes(bytes, starts, ends, count, out),
    actions: (bytes, starts, ends, count, out) => actions.getManyBytes(bytes, starts, ends, count, out),
  };
  /** Remembers the spellings of a batch that was answered which the memos did not know yet. */
  function remember(columns: Pick<Columns, 'scopes' | 'actions'>): void {
    for (const s of columns.scopes) if (typeof s === 'string') scopes.set(s, services.access.askedScope(s));
    for (const a of columns.actions) if (typeof a === 'string' && a !== '') actions.set(a, askedAction(a));
  }

  /**
   * The body validator, for speed: a batch the parser read from the bytes is already checked (no JSON body is
   * an instance of that class); a well-formed batch is read into columns by the hand-written mirror of the
   * schema (access-decide-body-check.ts) at once; anything else goes to the zod schema, so every refusal, and
   * its message naming the field, is the one the schema gives.
   */
  const validateBody = (route: FastifyRouteSchemaDef<FastifySchema>) => {
    // Fastify hands the compiler one part's schema: here the body's, a zod schema.
    const zod = validatorCompiler(route as unknown as FastifyRouteSchemaDef<$ZodType>);
    return (data: unknown) => {
      if (data instanceof ScannedDecideBatch) return { value: data };
      const columns = readAccessDecideBody(data, known);
      return columns ? { value: columns } : zod(data);
    };
  };

  await app.register(async (decide) => {
    // The plain batch clients send is read from the bytes in one pass (decide-body-scanner.ts); any other body
    // is decoded and parsed as Fastify's own parser does (the same errors for an empty or malformed body).
    const parseJson = decide.getDefaultJsonParser('ignore', 'ignore');
    decide.removeContentTypeParser('application/json');
    decide.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
      const scanned = scanDecideBody(body, knownBytes);
      if (scanned === undefined) parseJson(req, body.toString('utf8'), done);
      else done(null, scanned);
    });
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
        // …and the request's child logger is made only when such a line is written.
        childLoggerFactory: deferredChildLogger,
      },
      async (req) => {
        // The columns read from the bytes (instants in ms), the hand-written reading's, or the schema's output.
        const body = req.body as ScannedColumns | AccessDecideBody | Columns;
        const asked =
          body instanceof ScannedDecideBatch
            ? body
            : withMs('queries' in body ? columnsOf(body.queries) : body);
        const allowed = await services.access.decideColumns(callContext(req), asked);
        remember(asked);
        return { allowed };
      },
    );
  });
}
