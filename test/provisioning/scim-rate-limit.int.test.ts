import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScimRequestFailed } from '../../src/connectors/scim/scim-client.js';
import { createScimProvisioner } from '../../src/connectors/scim/scim-provisioner.js';
import { startScimServer, type TestScimServer } from '../support/scim-server.js';

const change = (n: number) => ({
  operation: 'add' as const,
  group: { id: '01940000-0000-7000-8000-00000000000a', displayName: 'PAG-RATE' },
  user: {
    userName: `user${n}@elevate.test`,
    externalId: `01940000-0000-7000-8000-00000000010${n}`,
    displayName: `User ${n}`,
    givenName: null,
    familyName: null,
    email: null,
  },
});

describe('outbound SCIM rate limit (token bucket per application)', () => {
  let scim: TestScimServer;
  beforeEach(async () => {
    scim = await startScimServer();
  });
  afterEach(async () => {
    await scim.close();
  });

  it("a link's own rate overrides the default; a request that would wait too long is handed back as retryable", async () => {
    const provisioner = createScimProvisioner({ defaultRatePerSecond: 1000, maxWaitMs: 0 });
    const slow = {
      id: 'slow-app',
      baseUrl: scim.baseUrl,
      token: scim.token,
      ratePerSecond: 0.001,
      scimGroupId: null,
    };
    // The bucket holds one token: the first request goes, the second would wait 1000 s
    const refused = await provisioner.apply(slow, change(1)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ScimRequestFailed);
    expect(refused).toMatchObject({
      status: 429,
      retryable: true,
      message: expect.stringContaining('0.001/s'),
    });
    expect(scim.exchanges).toHaveLength(1);

    // Another application has its own bucket, at the default rate
    const fast = { ...slow, id: 'fast-app', ratePerSecond: null };
    const done = await provisioner.apply(fast, change(2));
    expect(done.outcome).toBe('applied');
    expect(scim.memberUserNames('PAG-RATE')).toEqual(['user2@elevate.test']);
  });
});
