import { describe, expect, it } from 'vitest';
import { mergeNewestFirst } from './merged-pages';

const at = (t: number) => ({ t });
const time = (i: { t: number }) => i.t;

describe('mergeNewestFirst', () => {
  it('given finished lists, when merged, then every item shows, newest first', () => {
    const merged = mergeNewestFirst(
      [
        { items: [at(9), at(5), at(1)], done: true },
        { items: [at(7), at(3)], done: true },
      ],
      time,
    );
    expect(merged).toEqual({ items: [at(9), at(7), at(5), at(3), at(1)], hasMore: false });
  });

  it('given a list with more pages, when merged, then nothing older than its last item read shows yet', () => {
    const merged = mergeNewestFirst(
      [
        { items: [at(9), at(6)], done: false },
        { items: [at(8), at(7), at(5), at(2)], done: true },
      ],
      time,
    );
    // 5 and 2 wait: the first list's next page may hold items between 6 and 2.
    expect(merged).toEqual({ items: [at(9), at(8), at(7), at(6)], hasMore: true });
  });

  it('given an unfinished list with nothing read, when merged, then nothing shows and more can be read', () => {
    expect(
      mergeNewestFirst(
        [
          { items: [], done: false },
          { items: [at(1)], done: true },
        ],
        time,
      ),
    ).toEqual({
      items: [],
      hasMore: true,
    });
  });

  it('given no lists or only empty finished ones, when merged, then the list is empty and complete', () => {
    expect(mergeNewestFirst([], time)).toEqual({ items: [], hasMore: false });
    expect(mergeNewestFirst([{ items: [], done: true }], time)).toEqual({ items: [], hasMore: false });
  });
});
