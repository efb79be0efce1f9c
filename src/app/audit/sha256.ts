import { createHash } from 'node:crypto';
import type { Digest } from '../../core/audit/hash-chain.js';

/** The audit chain's digest: SHA-256 of the UTF-8 text, lower-case hex (64 characters). */
export const sha256Hex: Digest = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
