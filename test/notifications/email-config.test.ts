import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

describe('e-mail configuration (ELEVATE_SMTP_URL, ELEVATE_MAIL_FROM)', () => {
  it('is off without an SMTP URL', () => {
    expect(loadConfig({}).email).toBeUndefined();
  });

  it('takes an smtp:// or smtps:// URL and a From, with a default From', () => {
    expect(loadConfig({ ELEVATE_SMTP_URL: 'smtp://127.0.0.1:1025' }).email).toEqual({
      smtpUrl: 'smtp://127.0.0.1:1025',
      from: 'Elevate PIM <elevate@localhost>',
    });
    expect(
      loadConfig({
        ELEVATE_SMTP_URL: 'smtps://pim:secret@mail.example.com:465',
        ELEVATE_MAIL_FROM: 'Elevate <pim@example.com>',
      }).email,
    ).toEqual({ smtpUrl: 'smtps://pim:secret@mail.example.com:465', from: 'Elevate <pim@example.com>' });
  });

  it('refuses another scheme and a From that is not one address line, naming the variable', () => {
    expect(() => loadConfig({ ELEVATE_SMTP_URL: 'http://mail.example.com' })).toThrow(/ELEVATE_SMTP_URL/);
    expect(() => loadConfig({ ELEVATE_SMTP_URL: 'smtp://x', ELEVATE_MAIL_FROM: 'nobody' })).toThrow(
      /ELEVATE_MAIL_FROM/,
    );
    expect(() =>
      loadConfig({ ELEVATE_SMTP_URL: 'smtp://x', ELEVATE_MAIL_FROM: 'a@b.c\r\nBcc: x@y.z' }),
    ).toThrow(/ELEVATE_MAIL_FROM/);
  });
});
