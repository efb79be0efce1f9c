/**
 * A buffer of 32-bit words (`w`), also read as 64-bit floats (`f`), holding one region per holder at the
 * offset `offsets[h]` (-1: none). Regions are written at the end; when the buffer is full the live ones are
 * copied, in the order asked, into a buffer twice their size (so holders read together sit together).
 * Every region has an even size, so a float at an even word offset `o` is `f[o >> 1]`.
 */
export function createWordArena(sizeOf: (offset: number) => number) {
  let w = new Int32Array(1 << 16);
  let f = new Float64Array(w.buffer);
  let offsets = new Int32Array(1024).fill(-1);
  let used = 0;
  let live = 0;

  return {
    get w(): Int32Array {
      return w;
    },
    get f(): Float64Array {
      return f;
    },
    get offsets(): Int32Array {
      return offsets;
    },
    /** Room for holders up to `h`. */
    grow(h: number): void {
      if (h < offsets.length) return;
      const grown = new Int32Array(Math.max(offsets.length * 2, h + 1)).fill(-1);
      grown.set(offsets);
      offsets = grown;
    },
    /**
     * Room for `words` more at the end, then the offset they start at. `order` lists every holder with a
     * region, in the order a compaction lays them out; `moved` hears each region's new offset.
     */
    reserve(words: number, order: () => Iterable<number>, moved: (h: number, at: number) => void): number {
      if (used + words > w.length) {
        const next = new Int32Array(Math.max(1 << 16, 2 * (live + words)));
        let at = 0;
        for (const h of order()) {
          const from = offsets[h] as number;
          if (from < 0) continue;
          const size = sizeOf(from);
          next.set(w.subarray(from, from + size), at);
          offsets[h] = at;
          moved(h, at);
          at += size;
        }
        w = next;
        f = new Float64Array(next.buffer);
        used = at;
      }
      return used;
    },
    /** Makes `words` words at `at` (from `reserve`) the region of `h`; the old one becomes garbage. */
    commit(h: number, at: number, words: number): void {
      const old = offsets[h] as number;
      if (old >= 0) live -= sizeOf(old);
      live += words;
      used = at + words;
      offsets[h] = at;
    },
    get byteLength(): number {
      return w.byteLength + offsets.byteLength;
    },
  };
}

export type WordArena = ReturnType<typeof createWordArena>;
