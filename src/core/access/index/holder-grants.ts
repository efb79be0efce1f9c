/** Grants packed five numbers each: scope, role, start, end, directory (1: a directory role, 0: an Azure role). */
const grantStride = 5;
/**
 * A holder's effective grants — everything that reaches it: its own grants, then each group's through each
 * membership, the window cut to the membership's, directory roles only from role-assignable groups — live in
 * one shared buffer, built on first use and dropped when anything they were built from changes. A region of
 * n grants: n scopes (a check reads only those until one is on the asked chain), then n × (role, start, end,
 * directory).
 */
export const effectiveStride = 4;
/** Memberships packed three numbers each: group (holder), start, end. */
const membershipStride = 3;

/** A principal or group as the index keeps it (by interned id). */
interface Holder {
  isGroup: boolean;
  assignable: boolean;
  /** What the holder holds itself. */
  grants: Float64Array;
  grantCount: number;
  /** The memberships that pass group grants on, with their windows. */
  memberships: Float64Array;
  membershipCount: number;
  /** For groups: the holders with a membership in it (whose `effective` depends on it). */
  members: Set<number> | null;
}

const empty = new Float64Array(0);

const newHolder = (): Holder => ({
  isGroup: false,
  assignable: false,
  grants: empty,
  grantCount: 0,
  memberships: empty,
  membershipCount: 0,
  members: null,
});

/** Appends `values` to a packed array, growing it by doubling; returns the (possibly new) array. */
function append(packed: Float64Array, used: number, values: readonly number[]): Float64Array {
  let out = packed;
  if (used + values.length > out.length) {
    out = new Float64Array(Math.max(used + values.length, out.length * 2, 8));
    out.set(packed.subarray(0, used));
  }
  out.set(values, used);
  return out;
}

/** The holders' packed grants and memberships, and each holder's effective grants (one shared buffer). */
export function createHolderStore() {
  const holders: Holder[] = [];
  /**
   * Three numbers per holder, side by side so a check touches one place: 1 when the principal exists (users,
   * groups, service principals); where its effective grants start in `buffer` (-1: not built); how many.
   */
  let meta = new Int32Array(3 * 1024);
  let buffer = new Float64Array(1 << 16);
  let used = 0;
  let live = 0;
  let built = 0;

  function drop(h: number): void {
    const o = meta[3 * h + 1] as number;
    if (o < 0) return;
    live -= (meta[3 * h + 2] as number) * (effectiveStride + 1);
    meta[3 * h + 1] = -1;
  }

  /** Drops the effective grants of a holder and, for a group, of its members. */
  function invalidate(h: number): void {
    drop(h);
    const x = holders[h] as Holder;
    if (built > 0 && x.members) for (const m of x.members) drop(m);
  }

  /** Room for `size` more numbers: compacts when half the buffer is garbage, else grows. */
  function reserve(size: number): void {
    if (used + size <= buffer.length) return;
    const next = new Float64Array(Math.max(buffer.length, 2 * (live + size)));
    let at = 0;
    for (let h = 0; h < holders.length; h++) {
      const o = meta[3 * h + 1] as number;
      if (o < 0) continue;
      const len = (meta[3 * h + 2] as number) * (effectiveStride + 1);
      next.set(buffer.subarray(o, o + len), at);
      meta[3 * h + 1] = at;
      at += len;
    }
    buffer = next;
    used = at;
  }

  function build(h: number): number {
    const x = holders[h] as Holder;
    const scopes: number[] = [];
    const rest: number[] = [];
    const push = (scope: number, role: number, start: number, end: number, directory: number) => {
      scopes.push(scope);
      rest.push(role, start, end, directory);
    };
    const own = x.grants;
    for (let k = 0; k < x.grantCount * grantStride; k += grantStride)
      push(
        own[k] as number,
        own[k + 1] as number,
        own[k + 2] as number,
        own[k + 3] as number,
        own[k + 4] as number,
      );
    for (let i = 0; i < x.membershipCount * membershipStride; i += membershipStride) {
      const group = x.memberships[i] as number;
      const g = holders[group] as Holder;
      if (!g.isGroup || group === h) continue;
      const from = x.memberships[i + 1] as number;
      const to = x.memberships[i + 2] as number;
      for (let k = 0; k < g.grantCount * grantStride; k += grantStride) {
        const directory = g.grants[k + 4] as number;
        if (directory === 1 && !g.assignable) continue;
        const start = Math.max(from, g.grants[k + 2] as number);
        const end = Math.min(to, g.grants[k + 3] as number);
        if (start < end) push(g.grants[k] as number, g.grants[k + 1] as number, start, end, directory);
      }
    }
    const size = scopes.length + rest.length;
    reserve(size);
    buffer.set(scopes, used);
    buffer.set(rest, used + scopes.length);
    meta[3 * h + 1] = used;
    meta[3 * h + 2] = scopes.length;
    used += size;
    live += size;
    built++;
    return used - size;
  }

  return {
    holders,
    add(): number {
      holders.push(newHolder());
      const h = holders.length - 1;
      if (3 * h + 3 > meta.length) {
        const next = new Int32Array(meta.length * 2);
        next.set(meta);
        meta = next;
      }
      meta[3 * h] = 0;
      meta[3 * h + 1] = -1;
      meta[3 * h + 2] = 0;
      return h;
    },
    /** Whether the principal exists. */
    known: (h: number): boolean => meta[3 * h] === 1,
    /** Where the holder's effective grants start in `buffer()` (built now if need be); read `buffer()` after. */
    effectiveOffset(h: number): number {
      const o = meta[3 * h + 1] as number;
      return o >= 0 ? o : build(h);
    },
    effectiveCount: (h: number): number => meta[3 * h + 2] as number,
    buffer: (): Float64Array => buffer,
    addGrant(h: number, values: readonly number[]): void {
      const x = holders[h] as Holder;
      x.grants = append(x.grants, x.grantCount * grantStride, values);
      x.grantCount++;
      invalidate(h);
    },
    addMembership(h: number, group: number, start: number, end: number): void {
      const x = holders[h] as Holder;
      x.memberships = append(x.memberships, x.membershipCount * membershipStride, [group, start, end]);
      x.membershipCount++;
      const g = holders[group] as Holder;
      g.members ??= new Set();
      g.members.add(h);
      drop(h);
    },
    /** Forgets what a holder holds and its memberships (before adding them again). */
    clear(h: number): number {
      const x = holders[h] as Holder;
      const removed = x.grantCount;
      for (let i = 0; i < x.membershipCount * membershipStride; i += membershipStride)
        (holders[x.memberships[i] as number] as Holder).members?.delete(h);
      x.grants = empty;
      x.grantCount = 0;
      x.memberships = empty;
      x.membershipCount = 0;
      invalidate(h);
      return removed;
    },
    setFlags(h: number, flags: { known: boolean; isGroup: boolean; assignable: boolean }): void {
      const x = holders[h] as Holder;
      meta[3 * h] = flags.known ? 1 : 0;
      x.isGroup = flags.isGroup;
      x.assignable = flags.assignable;
      invalidate(h);
    },
  };
}
