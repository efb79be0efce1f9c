import { createWordArena } from './word-arena.js';

/** A holder's flags: the principal exists; it is a group; it passes directory roles on. */
export const knownFlag = 1;
export const groupFlag = 2;
export const assignableFlag = 4;

/**
 * Every holder — principal or group — has two regions. A check reads the hot one from its start:
 * - a header of four words: flags, how many grants, how many memberships, where its cold region is;
 * - each grant's scope as chains name it (`chainKey`), one word each (padded to an even count), so a check
 *   reads four bytes per grant, and the grant itself only when its scope is on the asked chain;
 * - the memberships that pass group grants on, six words each: start, end (epoch ms as floats, `[start,
 *   end)`), the group (a holder), (unused).
 * The cold region holds the grants, after a two-word header (how many, unused), eight words each: start, end
 * (floats), scope, role, 1 for a directory role or 0 for an Azure role, (unused).
 * A group's grants reach its members at read time (no copy per member), so a change to a group rewrites its
 * own regions only; the groups' hot regions are laid out together, so the part every member reads stays in
 * the cache.
 */
export const headerWords = 4;
export const membershipWords = 6;
export const coldHeaderWords = 2;
export const grantWords = 8;

/** Where a hot region's memberships start, after its header and chain keys. */
export const membershipsAt = (region: number, grants: number): number =>
  region + headerWords + grants + (grants & 1);

/** A holder's grants and memberships, unpacked (to rewrite its regions). */
interface Content {
  /** Five numbers per grant: scope, role, start, end, directory (1 or 0). */
  grants: number[];
  /** Three numbers per membership: group, start, end. */
  memberships: number[];
}

/** Changes waiting to be written into a holder's regions (staged so a bulk load writes each region once). */
interface Pending extends Content {
  /** Whether the regions are replaced (else the pending entries are added to what they hold). */
  replace: boolean;
}

