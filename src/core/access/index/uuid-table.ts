/** Each hex digit's value by the low byte of its character code (either case), -1 for any other byte. */
const hexValue = new Int32Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  hexValue['0123456789abcdef'.charCodeAt(i)] = i;
  hexValue['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** A hex digit's value by character code; -1 (so the result is negative) for any other character. */
function hexDigit(id: string, at: number): number {
  const c = id.charCodeAt(at);
  return (hexValue[c & 255] as number) | -(c >> 8);
}

/** The value of the four hex digits of `id` from `at`; negative when one is not a hex digit. */
const hex4 = (id: string, at: number): number =>
  (hexDigit(id, at) << 12) | (hexDigit(id, at + 1) << 8) | (hexDigit(id, at + 2) << 4) | hexDigit(id, at + 3);

/** Stride of an entry: the UUID's four 32-bit words, then the value + 1 (0: an empty entry). */
const stride = 5;

/**
 * A map from UUID strings (either case, as `8-4-4-4-12` hex) to non-negative integers: the 128 bits are the
 * key, in an open-addressed table of 32-bit words, so a lookup reads the string once and the table at one
 * place — no string hashing, no string comparison, no lower-casing. Ids of another form go to a Map (by
 * their lower-case form).
 */
export function createUuidTable() {
  let mask = 1023;
  let table = new Int32Array((mask + 1) * stride);
  let size = 0;
  const others = new Map<string, number>();
  const words = new Int32Array(4);
  /** `getMany`'s ids as words, four each, and whether each is a UUID. */
  let manyWords = new Int32Array(4 * 64);
  let manyParsed = new Uint8Array(64);

  /** Writes the UUID's bits into `into` from `at`; false when `id` is not a UUID. */
  function parse(id: string, into: Int32Array, at: number): boolean {
    if (id.length !== 36) return false;
    if (id.charCodeAt(8) !== 45 || id.charCodeAt(13) !== 45) return false;
    if (id.charCodeAt(18) !== 45 || id.charCodeAt(23) !== 45) return false;
    const a = hex4(id, 0);
    const b = hex4(id, 4);
    const c = hex4(id, 9);
    const d = hex4(id, 14);
    const e = hex4(id, 19);
    const f = hex4(id, 24);
    const g = hex4(id, 28);
    const h = hex4(id, 32);
    into[at] = (a << 16) | b;
    into[at + 1] = (c << 16) | d;
    into[at + 2] = (e << 16) | f;
    into[at + 3] = (g << 16) | h;
    return (a | b | c | d | e | f | g | h) >= 0;
  }

  /** Where the key in `key` (four words from `at`) is, or the empty entry where it would go. */
  function slot(t: Int32Array, m: number, key: Int32Array, at: number): number {
    const a = key[at] as number;
    const b = key[at + 1] as number;
    const c = key[at + 2] as number;
    const d = key[at + 3] as number;
    let i = (Math.imul(a ^ d, 0x9e3779b1) ^ Math.imul(b ^ c, 0x85ebca6b)) & m;
    for (;;) {
      const e = i * stride;
      if (t[e + 4] === 0) return e;
      if (t[e] === a && t[e + 1] === b && t[e + 2] === c && t[e + 3] === d) return e;
      i = (i + 1) & m;
    }
  }

  const otherValue = (id: string): number => others.get(id) ?? others.get(id.toLowerCase()) ?? -1;

  function grow(): void {
    const old = table;
    mask = mask * 2 + 1;
    table = new Int32Array((mask + 1) * stride);
    for (let e = 0; e < old.length; e += stride) {
      if (old[e + 4] === 0) continue;
      table.set(old.subarray(e, e + stride), slot(table, mask, old, e));
    }
  }

  return {
    /** The value of `id`, or -1. */
    get(id: string): number {
      if (!parse(id, words, 0)) return otherValue(id);
      return (table[slot(table, mask, words, 0) + 4] as number) - 1;
    },
    /**
     * `get` of `n` ids from `ids[from]`, into `out`: every id is read before the table is, so the table's reads
     * (each a likely cache miss) overlap instead of each waiting for the one before.
     */
    getMany(ids: readonly string[], from: number, n: number, out: Int32Array): void {
      if (n > manyParsed.length) {
        manyParsed = new Uint8Array(n);
        manyWords = new Int32Array(4 * n);
      }
      for (let i = 0; i < n; i++) {
        const id = ids[from + i] as string;
        const parsed = parse(id, manyWords, 4 * i);
        manyParsed[i] = parsed ? 1 : 0;
        if (!parsed) out[i] = otherValue(id);
      }
      for (let i = 0; i < n; i++)
        if (manyParsed[i] === 1) out[i] = (table[slot(table, mask, manyWords, 4 * i) + 4] as number) - 1;
    },
    set(id: string, value: number): void {
      if (!parse(id, words, 0)) {
        others.set(id.toLowerCase(), value);
        return;
      }
      const e = slot(table, mask, words, 0);
      if (table[e + 4] === 0) {
        table.set(words, e);
        size++;
      }
      table[e + 4] = value + 1;
      if (2 * size > mask) grow();
    },
  };
}
