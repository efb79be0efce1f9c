/** A half-open window [start, end); `end = null` never ends. */
export interface Window {
  readonly start: Date;
  readonly end: Date | null;
}

/** Invariant 1 in one line: a window holds at `now` iff start <= now < end. */
export const isWithin = (w: Window, now: Date): boolean =>
  w.start.getTime() <= now.getTime() && (w.end === null || now.getTime() < w.end.getTime());

/** True when `outer` contains every instant of `inner`. */
export function coversWindow(outer: Window, inner: Window): boolean {
  if (inner.start.getTime() < outer.start.getTime()) return false;
  if (outer.end === null) return true;
  return inner.end !== null && inner.end.getTime() <= outer.end.getTime();
}

export function overlaps(a: Window, b: Window): boolean {
  const aEnd = a.end?.getTime() ?? Number.POSITIVE_INFINITY;
  const bEnd = b.end?.getTime() ?? Number.POSITIVE_INFINITY;
  return a.start.getTime() < bEnd && b.start.getTime() < aEnd;
}

export const hasEnded = (w: Window, now: Date): boolean => w.end !== null && now.getTime() >= w.end.getTime();

export const minDate = (a: Date, b: Date): Date => (a.getTime() <= b.getTime() ? a : b);
export const maxDate = (a: Date, b: Date): Date => (a.getTime() >= b.getTime() ? a : b);
