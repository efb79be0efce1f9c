import { type AccessDecideBody, maxDecideQueries } from './access-decide-schemas.js';

// What `accessDecideBodySchema` accepts, checked by hand: the hot route runs it first and asks zod only when it
// says no, so every refusal (and its message naming the field) is zod's. It must never accept what the schema
// refuses; access-decide-body-check.test.ts compares the two on good and bad bodies. The patterns are those of
// access-schemas.ts (scope, action; the guid one is read by hand, `isGuidText`) and zod's ISO 8601 date-time
// with an offset (`z.iso.datetime`).
const scope = /^\/([^/\s?#]+(\/[^/\s?#]+)*\/?)?$/;
const action = /^[A-Za-z0-9*][\w.*-]*(\/[\w.*-]+)*$/;
const instant =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

/** The patterns, for the route that reads the same fields from the body's bytes (decide-body-scanner.ts). */
export { action as actionPattern, instant as instantPattern, scope as scopePattern };
/** The schema's length limits of a scope and an action (characters). */
export const maxScopeLength = 1024;
export const maxActionLength = 512;

/** Each hex digit's value by character code (either case), -1 for any other ASCII character. */
export const hexValue = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  hexValue['0123456789abcdef'.charCodeAt(i)] = i;
  hexValue['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/**
 * The `guid` pattern, read character by character (half the cost of the RegExp call on the hot route): 36
 * characters, dashes at 8, 13, 18 and 23, hex digits elsewhere.
 */
export function isGuidText(s: string): boolean {
  if (s.length !== 36) return false;
  if (s.charCodeAt(8) !== 45 || s.charCodeAt(13) !== 45 || s.charCodeAt(18) !== 45 || s.charCodeAt(23) !== 45)
    return false;
  let bad = 0;
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) continue;
    const c = s.charCodeAt(i);
    // -1 (any bit set) for a character that is not a hex digit, one past ASCII included.
    bad |= (hexValue[c & 127] as number) | -(c >> 7);
  }
  return bad >= 0;
}

/** zod's object test: an object that is not an array. */
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A batch the schema accepts, as columns, one entry per question in order (what the hot route hands on, with no
 * object per question): the principal; the role asked, or undefined; the action asked — what `known.action` gave
 * for its spelling, else the spelling — or '' when a role is; the scope — what `known.scope` gave for its
 * spelling, else the spelling; the instant as written, or undefined.
 */
export interface AccessDecideColumns<S, A> {
  readonly principalIds: string[];
  readonly roleIds: (string | undefined)[];
  readonly actions: (A | string)[];
  readonly scopes: (S | string)[];
  readonly ats: (string | undefined)[];
}

/**
 * Spellings of scopes and actions the schema accepted before, recognised (what each gives is put in the columns
 * for them): their patterns are not matched again. Each must recognise no other spelling.
 */
export interface KnownSpellings<S, A> {
  readonly scope: (scope: string) => S | undefined;
  readonly action: (action: string) => A | undefined;
}

/** Whether the query passes the schema; if so, its fields are added to the columns. */
function readQuery<S, A>(q: unknown, known: KnownSpellings<S, A>, out: AccessDecideColumns<S, A>): boolean {
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
  const principalId = q.principalId;
  if (typeof principalId !== 'string' || !isGuidText(principalId)) return false;
  const s = q.scope;
  if (typeof s !== 'string' || s.length < 1 || s.length > maxScopeLength) return false;
  const seen = known.scope(s);
  if (seen === undefined && !scope.test(s)) return false;
  // Exactly one of roleDefinitionId and action.
  const a = q.action;
  const role = q.roleDefinitionId;
  let seenAction: A | undefined;
  if (role === undefined) {
    if (typeof a !== 'string' || a.length < 1 || a.length > maxActionLength) return false;
    seenAction = known.action(a);
    if (seenAction === undefined && !action.test(a)) return false;
  } else if (a !== undefined || typeof role !== 'string' || !isGuidText(role)) return false;
  const at = q.at;
  if (at !== undefined && (typeof at !== 'string' || !instant.test(at))) return false;
  out.principalIds.push(principalId);
  out.roleIds.push(role);
  out.actions.push(role === undefined ? (seenAction ?? (a as string)) : '');
  out.scopes.push(seen ?? s);
  out.ats.push(at);
  return true;
}

/**
 * The batch as columns when `accessDecideBodySchema` accepts the body as it is (its output is then the body
 * itself: strict objects of strings); undefined when in doubt, and the caller then asks the schema.
 */
export function readAccessDecideBody<S, A>(
  body: unknown,
  known: KnownSpellings<S, A>,
): AccessDecideColumns<S, A> | undefined {
  if (!isObject(body)) return undefined;
  for (const key in body) if (key !== 'queries') return undefined;
  const queries = body.queries;
  if (!Array.isArray(queries) || queries.length < 1 || queries.length > maxDecideQueries) return undefined;
  const out: AccessDecideColumns<S, A> = { principalIds: [], roleIds: [], actions: [], scopes: [], ats: [] };
  for (let i = 0; i < queries.length; i++) if (!readQuery(queries[i], known, out)) return undefined;
  return out;
}

const noneKnown: KnownSpellings<never, never> = { scope: () => undefined, action: () => undefined };

/**
 * Whether `accessDecideBodySchema` accepts the body as it is (its output is then the body itself: strict
 * objects of strings). False when in doubt: the caller then asks the schema.
 */
export function isAccessDecideBody(body: unknown): body is AccessDecideBody {
  return readAccessDecideBody(body, noneKnown) !== undefined;
}
