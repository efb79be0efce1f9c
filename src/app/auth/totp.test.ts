import { describe, expect, it } from 'vitest';
import { totpCode, totpStep, totpUri, verifyTotp } from './totp.js';

// RFC 6238 appendix B's SHA-1 seed ("12345678901234567890") in base32.
const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const t0 = new Date('2026-03-02T09:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe('TOTP', () => {
  it('matches RFC 6238 test vectors (6 digits of the 8-digit values)', async () => {
    expect(await totpCode(secret, new Date(59_000))).toBe('287082');
    expect(await totpCode(secret, new Date(1_111_111_109_000))).toBe('081804');
  });

  it('accepts the current code and one step of drift either way, and no further', async () => {
    for (const [offset, valid] of [
      [0, true],
      [-30, true],
      [30, true],
      [-60, false],
      [60, false],
    ] as const) {
      const code = await totpCode(secret, at(offset));
      expect((await verifyTotp({ secret, code, now: t0, afterStep: null })).valid, `${offset}s`).toBe(valid);
    }
  });

  it('accepts a code only for a step after the last one used, telling a replay from a wrong code', async () => {
    const code = await totpCode(secret, t0);
    const first = await verifyTotp({ secret, code, now: t0, afterStep: null });
    expect(first).toEqual({ valid: true, step: totpStep(t0) });
    expect(await verifyTotp({ secret, code, now: at(10), afterStep: totpStep(t0) })).toEqual({
      valid: false,
      replayed: true,
    });
    const older = await totpCode(secret, at(-30));
    expect(await verifyTotp({ secret, code: older, now: t0, afterStep: totpStep(t0) })).toEqual({
      valid: false,
      replayed: true,
    });
    expect(await verifyTotp({ secret, code: '000000', now: t0, afterStep: null })).toEqual({
      valid: false,
      replayed: false,
    });
    expect(await verifyTotp({ secret, code: 'abc', now: t0, afterStep: null })).toMatchObject({
      valid: false,
    });
  });

  it('writes the otpauth URI authenticator apps scan', () => {
    expect(totpUri(secret, 'adam@elevate.test')).toBe(
      `otpauth://totp/Elevate:adam%40elevate.test?secret=${secret}&issuer=Elevate`,
    );
  });
});
