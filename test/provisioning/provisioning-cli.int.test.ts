import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliHarness, startCliHarness } from '../cli/support/cli-harness.js';
import { startScimServer, type TestScimServer } from '../support/scim-server.js';

describe('elevate provisioning link|list|update|receipts|unlink', () => {
  let h: CliHarness;
  let scim: TestScimServer;

  beforeEach(async () => {
    h = await startCliHarness();
    scim = await startScimServer();
    const created = await h.t.graph(h.t.admin, 'POST', '/v1.0/groups', {
      displayName: 'PAG-SERVICE-DESK',
      mailNickname: 'pag-service-desk',
      securityEnabled: true,
      mailEnabled: false,
      isAssignableToRole: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });
  afterEach(async () => {
    await h.close();
    await scim.close();
  });

  it('links with the token from stdin (never an argument), lists, rotates, shows receipts and unlinks', async () => {
    const as = h.t.admin;
    const noToken = await h.run(
      ['provisioning', 'link', 'PAG-SERVICE-DESK', scim.baseUrl, '--name', 'Ticketing'],
      {
        as,
      },
    );
    expect(noToken.code).not.toBe(0);
    expect(noToken.stderr).toMatch(/--token-stdin or set ELEVATE_SCIM_TOKEN/);

    const linked = await h.run(
      [
        'provisioning',
        'link',
        'PAG-SERVICE-DESK',
        scim.baseUrl,
        '--name',
        'Ticketing',
        '--token-stdin',
        '--rate',
        '5',
      ],
      { as, stdin: `${scim.token}\n` },
    );
    expect(linked.code, linked.stderr).toBe(0);
    expect(linked.stdout).toMatch(/Linked PAG-SERVICE-DESK to Ticketing/);

    const listed = await h.run(['--json', 'provisioning', 'list', 'PAG-SERVICE-DESK'], { as });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json()).toEqual([
      expect.objectContaining({ displayName: 'Ticketing', baseUrl: scim.baseUrl, ratePerSecond: 5 }),
    ]);
    expect(listed.stdout).not.toContain(scim.token);

    const rotated = await h.run(
      ['provisioning', 'update', 'PAG-SERVICE-DESK', 'Ticketing', '--token-stdin'],
      {
        as,
        env: {},
        stdin: 'new-token',
      },
    );
    expect(rotated.code, rotated.stderr).toBe(0);

    const receipts = await h.run(['provisioning', 'receipts', 'PAG-SERVICE-DESK'], { as });
    expect(receipts.code, receipts.stderr).toBe(0);
    expect(receipts.stdout).toContain('No SCIM deliveries yet.');

    const badRate = await h.run(['provisioning', 'update', 'PAG-SERVICE-DESK', 'Ticketing', '--rate', '0'], {
      as,
    });
    expect(badRate.code).not.toBe(0);
    expect(badRate.stderr).toMatch(/--rate must be/);

    const unlinked = await h.run(['provisioning', 'unlink', 'PAG-SERVICE-DESK', scim.baseUrl], { as });
    expect(unlinked.code, unlinked.stderr).toBe(0);
    const empty = await h.run(['provisioning', 'list', 'PAG-SERVICE-DESK'], { as });
    expect(empty.stdout).toContain('No application is linked to this group.');
  });
});
