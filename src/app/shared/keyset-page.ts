/** Where a keyset read resumes: after the row with this key, or at it (`inclusive`) when a page ended inside it. */
export interface RowCursor {
  readonly key: string;
  readonly inclusive: boolean;
}

/**
 * One page of a list read in key order, as a Graph list asks for it. `after` is the key of the last item of the
 * previous page; `keep` is the part of the caller's condition the database could not answer, run on each batch
 * (absent when the database answers it exactly).
 */
export interface KeysetPageRequest<T> {
  readonly after?: string;
  readonly limit: number;
  readonly keep?: (items: readonly T[]) => Promise<readonly T[]>;
}

export interface KeysetPage<T> {
  readonly items: T[];
  /** Pass as `after` for the next page; absent when nothing can follow. */
  readonly nextAfter?: string;
}

/**
 * Rows read in key order, each giving one or more items (a group's grant fans out to its members). Item keys
 * sort like their rows' keys, and a row's items sort after `rowKey` and before `endOfRow(rowKey)`.
 */
export interface KeysetSource<R, T> {
  rows(from: RowCursor | undefined, limit: number): Promise<R[]>;
  rowKey(row: R): string;
  items(rows: R[]): Promise<T[]>;
  itemKey(item: T): string;
  /** The key of the row an item key belongs to. */
  rowOf(itemKey: string): string;
  /** A key after every item of the row (the row key itself when a row is one item). */
  endOfRow(rowKey: string): string;
  /** How many items there are in all, when the database can say it at once (rows that are one item each). */
  count?(): Promise<number>;
  /** Keys come in descending order (a list sorted newest first). */
  readonly descending?: boolean;
}

export interface ScanLimits {
  /** Rows read per query while `keep` filters (default 500). */
  readonly batchSize?: number;
  /** Most rows one page may read for `keep` before it answers with what it found (default 10 000). */
  readonly maxScan?: number;
}

/**
 * Reads one page. Without `keep`, one query of `limit + 1` rows answers it. With `keep`, rows are read in
 * batches until the page is full or `maxScan` rows were read; a page cut short by the budget may hold fewer
 * than `limit` items and still name a next page, so every matching item is returned exactly once across pages,
 * also when rows are inserted or removed between pages (the key order is fixed).
 */
export async function readKeysetPage<R, T>(
  source: KeysetSource<R, T>,
  request: KeysetPageRequest<T>,
  limits: ScanLimits = {},
): Promise<KeysetPage<T>> {
  const { after, limit, keep } = request;
  const batchSize = keep ? (limits.batchSize ?? 500) : limit + 1;
  const maxScan = limits.maxScan ?? 10_000;
  const out: T[] = [];
  let from = after === undefined ? undefined : resumeAt(source, after);
  let scanned = 0;
  for (;;) {
    const rows = await source.rows(from, batchSize);
    let items = await source.items(rows);
    if (after !== undefined) {
      items = items.filter((item) =>
        source.descending ? source.itemKey(item) < after : source.itemKey(item) > after,
      );
    }
    const kept = keep ? await keep(items) : items;
    for (const item of kept) {
      const last = out.at(-1);
      // One item beyond a full page proves there is a next page; it starts after the page's last item.
      if (out.length === limit && last !== undefined) return { items: out, nextAfter: source.itemKey(last) };
      out.push(item);
    }
    scanned += rows.length;
    const lastRow = rows.at(-1);
    if (rows.length < batchSize || lastRow === undefined) return { items: out };
    from = { key: source.rowKey(lastRow), inclusive: false };
    if (scanned >= maxScan) return { items: out, nextAfter: source.endOfRow(source.rowKey(lastRow)) };
  }
}

/** A row holding several items is read again from its start; a one-item row is passed. */
function resumeAt<R, T>(source: KeysetSource<R, T>, after: string): RowCursor {
  const key = source.rowOf(after);
  return { key, inclusive: source.endOfRow(key) !== key };
}

/** How many items match across all pages (Graph's `@odata.count`), read in batches. */
export async function countKeysetItems<R, T>(
  source: KeysetSource<R, T>,
  keep: KeysetPageRequest<T>['keep'],
  batchSize = 1000,
): Promise<number> {
  if (keep === undefined && source.count) return source.count();
  let count = 0;
  let from: RowCursor | undefined;
  for (;;) {
    const rows = await source.rows(from, batchSize);
    const items = await source.items(rows);
    count += keep ? (await keep(items)).length : items.length;
    const lastRow = rows.at(-1);
    if (rows.length < batchSize || lastRow === undefined) return count;
    from = { key: source.rowKey(lastRow), inclusive: false };
  }
}
