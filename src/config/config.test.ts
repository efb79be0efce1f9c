import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig: single sign-on', () => {
  it('leaves single sign-on off without an issuer, with the mfa fallback', () => {
    const c = loadConfig({});
    expect(c.oidc).toBeUndefined();
    expect(c.acrFallback).toBe('mfa');
  });

  it('reads the provider, with defaults for the claim, user creation and scopes', () => {
    const c = loadConfig({
      ELEVATE_OIDC_ISSUER: 'https://login.example.com/tenant/v2.0',
      ELEVATE_OIDC_CLIENT_ID: 'elevate',
      ELEVATE_OIDC_CLIENT_SECRET: 's3cret',
      ELEVATE_OIDC_ACR_FALLBACK: 'deny',
    });
    expect(c.oidc).toEqual({
      issuer: 'https://login.example.com/tenant/v2.0',
      clientId: 'elevate',
      clientSecret: 's3cret',
      matchClaim: 'email',
      createUsers: false,
      scopes: 'openid profile email',
    });
    expect(c.acrFallback).toBe('deny');
    const created = loadConfig({
      ELEVATE_OIDC_ISSUER: 'http://127.0.0.1:9000',
      ELEVATE_OIDC_CLIENT_ID: 'elevate',
      ELEVATE_OIDC_CREATE_USERS: 'true',
      ELEVATE_OIDC_MATCH_CLAIM: 'upn',
    });
    expect(created.oidc).toMatchObject({ createUsers: true, matchClaim: 'upn', clientSecret: undefined });
  });

  it.each([
    [{ ELEVATE_OIDC_ISSUER: 'https://idp.example.com' }, 'ELEVATE_OIDC_CLIENT_ID: required'],
    [
      { ELEVATE_OIDC_ISSUER: 'http://idp.example.com', ELEVATE_OIDC_CLIENT_ID: 'x' },
      'must be an https:// URL',
    ],
    [{ ELEVATE_OIDC_MATCH_CLAIM: 'phone' }, 'ELEVATE_OIDC_MATCH_CLAIM'],
    [{ ELEVATE_OIDC_SCOPES: 'profile email' }, 'must include openid'],
    [{ ELEVATE_OIDC_CREATE_USERS: 'perhaps' }, 'ELEVATE_OIDC_CREATE_USERS'],
    [{ ELEVATE_OIDC_ACR_FALLBACK: 'allow' }, 'ELEVATE_OIDC_ACR_FALLBACK'],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
