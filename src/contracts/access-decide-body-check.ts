import { type AccessDecideBody, maxDecideQueries } from './access-decide-schemas.js';

// What `accessDecideBodySchema` accepts, checked by hand: the hot route runs it first and asks zod only when it
// says no, so every refusal (and its message naming the field) is zod's. It must never accept what the schema
// refuses; access-decide-body-check.test.ts compares the two on good and bad bodies. The patterns are those of
// access-schemas.ts (guid, scope, action) and zod's ISO 8601 date-time with an offset (`z.iso.datetime`).
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const scope = /^\/([^/\s?#]+(\/[^/\s?#]+)*\/?)?$/;
const action = /^[A-Za-z0-9*][\w.*-]*(\/[\w.*-]+)*$/;
const instant =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

/** zod's object test: an object that is not an array. */
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isGuid = (v: unknown): boolean => typeof v === 'string' && guid.test(v);

function isQuery(q: unknown): boolean {
  if (!isObject(q)) return false;
  // A strict object: no key besides these (zod enumerates keys the same way, with for…in).
  for (const key in q) {
    if (
      key !== 'principalId' &&
      key !== 'roleDefinitionId' &&
      key !== 'action' &&
      key !== 'scope' &&
      key !== 'at'
    )
      return false;
  }
  if (!isGuid(q.principalId)) return false;
  const s = q.scope;
  if (typeof s !== 'string' || s.length < 1 || s.length > 1024 || !scope.test(s)) return false;
  // Exactly one of roleDefinitionId and action.
  const a = q.action;
  if (q.roleDefinitionId === undefined) {
    if (typeof a !== 'string' || a.length < 1 || a.length > 512 || !action.test(a)) return false;
  } else if (a !== undefined || !isGuid(q.roleDefinitionId)) return false;
  const at = q.at;
  return at === undefined || (typeof at === 'string' && instant.test(at));
}

/**
 * Whether `accessDecideBodySchema` accepts the body as it is (its output is then the body itself: strict
 * objects of strings). False when in doubt: the caller then asks the schema.
 */
export function isAccessDecideBody(body: unknown): body is AccessDecideBody {
  if (!isObject(body)) return false;
  for (const key in body) if (key !== 'queries') return false;
  const queries = body.queries;
  if (!Array.isArray(queries) || queries.length < 1 || queries.length > maxDecideQueries) return false;
  for (let i = 0; i < queries.length; i++) if (!isQuery(queries[i])) return false;
  return true;
}
