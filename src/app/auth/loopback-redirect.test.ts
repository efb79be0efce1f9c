import { describe, expect, it } from 'vitest';
import { loopbackRedirect } from './loopback-redirect.js';

describe('loopbackRedirect', () => {
  it.each(['http://127.0.0.1:53682/callback', 'http://localhost:8400/', 'http://127.0.0.1:1/cb/3f9a?x=1'])(
    'accepts %s',
    (uri) => {
      expect(loopbackRedirect(uri)).toBe(new URL(uri).href);
    },
  );

  it.each([
    'https://evil.example/callback',
    'http://evil.example:8080/callback',
    'http://127.0.0.1/callback',
    'https://127.0.0.1:8443/callback',
    'http://127.0.0.2:8080/callback',
    'http://localhost.evil.example:8080/',
    'http://user:pw@127.0.0.1:8080/',
    'http://127.0.0.1:8080/#frag',
    'javascript:alert(1)',
    '/relative',
    '',
  ])('refuses %s', (uri) => {
    expect(() => loopbackRedirect(uri)).toThrow(/redirect_uri must be a loopback address/);
  });
});
