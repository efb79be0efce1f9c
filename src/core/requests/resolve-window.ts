import { ElevateError } from '../errors.js';
import type { ScheduleInfo } from '../model/request.js';
import { addDuration, parseDuration } from '../time/duration.js';
import type { Window } from '../time/window.js';

export interface ResolvedWindow extends Window {
  /** True when the request named no expiration and `whenNotSpecified` supplied it. */
  readonly defaulted: boolean;
}

/** What an absent or `notSpecified` expiration means for the action. */
export type WhenNotSpecified =
  | { readonly kind: 'noExpiration' }
  | { readonly kind: 'duration'; readonly duration: string }
  | { readonly kind: 'refuse'; readonly action: string };

export interface ResolveWindowArgs {
  readonly scheduleInfo: ScheduleInfo | null;
  readonly now: Date;
  readonly whenNotSpecified: WhenNotSpecified;
  /** Keep this start instead of resolving scheduleInfo.startDateTime (an update of a schedule that already started). */
  readonly keepStart?: Date;
}

const invalid = (message: string) => new ElevateError('request.invalid', message);
const iso = (d: Date) => d.toISOString();

/**
 * Decides the [start, end) a request asks for. An absent or past start becomes `now`, as Graph rewrites it to
 * the processing time; `afterDuration` counts from the start; `afterDateTime` must end after the start.
 */
export function resolveWindow(args: ResolveWindowArgs): ResolvedWindow | ElevateError {
  const { scheduleInfo, now } = args;
  const asked = scheduleInfo?.startDateTime ?? null;
  if (asked !== null && Number.isNaN(asked.getTime()))
    return invalid('scheduleInfo.startDateTime is not a valid date.');
  const start = args.keepStart ?? (asked === null || asked.getTime() < now.getTime() ? now : asked);
  const expiration = scheduleInfo?.expiration;
  switch (expiration?.type ?? 'notSpecified') {
    case 'noExpiration':
      return { start, end: null, defaulted: false };
    case 'afterDuration': {
      const text = expiration?.duration?.trim() ?? '';
      if (text === '') {
        return invalid('scheduleInfo.expiration.duration is required when expiration.type is afterDuration.');
      }
      return endAfter(start, text, 'scheduleInfo.expiration.duration', false);
    }
    case 'afterDateTime': {
      const end = expiration?.endDateTime ?? null;
      if (end === null || Number.isNaN(end.getTime())) {
        return invalid(
          'scheduleInfo.expiration.endDateTime is required when expiration.type is afterDateTime.',
        );
      }
      if (end.getTime() <= start.getTime()) {
        return invalid(
          `scheduleInfo.expiration.endDateTime (${iso(end)}) must be after the start (${iso(start)}).`,
        );
      }
      return { start, end, defaulted: false };
    }
    default:
      return whenNotSpecified(start, args.whenNotSpecified);
  }
}

function whenNotSpecified(start: Date, rule: WhenNotSpecified): ResolvedWindow | ElevateError {
  switch (rule.kind) {
    case 'noExpiration':
      return { start, end: null, defaulted: true };
    case 'duration': {
      const w = endAfter(start, rule.duration, 'the maximum duration in the role settings', true);
      return w instanceof ElevateError ? new ElevateError('internal', w.message) : w;
    }
    case 'refuse':
      return invalid(
        `${rule.action} needs scheduleInfo.expiration with the new end (afterDateTime or afterDuration).`,
      );
  }
}

function endAfter(
  start: Date,
  text: string,
  field: string,
  defaulted: boolean,
): ResolvedWindow | ElevateError {
  const d = parseDuration(text);
  if (d === null) return invalid(`${field} '${text}' is not an ISO 8601 duration such as PT8H or P90D.`);
  const end = addDuration(start, d);
  if (end.getTime() <= start.getTime()) return invalid(`${field} '${text}' must be longer than zero.`);
  return { start, end, defaulted };
}
