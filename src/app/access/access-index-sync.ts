import { type AccessIndex, createAccessIndex } from '../../core/access/index/access-index.js';
import {
  type AccessChange,
  accessChangesSince,
  indexedCustomRoles,
  indexedGrants,
  indexedMemberships,
  indexedPrincipals,
  indexedScopes,
  latestAccessChange,
  pruneAccessChanges,
} from '../../db/repositories/access-index-repository.js';
import type { AppDeps } from '../context.js';

/** Above this many pending changes a full reload is cheaper than reloading each holder. */
const maxIncremental = 5_000;
const batch = 1_000;

/** Builds a whole index from the database; returns it with the change id it is exact at. */
export async function loadAccessIndex(db: AppDeps['db']): Promise<{ index: AccessIndex; watermark: number }> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const watermark = await latestAccessChange(trx);
      const index = createAccessIndex();
      index.setCustomRoles(await indexedCustomRoles(trx));
      for (const s of await indexedScopes(trx)) index.setTreeScope(s.id, s.parentId);
      for (const p of await indexedPrincipals(trx)) index.setPrincipal(p.id, p);
      for (const m of await indexedMemberships(trx)) index.addMembership(m);
      const grants = await indexedGrants(trx);
      for (let i = 0; i < grants.length; i++) index.addGrant(grants[i] as (typeof grants)[number]);
      index.settle();
      return { index, watermark };
    });
}

/** Reloads what the changes name, in place. */
async function applyChanges(db: AppDeps['db'], index: AccessIndex, changes: readonly AccessChange[]) {
  const keys = (kind: AccessChange['kind']) => [
    ...new Set(changes.filter((c) => c.kind === kind).map((c) => c.key.toLowerCase())),
  ];
  for (let i = 0, roles = keys('role'); i < roles.length; i += batch) {
    const ids = roles.slice(i, i + batch);
    const found = new Map((await indexedCustomRoles(db, ids)).map((r) => [r.id, r]));
    for (const id of ids) index.setCustomRole(id, found.get(id));
  }
  for (let i = 0, scopes = keys('scope'); i < scopes.length; i += batch) {
    const ids = scopes.slice(i, i + batch);
    const found = new Map((await indexedScopes(db, ids)).map((s) => [s.id, s]));
    for (const id of ids) {
      const s = found.get(id);
      if (s) index.setTreeScope(s.id, s.parentId);
      else index.removeTreeScope(id);
    }
  }
  for (let i = 0, principals = keys('principal'); i < principals.length; i += batch) {
    const ids = principals.slice(i, i + batch);
    const found = new Map((await indexedPrincipals(db, ids)).map((p) => [p.id, p]));
    for (const id of ids) index.setPrincipal(id, found.get(id));
  }
  for (let i = 0, holders = keys('holder'); i < holders.length; i += batch) {
    const ids = holders.slice(i, i + batch);
    const grants = await indexedGrants(db, ids);
    const memberships = await indexedMemberships(db, ids);
    for (const id of ids) {
      index.replaceHolder(
        id,
        grants.filter((g) => g.holderId === id),
        memberships.filter((m) => m.memberId === id),
      );
    }
  }
}

export interface AccessIndexSyncOptions {
  /** Called after each full load with its duration (logs, the benchmark). */
  readonly onLoad?: (info: { milliseconds: number; grants: number }) => void;
}

/**
 * Keeps one process's access index exact: a full load at start, then every committed change — this process's
 * own (`changed()` after each commit: read-your-writes) and other instances' (`changed()` on a notification) —
 * applied from the change feed before the next check reads the index. A check on a clean index costs no query;
 * `reload()` (after a lost notification connection) rebuilds the whole index and swaps it in.
 */
export function createAccessIndexSync(db: AppDeps['db'], options: AccessIndexSyncOptions = {}) {
  let current: { index: AccessIndex; watermark: number } | undefined;
  let dirtyVersion = 0;
  let cleanVersion = 0;
  let fullReloadWanted = true;
  let running: Promise<AccessIndex> | undefined;

  async function fullLoad() {
    const started = performance.now();
    const loaded = await loadAccessIndex(db);
    options.onLoad?.({ milliseconds: performance.now() - started, grants: loaded.index.stats().grants });
    await pruneAccessChanges(db);
    return loaded;
  }

  async function catchUp(): Promise<AccessIndex> {
    const version = dirtyVersion;
    if (fullReloadWanted || current === undefined) {
      fullReloadWanted = false;
      current = await fullLoad();
    } else {
      const changes = await accessChangesSince(db, current.watermark, maxIncremental + 1);
      if (changes.length > maxIncremental || changes.some((c) => c.kind === 'all'))
        current = await fullLoad();
      else if (changes.length > 0) {
        await applyChanges(db, current.index, changes);
        current.watermark = changes[changes.length - 1]?.id ?? current.watermark;
      }
    }
    cleanVersion = version;
    return current.index;
  }

  /**
   * The index once it has applied every change signalled before the call (later ones need not delay it).
   * Catching up runs one at a time; a run that started before the last signal is followed by another.
   */
  function fresh(): Promise<AccessIndex> {
    const wanted = dirtyVersion;
    if (current !== undefined && cleanVersion >= wanted) return Promise.resolve(current.index);
    const wait = (): Promise<AccessIndex> => {
      running ??= catchUp().finally(() => {
        running = undefined;
      });
      return running.then((index) => (cleanVersion >= wanted ? index : wait()));
    };
    return wait();
  }

  return {
    /** The index, exact as of every change committed before the call. */
    fresh,
    /**
     * How many changes were signalled so far: it moves on every commit of this process (any write) and every
     * notification from another instance, so a value cached with it is current while it stays the same.
     */
    generation: (): number => dirtyVersion,
    /** A change was committed (here or, by notification, elsewhere): the next `fresh()` applies it first. */
    changed(): void {
      dirtyVersion++;
    },
    /** Rebuild everything on the next `fresh()` (the notification connection was lost and is back). */
    reload(): void {
      fullReloadWanted = true;
      dirtyVersion++;
    },
  };
}

export type AccessIndexSync = ReturnType<typeof createAccessIndexSync>;
