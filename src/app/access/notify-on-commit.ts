import type { Kysely, KyselyPlugin, OperationNode, QueryId, TransactionBuilder } from 'kysely';
import type { DB } from '../../db/schema.js';

const writeKinds = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

/** Whether a query may change rows: insert, update, delete, merge, or raw SQL that is not a plain read. */
function mayWrite(node: OperationNode): boolean {
  if (writeKinds.has(node.kind)) return true;
  if (node.kind !== 'RawNode') return false;
  const first = (node as unknown as { sqlFragments: readonly string[] }).sqlFragments[0] ?? '';
  return !/^\s*(select|with)\b/i.test(first);
}

/**
 * What to do after a commit that wrote. A promise it returns is awaited before the write (or the transaction)
 * returns to its caller: in a cluster, until every other worker knows (src/cluster). Returning nothing costs
 * nothing.
 */
export type OnCommit = () => void | Promise<void>;

/** Counts the writes of queries run through it (those of one transaction). */
function writeCounter(): { plugin: KyselyPlugin; writes: () => number } {
  const writes = new WeakSet<QueryId>();
  let n = 0;
  return {
    writes: () => n,
    plugin: {
      transformQuery(args) {
        if (mayWrite(args.node)) writes.add(args.queryId);
        return args.node;
      },
      async transformResult(args) {
        if (writes.has(args.queryId)) n++;
        return args.result;
      },
    },
  };
}

/** A transaction builder whose `execute` calls `onCommit` (and awaits it) after a commit that wrote. */
function wrapBuilder<T extends object>(builder: T, onCommit: OnCommit, writes: () => number): T {
  return new Proxy(builder, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'execute') {
        return async (...args: unknown[]) => {
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (writes() > 0) {
            // A synchronous `onCommit` (one process) adds no turn of the event loop.
            const done = onCommit();
            if (done) await done;
          }
          return result;
        };
      }
      if (property === 'setIsolationLevel' || property === 'setAccessMode') {
        return (...args: unknown[]) =>
          wrapBuilder((value as (...a: unknown[]) => object).apply(target, args), onCommit, writes);
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

/**
 * The same database, calling `onCommit` after every committed write: once after each transaction that wrote
 * commits (not for its writes one by one, nor after a rollback), and after each write outside one
 * (autocommit). The access index uses it for read-your-writes — a check made after a use case returned sees
 * what that use case committed — without any use case knowing about the index.
 */
export function notifyOnCommit(db: Kysely<DB>, onCommit: OnCommit): Kysely<DB> {
  const writes = new WeakSet<QueryId>();
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      if (mayWrite(args.node)) writes.add(args.queryId);
      return args.node;
    },
    async transformResult(args) {
      if (writes.has(args.queryId)) {
        const done = onCommit();
        if (done) await done;
      }
      return args.result;
    },
  };
  const observed = db.withPlugin(plugin);
  return new Proxy(observed, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === 'transaction') {
        // A transaction runs on its own counter, not on `plugin`: its writes are signalled once, at commit.
        return () => {
          const counter = writeCounter();
          const builder = db.withPlugin(counter.plugin).transaction();
          return wrapBuilder<TransactionBuilder<DB>>(builder, onCommit, counter.writes);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
