import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys, so key order does not change the text', () => {
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(canonicalJson({ a: 2, b: 1 })).toBe(canonicalJson({ b: 1, a: 2 }));
  });

  it('sorts nested objects, including objects inside arrays, and keeps array order', () => {
    const value = { z: [{ y: 1, x: { d: null, c: 'c' } }, 3, 'two'], a: { b: { d: true, c: false } } };
    expect(canonicalJson(value)).toBe(
      '{"a":{"b":{"c":false,"d":true}},"z":[{"x":{"c":"c","d":null},"y":1},3,"two"]}',
    );
  });

  it('writes Dates as ISO 8601 strings ending in Z, whatever the local time zone', () => {
    const at = new Date('2026-11-23T10:15:30.123+02:00');
    expect(canonicalJson({ at })).toBe('{"at":"2026-11-23T08:15:30.123Z"}');
  });

  it('drops undefined properties and writes undefined array items as null', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });

  it('escapes strings as JSON does and writes no whitespace', () => {
    expect(canonicalJson({ 'k "1"': 'line\nbreak "q" \u2028' })).toBe(
      '{"k \\"1\\"":"line\\nbreak \\"q\\" \u2028"}',
    );
  });

  it('refuses values JSON cannot hold exactly', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    expect(() => canonicalJson({ d: new Date(Number.NaN) })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });

  it('allows the same object twice when it is not its own ancestor', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('gives the same text after a JSON round trip (what jsonb storage does) and parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('does not depend on the order keys were inserted', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (dict) => {
        const reversed = Object.fromEntries(Object.entries(dict).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(dict));
      }),
    );
  });
});
