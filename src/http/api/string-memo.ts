/** Slots a lookup tries before it gives up (a string that finds none free is not remembered). */
const maxProbes = 8;

/**
 * Hashes a string's length and a sample of its characters — the last sixteen (where scope paths differ: the
 * resource's name) and every seventh — rather than all of them, as a Map does with each fresh string.
 */
function sampleHash(s: string): number {
  const n = s.length;
  let h = Math.imul(n, 0x9e3779b1);
  for (let k = Math.max(0, n - 16); k < n; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x85ebca6b);
  for (let k = 0; k < n - 16; k += 7) h = Math.imul(h ^ s.charCodeAt(k), 0xc2b2ae35);
  return h ^ (h >>> 15);
}

/** `sampleHash` of the string the bytes spell, for ASCII bytes (each byte is then its character's code). */
function sampleHashOfBytes(bytes: Uint8Array, start: number, end: number): number {
  const n = end - start;
  let h = Math.imul(n, 0x9e3779b1);
  for (let k = Math.max(0, n - 16); k < n; k++) h = Math.imul(h ^ (bytes[start + k] as number), 0x85ebca6b);
  for (let k = 0; k < n - 16; k += 7) h = Math.imul(h ^ (bytes[start + k] as number), 0xc2b2ae35);
  return h ^ (h >>> 15);
}

/**
 * Whether the string holds only bytes a JSON string holds as they are — printable ASCII other than `"` and `\`
 * (DEL included) — so its bytes are the same in Latin-1 and UTF-8, and bytes equal to them need no unescaping.
 */
