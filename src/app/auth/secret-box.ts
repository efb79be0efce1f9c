import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Encrypts small secrets (TOTP seeds) at rest; `context` (a user id) is bound in, so rows cannot be swapped. */
export interface SecretBox {
  seal(plain: string, context: string): string;
  /** The plain text, or throws when the ciphertext, its tag or its context does not match. */
  open(sealed: string, context: string): string;
}

/**
 * The keys secrets are sealed under: the tenant's master key (kept in the database), and, when configured, a
 * key kept outside it (ELEVATE_SECRETS_KEY), which then seals everything new.
 */
export interface SealingKeys {
  readonly tenantKey: Uint8Array;
  readonly secretsKey?: Uint8Array;
}

/** `v1`: under the tenant key; `k1`: under ELEVATE_SECRETS_KEY. Both stay readable while their key is known. */
const tenantVersion = 'v1';
const externalVersion = 'k1';

const derive = (master: Uint8Array, salt: string, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', master, salt, `elevate/${purpose}`, 32));

/**
 * AES-256-GCM under a key derived (HKDF-SHA256) for one `purpose` from the tenant's master key, or from
 * ELEVATE_SECRETS_KEY when set. The sealed form is `<version>.<iv>.<tag>.<ciphertext>` in base64url; what was
 * sealed under the tenant key before ELEVATE_SECRETS_KEY was set still opens.
 */
export function createSecretBox(keys: Uint8Array | SealingKeys, purpose: string): SecretBox {
  const ring: SealingKeys = keys instanceof Uint8Array ? { tenantKey: keys } : keys;
  const tenant = derive(ring.tenantKey, 'elevate', purpose);
  const external = ring.secretsKey ? derive(ring.secretsKey, 'elevate-secrets-key', purpose) : undefined;
  return {
    seal(plain, context) {
      const [version, key] = external ? [externalVersion, external] : [tenantVersion, tenant];
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
      if (!iv || !tag || body === undefined) throw new Error('unknown sealed-secret format');
      const key = v === tenantVersion ? tenant : v === externalVersion ? external : undefined;
      if (!key) {
        throw new Error(
          v === externalVersion
            ? 'this secret was sealed under ELEVATE_SECRETS_KEY, which is not set'
            : 'unknown sealed-secret format',
        );
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
