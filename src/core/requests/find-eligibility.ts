import type { RuleViolation } from '../errors.js';
import type { PimTarget, Schedule } from '../model/schedule.js';
import { isLive } from '../schedules/is-live.js';
import { targetCovers } from '../targets/target.js';
import { coversWindow, isWithin, type Window } from '../time/window.js';

export interface EligibilityQuery extends PimTarget {
  readonly schedules: readonly Schedule[];
  readonly principalId: string;
  readonly window: Window;
  readonly now: Date;
}

export type EligibilityMatch =
  /** A live eligibility covers the whole window. */
  | { readonly kind: 'covered'; readonly eligibility: Schedule }
  /** A live eligibility holds at the start but ends before the window does. */
  | { readonly kind: 'outlasted'; readonly eligibility: Schedule }
  /** No live eligibility holds at the start; `nextStart` is when a future one begins, if any. */
  | { readonly kind: 'none'; readonly nextStart: Date | null };

const endOf = (s: Schedule): number => s.end?.getTime() ?? Number.POSITIVE_INFINITY;

/**
 * Decides which live eligibility an activation draws on: the principal's own or a group's it is a member of (the
 * caller loads only those), for the target (a role at its scope or above), holding at the start; own before
 * group, then the longest (invariant 2).
 */
export function findEligibility(q: EligibilityQuery): EligibilityMatch {
  const candidates = q.schedules.filter(
    (s) =>
      s.kind === 'eligibility' &&
      (s.principalId === q.principalId || s.principalType === 'group') &&
      targetCovers(s, q) &&
      isLive(s, q.now),
  );
  const ranked = candidates
    .filter((s) => isWithin(s, q.window.start))
    .sort(
      (a, b) =>
        Number(b.principalId === q.principalId) - Number(a.principalId === q.principalId) ||
        endOf(b) - endOf(a),
    );
  const covering = ranked.find((s) => coversWindow(s, q.window));
  if (covering) return { kind: 'covered', eligibility: covering };
  const longest = [...ranked].sort((a, b) => endOf(b) - endOf(a))[0];
  if (longest) return { kind: 'outlasted', eligibility: longest };
  const later = candidates.map((s) => s.start.getTime()).filter((t) => t > q.window.start.getTime());
  return { kind: 'none', nextStart: later.length > 0 ? new Date(Math.min(...later)) : null };
}

/** The violation an eligibility match reports, or none when it covers the window. */
export function eligibilityViolations(match: EligibilityMatch, subject: string): RuleViolation[] {
  switch (match.kind) {
    case 'covered':
      return [];
    case 'outlasted': {
      const end = match.eligibility.end?.toISOString() ?? '';
      const message = `${subject} would end after your eligibility ends at ${end}; ask for an end no later than that.`;
      return [{ ruleId: 'EligibilityRule', reason: 'ExpirationRule', message }];
    }
    case 'none': {
      const later = match.nextStart ? ` Your eligibility starts at ${match.nextStart.toISOString()}.` : '';
      const message = `${subject} needs an eligible assignment, and you have none that is in effect then.${later}`;
      return [{ ruleId: 'EligibilityRule', reason: 'EligibilityRule', message }];
    }
  }
}
