import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { missingOptionals } from '../../scripts/complete-lockfile.mjs';

describe('package-lock.json', () => {
  it('lists every optional platform binary, so `npm ci` accepts it (run `npm run lock:complete` after `npm install`)', () => {
    const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8'));
    expect(missingOptionals(lock.packages)).toEqual([]);
  });
});
