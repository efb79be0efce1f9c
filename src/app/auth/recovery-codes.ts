import { createHash, randomBytes } from 'node:crypto';

/** How many recovery codes a user gets at enrolment; each works once. */
export const recoveryCodeCount = 10;

// Crockford-style base32 without look-alikes (no i, l, o, u): 16 characters carry 80 random bits.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/** A new code, `xxxx-xxxx-xxxx-xxxx`: long enough that one unsalted SHA-256 keeps it safe at rest. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b & 31]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** Case, spaces and dashes do not matter when a code is typed back. */
export const normaliseRecoveryCode = (code: string): string => code.toLowerCase().replace(/[\s-]/g, '');

export const hashRecoveryCode = (code: string): string =>
  createHash('sha256').update(normaliseRecoveryCode(code), 'utf8').digest('hex');
