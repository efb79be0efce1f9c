import { describe, expect, it } from 'vitest';
import { createRequestIds } from './request-ids.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createRequestIds', () => {
  it('makes distinct, increasing UUID v7 strings stamped with the current millisecond', () => {
    const next = createRequestIds();
    const before = Date.now();
    const ids = Array.from({ length: 20_000 }, next);
    const after = Date.now();
    for (const id of ids) expect(id).toMatch(uuidV7);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const stamp = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(stamp(ids[0] as string)).toBeGreaterThanOrEqual(before);
    expect(stamp(ids[ids.length - 1] as string)).toBeLessThanOrEqual(after);
  });

  it('draws the random bits afresh: two generators never give the same ids', () => {
    const a = createRequestIds();
    const b = createRequestIds();
    const seen = new Set(Array.from({ length: 5_000 }, a));
    for (let i = 0; i < 5_000; i++) expect(seen.has(b())).toBe(false);
  });
});
