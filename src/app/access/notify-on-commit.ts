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

/** Writes seen so far: a transaction that saw none committed nothing to signal. */
interface WriteCount {
  n: number;
}

function wrapBuilder<T extends object>(builder: T, onCommit: () => void, count: WriteCount): T {
  return new Proxy(builder, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'execute') {
        return async (...args: unknown[]) => {
          const before = count.n;
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          // Another transaction's write in the meantime also counts: one signal too many is harmless.
          if (count.n !== before) onCommit();
          return result;
        };
      }
      if (property === 'setIsolationLevel' || property === 'setAccessMode') {
        return (...args: unknown[]) =>
          wrapBuilder((value as (...a: unknown[]) => object).apply(target, args), onCommit, count);
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

/**
 * The same database, calling `onCommit` after every committed write: after each transaction commits, and after
 * each write outside one (autocommit). The access index uses it for read-your-writes — a check made after a
 * use case returned sees what that use case committed — without any use case knowing about the index.
 */
export function notifyOnCommit(db: Kysely<DB>, onCommit: () => void): Kysely<DB> {
  const writes = new WeakSet<QueryId>();
  const count: WriteCount = { n: 0 };
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      if (mayWrite(args.node)) writes.add(args.queryId);
      return args.node;
    },
    async transformResult(args) {
      if (writes.has(args.queryId)) {
        count.n++;
        onCommit();
      }
      return args.result;
    },
  };
  const observed = db.withPlugin(plugin);
  return new Proxy(observed, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === 'transaction') {
        return () => wrapBuilder<TransactionBuilder<DB>>(target.transaction(), onCommit, count);
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
