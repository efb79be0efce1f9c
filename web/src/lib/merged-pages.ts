/** What has been read of one paged list, newest first. */
export interface ReadSoFar<T> {
  readonly items: readonly T[];
  /** Whether the list has no more pages. */
  readonly done: boolean;
}

/**
 * Several lists, each read newest first a page at a time, merged into one newest-first list — only as far as
 * is certain: an item older than the last one read from a list that has more pages could still be preceded by
 * that list's next page, so it waits until that page is read. `hasMore` says whether any list has more.
 */
export function mergeNewestFirst<T>(
  lists: readonly ReadSoFar<T>[],
  time: (item: T) => number,
): { items: T[]; hasMore: boolean } {
  const unfinished = lists.filter((l) => !l.done);
  const boundary = Math.max(
    Number.NEGATIVE_INFINITY,
    ...unfinished.map((l) => {
      const last = l.items[l.items.length - 1];
      return last === undefined ? Number.POSITIVE_INFINITY : time(last);
    }),
  );
  const items = lists
    .flatMap((l) => l.items)
    .filter((i) => time(i) >= boundary)
    .sort((a, b) => time(b) - time(a));
  return { items, hasMore: unfinished.length > 0 };
}
