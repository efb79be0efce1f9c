import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.js';

const key = new Uint8Array(32).fill(7);

describe('createSecretBox', () => {
  it('seals so that only the same key, purpose and context open it', () => {
    const box = createSecretBox(key, 'totp-seed');
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP', 'user-1')).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => box.open(sealed, 'user-2')).toThrow();
    expect(() => createSecretBox(key, 'other').open(sealed, 'user-1')).toThrow();
    expect(() => createSecretBox(new Uint8Array(32), 'totp-seed').open(sealed, 'user-1')).toThrow();
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = `${v}.${iv}.${tag}.${body!.slice(0, -2)}AA`;
    expect(() => box.open(flipped, 'user-1')).toThrow();
  });
});

describe('createSecretBox with ELEVATE_SECRETS_KEY', () => {
  const secretsKey = new Uint8Array(32).fill(9);

  it('seals new secrets under the outside key and still opens those sealed under the tenant key', () => {
    const before = createSecretBox(key, 'totp-seed').seal('OLD-SEED', 'user-1');
    const box = createSecretBox({ tenantKey: key, secretsKey }, 'totp-seed');
    expect(box.open(before, 'user-1')).toBe('OLD-SEED');
    const sealed = box.seal('NEW-SEED', 'user-1');
    expect(sealed).toMatch(/^k1\./);
    expect(box.open(sealed, 'user-1')).toBe('NEW-SEED');
    // The tenant key alone (the database without the outside key) cannot open it.
    expect(() => createSecretBox(key, 'totp-seed').open(sealed, 'user-1')).toThrow(/ELEVATE_SECRETS_KEY/);
    expect(() =>
      createSecretBox({ tenantKey: key, secretsKey: new Uint8Array(32) }, 'totp-seed').open(sealed, 'user-1'),
    ).toThrow();
  });
});
