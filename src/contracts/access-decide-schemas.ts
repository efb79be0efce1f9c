import { z } from 'zod';
import { accessQuerySchema } from './access-schemas.js';

/** At most this many questions in one `POST /api/v1/access/decide`. */
export const maxDecideQueries = 2_000;

/** Many questions, answered allow or deny only (no reasons), in order. */
export const accessDecideBodySchema = z.strictObject({
  queries: z
    .array(accessQuerySchema)
    .min(1)
    .max(maxDecideQueries, `give at most ${maxDecideQueries} queries per request`)
    .describe('The questions, each as for /access/check'),
});
export type AccessDecideBody = z.output<typeof accessDecideBodySchema>;

export const accessDecideResponseSchema = z.object({
  allowed: z.array(z.boolean()).max(maxDecideQueries).describe('One answer per question, in order'),
});
