import { ODataError } from './errors.js';

/** Longest `$skiptoken` accepted, in characters. */
export const maxSkipTokenLength = 2048;

const base64url = /^[A-Za-z0-9_-]+$/;

/**
 * Turns a cursor (any JSON value, e.g. `{ after: '2024-01-01T00:00:00Z', id: '…' }`) into the opaque
 * `$skiptoken` carried by `@odata.nextLink`: base64url-encoded JSON. It is not signed, so whoever decodes it
 * must validate its shape like any other input.
 */
export function encodeSkipToken(cursor: unknown): string {
  const json = JSON.stringify(cursor);
  if (json === undefined) throw new TypeError('encodeSkipToken: the cursor must be a JSON value');
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** Reverses `encodeSkipToken`. A token this service did not issue throws ODataError. */
export function decodeSkipToken(token: string): unknown {
  const invalid = new ODataError(
    'Invalid $skiptoken: it is not a token this service issued; ' +
      'request the first page without $skiptoken and follow @odata.nextLink',
  );
  if (token.length > maxSkipTokenLength || !base64url.test(token)) throw invalid;
  const json = Buffer.from(token, 'base64url').toString('utf8');
  if (Buffer.from(json, 'utf8').toString('base64url') !== token) throw invalid;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw invalid;
  }
}
