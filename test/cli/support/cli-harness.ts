import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../../src/cli/run-cli.js';
import type { Database } from '../../../src/db/connect.js';
import { createTestApp, type TestApp, type TestUser } from '../../support/app.js';
import { createTestDatabase } from '../../support/db.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout read as JSON. */
  json(): any;
}

export interface RunOptions {
  /** Added to (or, with undefined values, removed from) the harness's environment. */
  readonly env?: Record<string, string | undefined>;
  readonly stdin?: string;
  readonly tty?: boolean;
  /** Run as this user with ELEVATE_TOKEN (no login); the default is the saved sign-in, if any. */
  readonly as?: TestUser;
  /** Plays the browser for `--oidc` (the URL the CLI would open). */
  readonly openUrl?: (url: string) => unknown;
}

export interface CliHarness {
  readonly t: TestApp;
  /** `http://127.0.0.1:<port>` of the running server. */
  readonly server: string;
  /** The ELEVATE_CONFIG_DIR of this test. */
  readonly configDir: string;
  run(argv: readonly string[], options?: RunOptions): Promise<CliResult>;
  /** The policy id of a directory role's settings at '/'. */
  policyId(roleId: string): Promise<string>;
  /** PATCHes one rule of a role's settings through Graph as the test's Global Administrator. */
  patchRule(roleId: string, rule: Record<string, unknown> & { id: string }): Promise<void>;
  close(): Promise<void>;
}

/** A real server on a loopback port over a fresh PGlite database, and the CLI run in-process against it. */
export async function startCliHarness<A extends TestApp = TestApp>(
  setup: { createApp?: (database: Database) => Promise<A> } = {},
): Promise<CliHarness & { readonly t: A }> {
  const database = await createTestDatabase('pglite');
  const t = setup.createApp ? await setup.createApp(database) : ((await createTestApp(database)) as A);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const server = `http://127.0.0.1:${port}`;
  const configDir = await mkdtemp(join(tmpdir(), 'elevate-cli-'));

  async function policyId(roleId: string): Promise<string> {
    const res = await t.graph(
      t.admin,
      'GET',
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roleId}'`,
    );
    if (res.status !== 200 || !res.body.value[0])
      throw new Error(`policy of ${roleId}: ${JSON.stringify(res.body)}`);
    return res.body.value[0].policyId;
  }

  return {
    t,
    server,
    configDir,
    policyId,
    async patchRule(roleId, rule) {
      const id = await policyId(roleId);
      const res = await t.graph(
        { ...t.admin, token: t.admin.mfaToken },
        'PATCH',
        `/v1.0/policies/roleManagementPolicies/${id}/rules/${rule.id}`,
        rule,
      );
      if (res.status !== 204) throw new Error(`PATCH ${rule.id}: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async run(argv, options = {}) {
      let stdout = '';
      let stderr = '';
      const decode = (chunk: string | Uint8Array) =>
        typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const stdin = Object.assign(Readable.from(options.stdin === undefined ? [] : [options.stdin]), {
        isTTY: options.tty ?? false,
      });
      const env: Record<string, string | undefined> = {
        HOME: configDir,
        ELEVATE_CONFIG_DIR: configDir,
        ELEVATE_SERVER: server,
        ...(options.as ? { ELEVATE_TOKEN: options.as.token } : {}),
        ...options.env,
      };
      const code = await runCli(argv, {
        env,
        stdout: { write: (c) => (stdout += decode(c)) },
        stderr: { write: (c) => (stderr += decode(c)) },
        stdin,
        now: () => t.clock.now(),
        ...(options.openUrl ? { openUrl: options.openUrl } : {}),
      });
      return {
        code,
        stdout,
        stderr,
        json: () => JSON.parse(stdout),
      };
    },
    async close() {
      await t.app.close();
      await database.close();
      await rm(configDir, { recursive: true, force: true });
    },
  };
}
