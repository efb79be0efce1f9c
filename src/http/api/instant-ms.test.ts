import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantMs } from './instant-ms.js';

// zod's ISO 8601 date-time with an offset (z.iso.datetime({ offset: true })), as the request schemas use it.
const accepted =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

describe('instantMs', () => {
  it("gives Date.parse's answer for every accepted instant, in each form", () => {
    const instant = fc
      .tuple(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom('ms', 'seconds', 'micros', 'tenths', 'offset'),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
      )
      .map(([d, form, offset]) => {
        const iso = d.toISOString();
        if (form === 'ms') return iso;
        if (form === 'seconds') return `${iso.slice(0, 19)}Z`;
        if (form === 'micros') return `${iso.slice(0, 23)}456Z`;
        if (form === 'tenths') return `${iso.slice(0, 21)}Z`;
        const sign = offset < 0 ? '-' : '+';
        const a = Math.abs(offset);
        const hm = `${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
        return `${iso.slice(0, 23)}${sign}${hm}`;
      })
      .filter((s) => accepted.test(s));
    fc.assert(
      fc.property(instant, (s) => {
        expect(instantMs(s)).toBe(Date.parse(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads the edges: leap days, the first century, the end of a day and of the range', () => {
    for (const s of [
      '2024-02-29T00:00:00Z',
      '2000-02-29T23:59:59.999Z',
      '0000-01-01T00:00:00Z',
      '0050-06-15T12:00:00.000Z',
      '0099-12-31T23:59:59Z',
      '0100-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '2026-01-15T12:00:00.1Z',
      '2026-01-15T12:00:00.123456789Z',
      '2026-01-15T12:00:00+01:00',
    ])
      expect(instantMs(s), s).toBe(Date.parse(s));
  });
});
