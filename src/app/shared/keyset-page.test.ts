import { describe, expect, it } from 'vitest';
import { countKeysetItems, type KeysetSource, readKeysetPage } from './keyset-page.js';

/** Rows `r00`…; row `rNN` fans out to itself and `members` items `rNN_m0`… (like a group's grant). */
function source(rowKeys: string[], members: Record<string, number> = {}) {
  let reads = 0;
  const src: KeysetSource<string, string> & { readonly reads: () => number } = {
    rows: async (from, limit) => {
      reads += 1;
      return rowKeys
        .filter((k) => from === undefined || (from.inclusive ? k >= from.key : k > from.key))
        .sort()
        .slice(0, limit);
    },
    rowKey: (row) => row,
    items: async (rows) =>
      rows.flatMap((row) => [row, ...Array.from({ length: members[row] ?? 0 }, (_, i) => `${row}_m${i}`)]),
    itemKey: (item) => item,
    rowOf: (key) => key.split('_')[0]!,
    endOfRow: (key) => (members[key] ? `${key}~` : key),
    reads: () => reads,
  };
  return src;
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => `r${String(i).padStart(2, '0')}`);

async function allPages(
  src: KeysetSource<string, string>,
  limit: number,
  keep?: (i: readonly string[]) => Promise<readonly string[]>,
) {
  const pages: string[][] = [];
  let after: string | undefined;
  for (;;) {
    const page = await readKeysetPage(
      src,
      { limit, ...(after && { after }), ...(keep && { keep }) },
      { batchSize: 3, maxScan: 6 },
    );
    pages.push(page.items);
    if (page.nextAfter === undefined) return pages;
    after = page.nextAfter;
  }
}

describe('readKeysetPage', () => {
  it('pages rows in key order, each item once, and names no next page after the last', async () => {
    const pages = await allPages(source(rows(7)), 3);
    expect(pages).toEqual([['r00', 'r01', 'r02'], ['r03', 'r04', 'r05'], ['r06']]);
  });

  it('answers a page without a filter with one read of limit + 1 rows', async () => {
    const src = source(rows(10));
    const page = await readKeysetPage(src, { limit: 4 });
    expect(page).toEqual({ items: ['r00', 'r01', 'r02', 'r03'], nextAfter: 'r03' });
    expect(src.reads()).toBe(1);
  });

  it('resumes inside a row that fans out into several items', async () => {
    const pages = await allPages(source(rows(3), { r01: 4 }), 2);
    expect(pages.flat()).toEqual(['r00', 'r01', 'r01_m0', 'r01_m1', 'r01_m2', 'r01_m3', 'r02']);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
  });

  it('runs keep on batches, and a page cut short by the scan budget still names the next page', async () => {
    const evens = async (items: readonly string[]) => items.filter((i) => Number(i.slice(1)) % 10 === 0);
    const pages = await allPages(source(rows(25)), 2, evens);
    expect(pages.flat()).toEqual(['r00', 'r10', 'r20']);
    // 6 rows at most per page: the first page stops at r05 without a second match and says where to go on.
    expect(pages[0]).toEqual(['r00']);
  });

  it('neither repeats nor skips an item when rows are added or removed between pages', async () => {
    const keys = rows(6);
    const src = source(keys);
    const first = await readKeysetPage(src, { limit: 3 });
    keys.splice(keys.indexOf('r01'), 1); // removed behind the cursor
    keys.push('r015', 'r045'); // one behind the cursor, one ahead
    const second = await readKeysetPage(src, { limit: 10, after: first.nextAfter! });
    expect(first.items).toEqual(['r00', 'r01', 'r02']);
    expect(second.items).toEqual(['r03', 'r04', 'r045', 'r05']);
  });

  it('counts every match across pages', async () => {
    const keep = async (items: readonly string[]) => items.filter((i) => i.endsWith('m1') || i === 'r04');
    expect(await countKeysetItems(source(rows(9), { r01: 3, r07: 2 }), keep, 2)).toBe(3);
    expect(await countKeysetItems(source(rows(9), { r01: 3 }), undefined, 4)).toBe(12);
  });
});
