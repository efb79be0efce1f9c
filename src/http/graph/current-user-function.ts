import type { CurrentUserFilter } from '../../app/requests/schedule-request-service.js';
import { ElevateError } from '../../core/errors.js';

const functionPattern = /^filterByCurrentUser\(on='?(principal|createdBy|approver)'?\)$/i;

/** `filterByCurrentUser(on='…')` addressed as a path segment, or undefined for an entity id. */
export function currentUserFunction(
  segment: string,
  allowed: readonly CurrentUserFilter[],
): CurrentUserFilter | undefined {
  const m = functionPattern.exec(segment);
  if (!m) {
    if (/^filterByCurrentUser/i.test(segment)) {
      throw new ElevateError(
        'request.invalid',
        `Invalid function call '${segment}'; use filterByCurrentUser(on='principal').`,
      );
    }
    return undefined;
  }
  const on = (['principal', 'createdBy', 'approver'] as const).find(
    (v) => v.toLowerCase() === m[1]!.toLowerCase(),
  )!;
  if (!allowed.includes(on)) {
    throw new ElevateError(
      'request.invalid',
      `filterByCurrentUser(on='${on}') is not supported here; use on='${allowed.join("' or on='")}'.`,
    );
  }
  return on;
}

/** `activatedUsing` travels as an id until expanded; without `$expand=activatedUsing` it is not shown. */
export const stripActivatedUsing =
  (expand: readonly { name: string }[]) =>
  <T extends { activatedUsing?: unknown }>(item: T) => {
    if (expand.some((e) => e.name === 'activatedUsing')) return item;
    const { activatedUsing: _, ...rest } = item;
    return rest as T;
  };
