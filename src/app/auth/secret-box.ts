import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Encrypts small secrets (TOTP seeds) at rest; `context` (a user id) is bound in, so rows cannot be swapped. */
export interface SecretBox {
  seal(plain: string, context: string): string;
  /** The plain text, or throws when the ciphertext, its tag or its context does not match. */
  open(sealed: string, context: string): string;
}

const version = 'v1';

/**
 * AES-256-GCM under a key derived (HKDF-SHA256) from the tenant's master key for one `purpose`. The sealed form
 * is `v1.<iv>.<tag>.<ciphertext>` in base64url.
 */
export function createSecretBox(masterKey: Uint8Array, purpose: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', masterKey, 'elevate', `elevate/${purpose}`, 32));
  return {
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [version, iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== version || !iv || !tag || body === undefined) throw new Error('unknown sealed-secret format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
