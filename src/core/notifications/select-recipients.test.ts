import { describe, expect, it } from 'vitest';
import { isMailAddress } from './select-recipients.js';

describe('isMailAddress', () => {
  it.each([
    ['steve@elevate.example', true],
    ['a.b+c@sub.example.org', true],
    ['no-at-sign', false],
    ['two@@example.com', false],
    ['x@y.z\r\nBcc: e@example.com', false],
    ['Name <x@example.com>', false],
    ['x@localhost', false],
  ])('%s → %s', (text, ok) => {
    expect(isMailAddress(text)).toBe(ok);
  });
});
