/** Grants packed five numbers each: scope, role, start, end, directory (1: a directory role, 0: an Azure role). */
export const grantStride = 5;
/** Memberships packed three numbers each: group (holder), start, end. */
const membershipStride = 3;

/** A principal or group as the index keeps it (by interned id). */
export interface Holder {
  known: boolean;
  isGroup: boolean;
  assignable: boolean;
  /** What the holder holds itself. */
  grants: Float64Array;
  grantCount: number;
  /** The memberships that pass group grants on, with their windows. */
  memberships: Float64Array;
  membershipCount: number;
  /**
   * Everything that reaches the holder: its own grants, then each group's through each membership, the window
   * cut to the membership's, directory roles only from role-assignable groups. Built on first use, dropped when
   * anything it was built from changes.
   */
  effective: Float64Array | null;
  effectiveCount: number;
  /** For groups: the holders with a membership in it (whose `effective` depends on it). */
  members: Set<number> | null;
}

const empty = new Float64Array(0);

export const newHolder = (): Holder => ({
  known: false,
  isGroup: false,
  assignable: false,
  grants: empty,
  grantCount: 0,
  memberships: empty,
  membershipCount: 0,
  effective: null,
  effectiveCount: 0,
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

/** The holders' packed grants and memberships, and each holder's effective grants (see `Holder.effective`). */
export function createHolderStore() {
  const holders: Holder[] = [];
  let built = 0;

  /** Drops the effective grants of a holder and, for a group, of its members. */
  function invalidate(h: number): void {
    const x = holders[h] as Holder;
    x.effective = null;
    if (built > 0 && x.members) for (const m of x.members) (holders[m] as Holder).effective = null;
  }

  function build(h: number): Holder {
    const x = holders[h] as Holder;
    const out: number[] = [];
    for (let i = 0; i < x.grantCount * grantStride; i++) out.push(x.grants[i] as number);
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
        if (start >= end) continue;
        out.push(g.grants[k] as number, g.grants[k + 1] as number, start, end, directory);
      }
    }
    built++;
    x.effective = Float64Array.from(out);
    x.effectiveCount = out.length / grantStride;
    return x;
  }

  return {
    holders,
    add(): number {
      holders.push(newHolder());
      return holders.length - 1;
    },
    /** The holder with its effective grants built. */
    effective(h: number): Holder {
      const x = holders[h] as Holder;
      return x.effective === null ? build(h) : x;
    },
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
      x.effective = null;
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
      x.known = flags.known;
      x.isGroup = flags.isGroup;
      x.assignable = flags.assignable;
      invalidate(h);
    },
  };
}
