import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUuidTable } from './uuid-table.js';

describe('the UUID table', () => {
  it('finds each UUID in either case, and nothing it was not given', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 3000 }), fc.uuid(), (ids, other) => {
        const table = createUuidTable();
        for (const [i, id] of ids.entries()) table.set(id, i);
        ids.forEach((id, i) => {
          expect(table.get(id)).toBe(i);
          expect(table.get(id.toUpperCase())).toBe(i);
        });
        if (!ids.includes(other)) expect(table.get(other)).toBe(-1);
      }),
      { numRuns: 30 },
    );
  });

  it('keeps all-ones and all-zeros words apart from malformed ids', () => {
    const table = createUuidTable();
    table.set('ffffffff-ffff-ffff-ffff-ffffffffffff', 1);
    table.set('00000000-0000-0000-0000-000000000000', 2);
    expect(table.get('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF')).toBe(1);
    expect(table.get('00000000-0000-0000-0000-000000000000')).toBe(2);
    expect(table.get('ffffffff-ffff-ffff-ffff-fffffffffffg')).toBe(-1);
    expect(table.get('ffffffff-ffff-ffff-ffff-ffffffffff\u00ff')).toBe(-1);
    expect(table.get('ffffffff+ffff-ffff-ffff-ffffffffffff')).toBe(-1);
  });

  it('maps other ids by their lower-case form', () => {
    const table = createUuidTable();
    table.set('Emergency-Account', 7);
    expect(table.get('emergency-account')).toBe(7);
    expect(table.get('EMERGENCY-ACCOUNT')).toBe(7);
    expect(table.get('someone-else')).toBe(-1);
  });

  it('overwrites a value set again', () => {
    const table = createUuidTable();
    table.set('0000000a-0000-4000-8000-000000000001', 1);
    table.set('0000000A-0000-4000-8000-000000000001', 5);
    expect(table.get('0000000a-0000-4000-8000-000000000001')).toBe(5);
  });

  it('gives in getMany what get gives for each id, UUIDs or not', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })), { minLength: 1, maxLength: 300 }),
        fc.array(fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })), { maxLength: 200 }),
        (known, others) => {
          const table = createUuidTable();
          for (const [i, id] of known.entries()) table.set(id, i);
          const asked = [
            ...others,
            ...known.map((id, i) => (i % 2 === 0 ? id.toUpperCase() : id)),
            ...others,
          ];
          const out = new Int32Array(asked.length);
          table.getMany(asked, 0, asked.length, out);
          expect([...out]).toEqual(asked.map((id) => table.get(id)));
          const n = Math.min(3, asked.length);
          const tail = new Int32Array(n);
          table.getMany(asked, asked.length - n, n, tail);
          expect([...tail]).toEqual(asked.slice(-n).map((id) => table.get(id)));
        },
      ),
      { numRuns: 50 },
    );
  });
});
