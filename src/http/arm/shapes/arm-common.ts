import { z } from 'zod';
import type { PrincipalType } from '../../../core/model/principal.js';
import { isGuid } from '../../../core/scope/resource-scope.js';
import { invalidContent } from '../arm-errors.js';

/** `{scope}/providers/Microsoft.Authorization/{collection}/{name}` for a display scope path (`/` → no prefix). */
export const authorizationId = (scopePath: string, collection: string, name: string): string =>
  `${scopePath === '/' ? '' : scopePath}/providers/Microsoft.Authorization/${collection}/${name}`;

/** A role definition's ARM id at a scope. */
export const roleDefinitionArmId = (scopePath: string, roleGuid: string): string =>
  authorizationId(scopePath, 'roleDefinitions', roleGuid);

/** ARM's principalType. */
export const armPrincipalType = (type: PrincipalType): 'User' | 'Group' | 'ServicePrincipal' =>
  type === 'user' ? 'User' : type === 'group' ? 'Group' : 'ServicePrincipal';

/** `adminAssign` → `AdminAssign`. */
export const pascal = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

const maxText = 1024;
export const text = (max = maxText) => z.string().max(max);

/** An object id: a GUID in any case, lower-cased. */
export const guid = () =>
  z
    .string()
    .max(64)
    .refine(isGuid, { error: 'must be a GUID' })
    .transform((s) => s.toLowerCase());

/** An ARM enum: any letter case in, the canonical spelling out. */
export function anyCase<const T extends readonly [string, ...string[]]>(values: T) {
  const byLower = new Map(values.map((v) => [v.toLowerCase(), v] as const));
  return z
    .string()
    .max(64)
    .transform((s, ctx): T[number] => {
      const v = byLower.get(s.toLowerCase());
      if (v !== undefined) return v;
      ctx.issues.push({
        code: 'custom',
        input: s,
        message: `must be one of ${values.map((x) => `'${x}'`).join(', ')}; got '${s}'`,
      });
      return z.NEVER;
    });
}

/** An ISO 8601 instant (with a zone), as a Date. */
export const instant = () =>
  z
    .string()
    .max(64)
    .refine(
      (s) =>
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s) &&
        !Number.isNaN(Date.parse(s)),
      {
        error: 'must be an ISO 8601 date and time with a zone, e.g. 2026-01-05T09:00:00Z',
      },
    )
    .transform((s) => new Date(s));

/** Tags as ARM takes them: up to 50 names of at most 512 characters with values of at most 256. */
export const tags = () =>
  z
    .record(z.string().min(1).max(512), z.string().max(256))
    .refine((t) => Object.keys(t).length <= 50, { error: 'must hold at most 50 tags' });

/** Reads a body with a schema; every problem named by its path, as one 400 InvalidRequestContent. */
export function readBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  if (body === undefined || body === null)
    throw invalidContent('The request body is missing; send a JSON object.');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const parts = result.error.issues.slice(0, 20).map((issue) => {
    const where = issue.path.map(String).join('.');
    const message =
      issue.code === 'unrecognized_keys'
        ? `${issue.keys.map((k) => `'${k}'`).join(', ')} ${issue.keys.length === 1 ? 'is not a property' : 'are not properties'} of this request`
        : issue.message;
    return where ? `${where}: ${message}` : message;
  });
  throw invalidContent(`The request content is invalid: ${parts.join('; ')}.`);
}
