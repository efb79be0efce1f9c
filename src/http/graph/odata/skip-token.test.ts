import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ODataError } from './errors.js';
import { decodeSkipToken, encodeSkipToken } from './skip-token.js';

describe('skip tokens', () => {
  it('given a cursor, when encoded, then the token is URL-safe and decodes to an equal cursor', () => {
    const cursor = {
      after: '2024-01-01T00:00:00Z',
      id: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
      note: 'ü/+?',
    };
    const token = encodeSkipToken(cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSkipToken(token)).toEqual(cursor);
  });

  it('given any JSON value, when round-tripped, then it comes back equal', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        expect(decodeSkipToken(encodeSkipToken(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it.each([
    ['', 'empty'],
    ['not base64!', 'outside the alphabet'],
    ['eyJhIjox', 'truncated JSON'],
    [Buffer.from('hello').toString('base64url'), 'not JSON'],
    ['eyJhIjoxfQ=', 'padded'],
    ['eyJhIjoxfR', 'with trailing bits that do not round-trip'],
    ['a'.repeat(2049), 'too long'],
  ])('given %j (%s), when decoded, then it throws ODataError telling the client to start over', (token) => {
    expect(() => decodeSkipToken(token)).toThrow(
      new ODataError(
        'Invalid $skiptoken: it is not a token this service issued; request the first page without $skiptoken and follow @odata.nextLink',
      ),
    );
  });

  it('given arbitrary text, when decoded, then it returns a value or throws ODataError, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        try {
          decodeSkipToken(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ODataError);
        }
      }),
    );
  });

  it('given undefined, when encoded, then it is a programming error, not a client error', () => {
    expect(() => encodeSkipToken(undefined)).toThrow(TypeError);
  });
});
