import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

describe('outbound SCIM configuration', () => {
  it('defaults to 10 requests per second per application and no demo link', () => {
    const config = loadConfig({});
    expect(config.scimRatePerSecond).toBe(10);
    expect(config.demoScim).toBeUndefined();
  });

  it('reads a fractional rate and the demo application', () => {
    const config = loadConfig({
      ELEVATE_SCIM_RATE_PER_SECOND: '0.5',
      ELEVATE_DEMO_SCIM_URL: 'http://127.0.0.1:9000/scim/v2',
      ELEVATE_DEMO_SCIM_TOKEN: 'demo-token',
    });
    expect(config.scimRatePerSecond).toBe(0.5);
    expect(config.demoScim).toEqual({ baseUrl: 'http://127.0.0.1:9000/scim/v2', token: 'demo-token' });
  });

  it('refuses a demo URL without its token, over plain http off the loopback, or a rate that is not positive', () => {
    expect(() => loadConfig({ ELEVATE_DEMO_SCIM_URL: 'https://app.example/scim/v2' })).toThrow(
      /ELEVATE_DEMO_SCIM_TOKEN: required/,
    );
    expect(() =>
      loadConfig({ ELEVATE_DEMO_SCIM_URL: 'http://app.example/scim/v2', ELEVATE_DEMO_SCIM_TOKEN: 't' }),
    ).toThrow(/ELEVATE_DEMO_SCIM_URL: must be an https:\/\/ URL/);
    expect(() => loadConfig({ ELEVATE_SCIM_RATE_PER_SECOND: '0' })).toThrow(/ELEVATE_SCIM_RATE_PER_SECOND/);
  });
});
