import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';

/** Random 32-bit words drawn from the system's CSPRNG at once: one call per ~300 request ids, not one per two. */
const poolWords = 1024;

/** Each byte as two lower-case hex digits (what UUID's own `toString` writes, one digit at a time). */
const byteHex = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const hex = (bytes: Uint8Array, i: number): string => byteHex[bytes[i] as number] as string;

/**
 * Request ids: UUID v7 strings (time-ordered, the rest random from the CSPRNG, as every id Elevate makes), from
 * a generator whose random words come from a pool filled a kilobyte at a time — the default one asks the
 * operating system every few ids, which cost more than the rest of a cheap request's id.
 */
export function createRequestIds(): () => string {
  const pool = new Uint32Array(poolWords);
  let next = poolWords;
  const generator = new V7Generator({
    nextUint32(): number {
      if (next === poolWords) {
        randomFillSync(pool);
        next = 0;
      }
      return pool[next++] as number;
    },
  });
  return () => {
    const b = generator.generate().bytes;
    return `${hex(b, 0)}${hex(b, 1)}${hex(b, 2)}${hex(b, 3)}-${hex(b, 4)}${hex(b, 5)}-${hex(b, 6)}${hex(b, 7)}-${hex(b, 8)}${hex(b, 9)}-${hex(b, 10)}${hex(b, 11)}${hex(b, 12)}${hex(b, 13)}${hex(b, 14)}${hex(b, 15)}`;
  };
}