export function createHolderRegions(chainKey: (scope: number) => number) {
  let holders = 0;
  let flagsOf = new Int32Array(1024);
  const hot = createWordArena((r) => {
    const w = hot.w;
    return membershipsAt(0, w[r + 1] as number) + membershipWords * (w[r + 2] as number);
  });
  const cold = createWordArena((c) => coldHeaderWords + grantWords * (cold.w[c] as number));
  let grants = 0;
  const pending = new Map<number, Pending>();
  let keysStale = false;

  function* groupsFirst(): Iterable<number> {
    for (let h = 0; h < holders; h++) if (((flagsOf[h] as number) & groupFlag) !== 0) yield h;
    for (let h = 0; h < holders; h++) if (((flagsOf[h] as number) & groupFlag) === 0) yield h;
  }
  function* inOrder(): Iterable<number> {
    for (let h = 0; h < holders; h++) yield h;
  }
  const noMove = () => {};
  /** A cold region moved: its holder's hot header says where it is now. */
  const coldMoved = (h: number, at: number) => {
    const r = hot.offsets[h] as number;
    if (r >= 0) hot.w[r + 3] = at;
  };

  function pendingOf(h: number, replace: boolean): Pending {
    let p = pending.get(h);
    if (p === undefined || replace) {
      p = { replace, grants: [], memberships: [] };
      pending.set(h, p);
    }
    return p;
  }

  function contentOf(h: number): Content {
    const out: Content = { grants: [], memberships: [] };
    const r = hot.offsets[h] as number;
    if (r < 0) return out;
    const { w, f } = hot;
    const n = w[r + 1] as number;
    const m = membershipsAt(r, n);
    for (let k = 0; k < (w[r + 2] as number); k++) {
      const o = m + membershipWords * k;
      out.memberships.push(w[o + 4] as number, f[o >> 1] as number, f[(o >> 1) + 1] as number);
    }
    const c = cold.offsets[h] as number;
    const cw = cold.w;
    const cf = cold.f;
    for (let k = 0; k < n; k++) {
      const o = c + coldHeaderWords + grantWords * k;
      out.grants.push(
        cw[o + 4] as number,
        cw[o + 5] as number,
        cf[o >> 1] as number,
        cf[(o >> 1) + 1] as number,
      );
      out.grants.push(cw[o + 6] as number);
    }
    return out;
  }

  function writeRegions(h: number, p: Pending): void {
    const kept = p.replace ? { grants: [], memberships: [] } : contentOf(h);
    const gs = kept.grants.concat(p.grants);
    const ms = kept.memberships.concat(p.memberships);
    const nGrants = gs.length / 5;
    const nMemberships = ms.length / 3;
    const oldHot = hot.offsets[h] as number;
    grants += nGrants - (oldHot < 0 ? 0 : (hot.w[oldHot + 1] as number));

    const coldSize = coldHeaderWords + grantWords * nGrants;
    const c = cold.reserve(coldSize, inOrder, coldMoved);
    const cw = cold.w;
    const cf = cold.f;
    cw[c] = nGrants;
    cw[c + 1] = 0;
    for (let k = 0; k < nGrants; k++) {
      const o = c + coldHeaderWords + grantWords * k;
      cf[o >> 1] = gs[5 * k + 2] as number;
      cf[(o >> 1) + 1] = gs[5 * k + 3] as number;
      cw[o + 4] = gs[5 * k] as number;
      cw[o + 5] = gs[5 * k + 1] as number;
      cw[o + 6] = gs[5 * k + 4] as number;
      cw[o + 7] = 0;
    }
    cold.commit(h, c, coldSize);

    const hotSize = membershipsAt(0, nGrants) + membershipWords * nMemberships;
    const r = hot.reserve(hotSize, groupsFirst, noMove);
    const { w, f } = hot;
    w[r] = flagsOf[h] as number;
    w[r + 1] = nGrants;
    w[r + 2] = nMemberships;
    w[r + 3] = c;
    for (let k = 0; k < nGrants; k++) w[r + headerWords + k] = chainKey(gs[5 * k] as number);
    if (nGrants & 1) w[r + headerWords + nGrants] = -1;
    const m = membershipsAt(r, nGrants);
    for (let k = 0; k < nMemberships; k++) {
      const o = m + membershipWords * k;
      f[o >> 1] = ms[3 * k + 1] as number;
      f[(o >> 1) + 1] = ms[3 * k + 2] as number;
      w[o + 4] = ms[3 * k] as number;
      w[o + 5] = 0;
    }
    hot.commit(h, r, hotSize);
  }

  /** After the scope tree changed: each grant's chain key, read again (its scope's depth may have changed). */
  function rewriteChainKeys(): void {
    const w = hot.w;
    const cw = cold.w;
    for (let h = 0; h < holders; h++) {
      const r = hot.offsets[h] as number;
      if (r < 0) continue;
      const c = w[r + 3] as number;
      for (let k = 0; k < (w[r + 1] as number); k++)
        w[r + headerWords + k] = chainKey(cw[c + coldHeaderWords + grantWords * k + 4] as number);
    }
  }

  return {
    /** A new holder, known to nobody yet; returns its number. */
    add(): number {
      const h = holders++;
      hot.grow(h);
      cold.grow(h);
      if (h >= flagsOf.length) {
        const grown = new Int32Array(flagsOf.length * 2);
        grown.set(flagsOf);
        flagsOf = grown;
      }
      return h;
    },
    get holders(): number {
      return holders;
    },
    get grants(): number {
      let staged = 0;
      for (const [h, p] of pending) {
        const r = hot.offsets[h] as number;
        staged += p.grants.length / 5 - (p.replace && r >= 0 ? (hot.w[r + 1] as number) : 0);
      }
      return grants + staged;
    },
    /** The views a check reads; valid until the next `flush`. */
    get hotOf(): Int32Array {
      return hot.offsets;
    },
    get w(): Int32Array {
      return hot.w;
    },
    get f(): Float64Array {
      return hot.f;
    },
    get cw(): Int32Array {
      return cold.w;
    },
    get cf(): Float64Array {
      return cold.f;
    },
    setFlags(h: number, flags: number): void {
      flagsOf[h] = flags;
      const r = hot.offsets[h] as number;
      if (r >= 0) hot.w[r] = flags;
      else pendingOf(h, false);
    },
    addGrant(h: number, scope: number, role: number, start: number, end: number, directory: number): void {
      pendingOf(h, false).grants.push(scope, role, start, end, directory);
    },
    addMembership(h: number, group: number, start: number, end: number): void {
      pendingOf(h, false).memberships.push(group, start, end);
    },
    /** Forgets what a holder holds and its memberships (the grants and memberships added next replace them). */
    clear(h: number): void {
      pendingOf(h, true);
    },
    /** The grants' chain keys must be read again (the tree moved) before the next check. */
    chainKeysChanged(): void {
      keysStale = true;
    },
    /** Writes staged changes into the buffers; a check calls it first, so it reads settled regions only. */
    flush(): void {
      if (pending.size > 0) {
        // Groups first: a bulk load then lays their hot regions out together.
        const order = [...pending.keys()].sort(
          (a, b) => ((flagsOf[b] as number) & groupFlag) - ((flagsOf[a] as number) & groupFlag) || a - b,
        );
        for (const h of order) writeRegions(h, pending.get(h) as Pending);
        pending.clear();
      }
      if (keysStale) {
        keysStale = false;
        rewriteChainKeys();
      }
    },
    /** Bytes the index's arrays hold, for the benchmark. */
    get bytes(): number {
      return hot.byteLength + cold.byteLength + flagsOf.byteLength;
    },
  };
}

export type HolderRegions = ReturnType<typeof createHolderRegions>;
