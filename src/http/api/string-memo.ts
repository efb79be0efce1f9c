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

/**
 * A bounded memo from strings to values, for long strings that arrive fresh (parsed from each request) and repeat
 * — scope spellings, a hundred characters each. A Map hashes every character of each fresh string and reads
 * three places to find its entry; this hashes a sample (`sampleHash`) into an open-addressed table of entry
 * numbers and compares the candidates' keys with `===`, so it is exact whatever the sample: a value is given
 * only for an equal key. It forgets everything when `capacity` strings are held; a string that finds no free slot
 * within `maxProbes` (strings made to share a sample) is not remembered, so a lookup never probes further.
 */
export function createStringMemo<V>(capacity = 100_000) {
  let bits = 10;
  while (1 << bits < 2 * capacity) bits++;
  const mask = (1 << bits) - 1;
  /** Entry number + 1 per slot (0: free). */
  const slots = new Int32Array(1 << bits);
  let keys: string[] = [];
  let values: V[] = [];

  return {
    get(key: string): V | undefined {
      let i = sampleHash(key) & mask;
      for (let p = 0; p < maxProbes; p++) {
        const e = slots[i] as number;
        if (e === 0) return undefined;
        if (keys[e - 1] === key) return values[e - 1];
        i = (i + 1) & mask;
      }
      return undefined;
    },
    set(key: string, value: V): void {
      if (keys.length >= capacity) {
        slots.fill(0);
        keys = [];
        values = [];
      }
      let i = sampleHash(key) & mask;
      for (let p = 0; p < maxProbes; p++) {
        const e = slots[i] as number;
        if (e === 0) {
          keys.push(key);
          values.push(value);
          slots[i] = keys.length;
          return;
        }
        if (keys[e - 1] === key) {
          values[e - 1] = value;
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
