import { z } from 'zod';

/**
 * A Graph request body: the listed properties, plus `@odata.*` annotations (ignored); any other
 * property is refused with its name, so a typo never silently does nothing.
 */
export function graphBody<T extends z.ZodRawShape>(shape: T) {
  const known = new Set(Object.keys(shape));
  return z
    .object(shape)
    .catchall(z.unknown())
    .superRefine((value, ctx) => {
      for (const key of Object.keys(value)) {
        if (known.has(key) || key.startsWith('@odata.')) continue;
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `Property '${key}' does not exist on this resource; allowed: ${[...known].join(', ')}`,
        });
      }
    })
    .transform((value) => {
      const out: Record<string, unknown> = {};
      for (const key of known) if (key in value) out[key] = (value as Record<string, unknown>)[key];
      return out as z.output<z.ZodObject<T>>;
    });
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID in any case, normalised to lower case. */
export const guid = z
  .string()
  .regex(guidPattern, 'must be a GUID like 00000000-0000-0000-0000-000000000000')
  .transform((s) => s.toLowerCase());

export const boundedString = (max = 1024) => z.string().max(max, `must be at most ${max} characters`);

/** An enum accepted in any case (Graph's samples send PascalCase, responses use camelCase). */
export function caseInsensitiveEnum<const T extends readonly [string, ...string[]]>(values: T) {
  const byLower = new Map(values.map((v) => [v.toLowerCase(), v] as const));
  return z.string().transform((s, ctx) => {
    const v = byLower.get(s.toLowerCase());
    if (v === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be one of: ${values.join(', ')}; got '${s}'` });
      return z.NEVER;
    }
    return v as T[number];
  });
}

/** An ISO 8601 instant with a time zone, as a Date. */
export const isoDateTime = z
  .string()
  .max(64)
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(s), {
    message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:00:00Z',
  })
  .transform((s) => new Date(s))
  .refine((d) => !Number.isNaN(d.getTime()), { message: 'is not a valid date-time' });
