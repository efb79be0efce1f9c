import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStringMemo } from './string-memo.js';

describe('createStringMemo', () => {
  it('gives back what was set for an equal string only, as a Map does, within its capacity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('get', 'set'), fc.string({ maxLength: 40 }), fc.nat()), {
          maxLength: 300,
        }),
        (steps) => {
          const memo = createStringMemo<number>(1000);
          const map = new Map<string, number>();
          for (const [op, key, value] of steps) {
            // Fresh copies: equal strings, never the same object.
            const k = `${key} `.slice(0, -1);
            if (op === 'set') {
              memo.set(k, value);
              if (memo.get(key) !== undefined) map.set(key, value);
            } else {
              const got = memo.get(k);
              // Exact: never a value for a string that was not set, nor another string's value.
              if (got !== undefined) expect(got).toBe(map.get(key));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('remembers long spellings differing in one character, and forgets all at capacity', () => {
    const memo = createStringMemo<number>(1000);
    const base =
      '/subscriptions/d4c5f93c-3d9b-43bb-804f-78785f9c61bb/resourceGroups/rg-02177/providers/x/y/res-';
    const keys = Array.from({ length: 1000 }, (_, i) => `${base}${String(i).padStart(6, '0')}`);
    for (const [i, k] of keys.entries()) memo.set(k, i);
    const found = keys.filter((k, i) => memo.get(`${k} `.slice(0, -1)) === i).length;
    expect(found).toBeGreaterThan(990);
    expect(memo.get(`${base}999999`)).toBeUndefined();
    for (let i = 0; memo.size >= found; i++) memo.set(`/x/${i}`, -1);
    expect(memo.size).toBe(1);
    expect(memo.get(keys[0] as string)).toBeUndefined();
  });

  it('keeps strings made to share a sample apart (they are compared whole), remembering some', () => {
    const memo = createStringMemo<string>(100);
    // Same length, same last sixteen and same every-seventh characters: the same sample hash.
    const same = Array.from({ length: 20 }, (_, i) => `a${String.fromCharCode(66 + i)}${'x'.repeat(30)}`);
    for (const k of same) memo.set(k, k);
    for (const k of same) {
      const got = memo.get(k);
      if (got !== undefined) expect(got).toBe(k);
    }
    expect(same.filter((k) => memo.get(k) === k).length).toBeGreaterThan(0);
  });

  it('finds by bytes what it finds by string, for keys of printable ASCII without quote or backslash only', () => {
    /** Mostly plain characters, some a JSON string escapes or UTF-8 spells in several bytes. */
    const unit = fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom(...'/abcxyz019-._~ '.split('')) },
      fc.constantFrom('"', '\\', '\n', '\u0001', '\u007f', 'é', '\u00ff', '\u0130', '\u{1f600}'),
    );
    const isPlain = (s: string) => /^[\x20-\x7f]*$/.test(s) && !/["\\]/.test(s);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit, maxLength: 40 }), fc.nat()), { maxLength: 60 }),
        fc.array(fc.string({ unit, maxLength: 40 }), { maxLength: 20 }),
        fc.string({ maxLength: 5 }),
        (entries, others, around) => {
          const memo = createStringMemo<number>(50);
          for (const [key, value] of entries) memo.set(key, value);
          for (const key of [...entries.map(([k]) => k), ...others]) {
            // The key's UTF-8 bytes, inside others (a request body is read in place).
            const bytes = Buffer.from(`${around}${key}${around}`, 'utf8');
            const start = Buffer.byteLength(around);
            const end = start + Buffer.byteLength(key);
            expect(memo.getBytes(bytes, start, end), key).toBe(isPlain(key) ? memo.get(key) : undefined);
          }
          // …and many at once, -1 where there is nothing to look up, as one at a time.
          const keys = [...entries.map(([k]) => k), ...others];
          const bytes = Buffer.from(keys.join(around), 'utf8');
          const starts = new Int32Array(keys.length);
          const ends = new Int32Array(keys.length);
          for (let k = 0, at = 0; k < keys.length; k++) {
            starts[k] = k % 5 === 4 ? -1 : at;
            const end = at + Buffer.byteLength(keys[k] as string);
            ends[k] = end;
            at = end + Buffer.byteLength(around);
          }
          const many: (number | undefined)[] = [];
          memo.getManyBytes(bytes, starts, ends, keys.length, many);
          for (let k = 0; k < keys.length; k++) {
            const start = starts[k] as number;
            const one = start < 0 ? undefined : memo.getBytes(bytes, start, ends[k] as number);
            expect(many[k], keys[k]).toBe(one);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
