import { type QueryKey, useInfiniteQuery } from '@tanstack/react-query';
import type { GraphPage } from '../../../src/contracts/browser';
import { mergeNewestFirst } from './merged-pages';

/** One list the server pages: its first page, and the page a next link points at. */
export interface PagedSource<T> {
  first(): Promise<GraphPage<T>>;
  next(link: string): Promise<GraphPage<T>>;
}

/** Where each source stands: not read yet, its next link, or finished (null). */
type Cursor = { readonly first: true } | string | null;

/**
 * Several server-paged lists (each newest first) shown as one, newest first; `loadMore` reads the next page of
 * every list that has one (`@odata.nextLink`), and only what is certainly in order is shown.
 */
export function useMergedPages<T>(args: {
  queryKey: QueryKey;
  sources: readonly PagedSource<T>[];
  time(item: T): number;
  enabled?: boolean;
}) {
  const query = useInfiniteQuery({
    queryKey: args.queryKey,
    enabled: args.enabled ?? true,
    initialPageParam: args.sources.map((): Cursor => ({ first: true })),
    queryFn: ({ pageParam }) =>
      Promise.all(
        pageParam.map((cursor, i): Promise<GraphPage<T>> => {
          const source = args.sources[i];
          if (cursor === null || !source) return Promise.resolve({ items: [], nextLink: null, count: 0 });
          return typeof cursor === 'string' ? source.next(cursor) : source.first();
        }),
      ),
    getNextPageParam: (last): Cursor[] | undefined =>
      last.every((p) => p.nextLink === null) ? undefined : last.map((p) => p.nextLink),
  });
  const pages = query.data?.pages;
  const merged = pages
    ? mergeNewestFirst(
        args.sources.map((_, i) => ({
          items: pages.flatMap((page) => page[i]?.items ?? []),
          done: (pages[pages.length - 1]?.[i]?.nextLink ?? null) === null,
        })),
        args.time,
      )
    : undefined;
  return {
    items: merged?.items,
    hasMore: merged?.hasMore ?? false,
    loadMore: () => void query.fetchNextPage(),
    loadingMore: query.isFetchingNextPage,
    isError: query.isError,
    error: query.error,
    refetch: () => void query.refetch(),
  };
}
