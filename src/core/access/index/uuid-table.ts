/** Each hex digit's value by character code (either case), -1 for any other character. */
const hexValue = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  hexValue['0123456789abcdef'.charCodeAt(i)] = i;
  hexValue['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Where the 32 hex digits of a UUID string are (the four dashes skipped). */
const digitAt = Int8Array.from({ length: 36 }, (_, i) => i).filter((i) => ![8, 13, 18, 23].includes(i));

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

  /** Fills `words` with the UUID's bits; false when `id` is not a UUID. */
  function parse(id: string): boolean {
    if (id.length !== 36) return false;
    if (id.charCodeAt(8) !== 45 || id.charCodeAt(13) !== 45) return false;
    if (id.charCodeAt(18) !== 45 || id.charCodeAt(23) !== 45) return false;
    let bad = 0;
    for (let w = 0; w < 4; w++) {
      let word = 0;
      for (let k = 8 * w; k < 8 * w + 8; k++) {
        const c = id.charCodeAt(digitAt[k] as number);
        const v = c < 128 ? (hexValue[c] as number) : -1;
        bad |= v;
        word = (word << 4) | (v & 15);
      }
      words[w] = word;
    }
    return bad >= 0;
  }

  /** Where the key in `words` is, or the empty entry where it would go. */
  function slot(t: Int32Array, m: number): number {
    const a = words[0] as number;
    const b = words[1] as number;
    const c = words[2] as number;
    const d = words[3] as number;
    let i = (Math.imul(a ^ d, 0x9e3779b1) ^ Math.imul(b ^ c, 0x85ebca6b)) & m;
    for (;;) {
      const e = i * stride;
      if (t[e + 4] === 0) return e;
      if (t[e] === a && t[e + 1] === b && t[e + 2] === c && t[e + 3] === d) return e;
      i = (i + 1) & m;
    }
  }

  function grow(): void {
    const old = table;
    mask = mask * 2 + 1;
    table = new Int32Array((mask + 1) * stride);
    for (let e = 0; e < old.length; e += stride) {
      if (old[e + 4] === 0) continue;
      words.set(old.subarray(e, e + 4));
      table.set(old.subarray(e, e + stride), slot(table, mask));
    }
  }

  return {
    /** The value of `id`, or -1. */
    get(id: string): number {
      if (!parse(id)) return others.get(id) ?? others.get(id.toLowerCase()) ?? -1;
      return (table[slot(table, mask) + 4] as number) - 1;
    },
    set(id: string, value: number): void {
      if (!parse(id)) {
        others.set(id.toLowerCase(), value);
        return;
      }
      const e = slot(table, mask);
      if (table[e + 4] === 0) {
        table.set(words, e);
        size++;
      }
      table[e + 4] = value + 1;
      if (2 * size > mask) grow();
    },
  };
}