function isPlainAscii(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x20 || c > 0x7f || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** Whether `n` bytes from `a` in `av` equal those from `b` in `bv`: four at a time, then one by one. */
function sameBytes(av: DataView, a: number, bv: DataView, b: number, n: number): boolean {
  let k = 0;
  for (; k + 4 <= n; k += 4) if (av.getInt32(a + k) !== bv.getInt32(b + k)) return false;
  for (; k < n; k++) if (av.getUint8(a + k) !== bv.getUint8(b + k)) return false;
  return true;
}

/**
 * Bytes of an entry's record before its key's: the key's hash, its length, the entry's number, whether the key
 * is plain (`isPlainAscii`: its bytes follow, for `getBytes`).
 */
const header = 16;

/**
 * A bounded memo from strings to values, for long strings that arrive fresh (parsed from each request) and repeat
 * — scope spellings, a hundred characters each. A Map hashes every character of each fresh string and reads
 * three places to find its entry; this hashes a sample (`sampleHash`) into an open-addressed table and compares
 * the candidates' keys with `===`, so it is exact whatever the sample: a value is given only for an equal key.
 * Each entry has a record — its key's hash and length, and the key's bytes when plain — so a lookup reads the
 * table, then one place for the rest (a table the rest of a request pushed out of cache costs a read from memory
 * each). It forgets everything when `capacity` strings are held; a string that finds no free slot within
 * `maxProbes` (strings made to share a sample) is not remembered, so a lookup never probes further.
 */
export function createStringMemo<V>(capacity = 100_000) {
  let bits = 10;
  while (1 << bits < 2 * capacity) bits++;
  const mask = (1 << bits) - 1;
  /** Where each slot's record is + 1 (0: a free slot). */
  const slots = new Int32Array(1 << bits);
  let keys: string[] = [];
  let values: V[] = [];
  /** The entries' records, one after another (each at a multiple of 4). */
  let records = new DataView(new ArrayBuffer(1 << 16));
  let recordsUsed = 0;
  /** The bytes `getBytes` read last, as a view (a request body, read many times). */
  let read: Uint8Array | undefined;
  let readView: DataView = records;

  /** Adds the record of the key (hashed to `h`) as entry `e`; where it is. */
  function addRecord(key: string, h: number, e: number): number {
    const plain = isPlainAscii(key);
    const size = header + (plain ? (key.length + 3) & ~3 : 0);
    if (recordsUsed + size > records.byteLength) {
      const grown = new Uint8Array(Math.max(2 * records.byteLength, recordsUsed + size));
      grown.set(new Uint8Array(records.buffer, 0, recordsUsed));
      records = new DataView(grown.buffer);
    }
    const at = recordsUsed;
    records.setInt32(at, h);
    records.setInt32(at + 4, key.length);
    records.setInt32(at + 8, e);
    records.setInt32(at + 12, plain ? 1 : 0);
    if (plain) for (let k = 0; k < key.length; k++) records.setUint8(at + header + k, key.charCodeAt(k));
    recordsUsed += size;
    return at;
  }

  /** `getManyBytes`' hashes, and the record in each one's first slot. */
  let hashes = new Int32Array(64);
  let firstSlots = new Int32Array(64);

  /** The value of the key the bytes spell, hashed to `h`, when it is plain (`getBytes`). */
  function findBytes(bytes: Uint8Array, start: number, end: number, h: number): V | undefined {
    if (bytes !== read) {
      read = bytes;
      readView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const n = end - start;
    let i = h & mask;
    for (let p = 0; p < maxProbes; p++) {
      const r = (slots[i] as number) - 1;
      if (r < 0) return undefined;
      if (
        records.getInt32(r) === h &&
        records.getInt32(r + 4) === n &&
        records.getInt32(r + 12) === 1 &&
        sameBytes(readView, start, records, r + header, n)
      )
        return values[records.getInt32(r + 8)];
      i = (i + 1) & mask;
    }
    return undefined;
  }

  return {
    get(key: string): V | undefined {
      const h = sampleHash(key);
      let i = h & mask;
      for (let p = 0; p < maxProbes; p++) {
        const r = (slots[i] as number) - 1;
        if (r < 0) return undefined;
        if (records.getInt32(r) === h) {
          const e = records.getInt32(r + 8);
          if (keys[e] === key) return values[e];
        }
        i = (i + 1) & mask;
      }
      return undefined;
    },
    /**
     * `get` for the string `bytes[start, end)` spell, without making it (a request body's bytes, read in
     * place): a value only for a key of printable ASCII other than `"` and `\`, equal byte for byte — so bytes
     * that find one are a JSON string's content as it is, with no escape and nothing past ASCII.
     */
    getBytes(bytes: Uint8Array, start: number, end: number): V | undefined {
      return findBytes(bytes, start, end, sampleHashOfBytes(bytes, start, end));
    },
    /**
     * `getBytes` for `count` spellings at once, into `out` (undefined where `starts` has -1). It hashes them all,
     * reads each one's slot, then looks each one up: the table's cache lines are fetched together rather than one
     * after another (twice as fast for a batch of a hundred on a table the rest of the request pushed out of
     * cache).
     */
    getManyBytes(
      bytes: Uint8Array,
      starts: Int32Array,
      ends: Int32Array,
      count: number,
      out: (V | undefined)[],
    ): void {
      if (hashes.length < count) {
        hashes = new Int32Array(count);
        firstSlots = new Int32Array(count);
      }
      for (let k = 0; k < count; k++) {
        const start = starts[k] as number;
        if (start >= 0) hashes[k] = sampleHashOfBytes(bytes, start, ends[k] as number);
      }
      // A loop of reads only, so that many are under way at once.
      for (let k = 0; k < count; k++) firstSlots[k] = slots[(hashes[k] as number) & mask] as number;
      for (let k = 0; k < count; k++) {
        const start = starts[k] as number;
        // A free first slot: not held.
        out[k] =
          start < 0 || firstSlots[k] === 0
            ? undefined
            : findBytes(bytes, start, ends[k] as number, hashes[k] as number);
      }
      // Not kept past the call (a request body).
      read = undefined;
      readView = records;
    },
    set(key: string, value: V): void {
      if (keys.length >= capacity) {
        slots.fill(0);
        keys = [];
        values = [];
        recordsUsed = 0;
      }
      const h = sampleHash(key);
      let i = h & mask;
      for (let p = 0; p < maxProbes; p++) {
        const r = (slots[i] as number) - 1;
        if (r < 0) {
          slots[i] = addRecord(key, h, keys.length) + 1;
          keys.push(key);
          values.push(value);
          return;
        }
        const e = records.getInt32(r + 8);
        if (keys[e] === key) {
          values[e] = value;
          return;
        }
        i = (i + 1) & mask;
      }
    },
    get size(): number {
      return keys.length;
    },
  };
}
