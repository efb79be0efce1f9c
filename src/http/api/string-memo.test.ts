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
});
