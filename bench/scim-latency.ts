// Outbound SCIM latency on loopback: activation commit → membership visible in the application, and
// deactivation commit → membership gone. The whole server runs (startServer: HTTP, outbox dispatcher woken by
// the commit, SCIM channel) against a real SCIM 2.0 server (SCIMMY, test/support/scim-server.ts) on 127.0.0.1.
// Each round a different user activates PAG-BENCH membership over HTTP (Graph selfActivate); the clock starts
// when the request is sent (so the figure bounds commit → visible from above: it includes the request itself)
// and stops when the SCIM server holds the membership. Six minutes later (the clock is
// moved, since a deactivation within five minutes is refused) the user deactivates; that is timed the same way.
// Stand-alone: `npx tsx bench/scim-latency.ts` (BENCH_SCIM_ROUNDS, default 50).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { systemActor } from '../src/app/context.js';
import { uuidV7Ids } from '../src/compose.js';
import { loadConfig } from '../src/config/config.js';
import { directoryRoleIds as roles } from '../src/core/catalog/directory-roles.js';
import { startServer } from '../src/main.js';
import { startScimServer } from '../test/support/scim-server.js';

export interface ScimLatencyResult {
  readonly rounds: number;
  readonly dialect: 'pglite' | 'postgres';
  /** Activation request sent → the member is in the application's group (an upper bound of commit → visible). */
  readonly addP50Ms: number;
  readonly addP99Ms: number;
  /** Deactivation request sent → the member is gone from the application's group. */
  readonly removeP50Ms: number;
  readonly removeP99Ms: number;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const groupPim = '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';

/** Runs `rounds` activations and deactivations; PGlite in a temporary directory unless ELEVATE_DATABASE_URL is set. */
export async function benchScimLatency(
  options: { rounds?: number; databaseUrl?: string } = {},
): Promise<ScimLatencyResult> {
  const rounds = options.rounds ?? 50;
  const dataDir = await mkdtemp(join(tmpdir(), 'elevate-scim-bench-'));
  const scim = await startScimServer();
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const server = await startServer(
    loadConfig({
      ELEVATE_DATA_DIR: dataDir,
      ELEVATE_PORT: '0',
      ELEVATE_LOG_LEVEL: 'silent',
      ELEVATE_SCIM_RATE_PER_SECOND: '1000',
      ...(options.databaseUrl ? { ELEVATE_DATABASE_URL: options.databaseUrl } : {}),
    }),
    { clock, log: false, announce: () => {} },
  );
  try {
    const { services } = server;
    const admin = {
      actor: { ...systemActor, roleIds: new Set([roles.globalAdministrator]), mfa: true },
      requestId: uuidV7Ids.newId(),
    };
    const group = await services.groups.create(admin, {
      displayName: 'PAG-BENCH',
      mailNickname: 'pag-bench',
      securityEnabled: true,
      mailEnabled: false,
      isAssignableToRole: true,
    });
    await services.provisioning.link(admin, group.id, {
      displayName: 'Bench application',
      baseUrl: scim.baseUrl,
      token: scim.token,
    });
    const users: { id: string; upn: string }[] = [];
    for (let i = 0; i < rounds; i++) {
      const upn = `bench${i}@elevate.test`;
      const user = await services.users.createUnchecked(admin, {
        userPrincipalName: upn,
        displayName: `Bench ${i}`,
      });
      await services.requests.create(admin, {
        kind: 'eligibility',
        action: 'adminAssign',
        principalId: user.id,
        targetKind: 'group',
        roleDefinitionId: 'member',
        scopeId: group.id,
        justification: 'bench',
        scheduleInfo: {
          startDateTime: null,
          expiration: { type: 'afterDuration', endDateTime: null, duration: 'P30D' },
        },
        ticketInfo: { ticketNumber: null, ticketSystem: null },
        isValidationOnly: false,
      });
      users.push({ id: user.id, upn });
    }

    // Tokens are issued per call (not timed): the bench's clock runs six minutes ahead each round.
    const tokenOf = async (user: (typeof users)[number]) =>
      (await services.auth.issueToken({ id: user.id, type: 'user', mfa: false })).accessToken;
    const call = async (
      token: string,
      user: (typeof users)[number],
      action: 'selfActivate' | 'selfDeactivate',
    ) => {
      const res = await fetch(`${server.url}${groupPim}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          accessId: 'member',
          principalId: user.id,
          groupId: group.id,
          action,
          justification: 'bench',
          ...(action === 'selfActivate'
            ? { scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } } }
            : {}),
        }),
      });
      if (res.status !== 201) throw new Error(`${action} failed: ${res.status} ${await res.text()}`);
    };
    const isMember = (upn: string) => scim.memberUserNames('PAG-BENCH').includes(upn);

    const adds: number[] = [];
    const removes: number[] = [];
    for (const user of users) {
      const activating = await tokenOf(user);
      const added = performance.now();
      await call(activating, user, 'selfActivate');
      await scim.waitFor(() => isMember(user.upn));
      adds.push(performance.now() - added);

      offset += 6 * 60_000;
      const deactivating = await tokenOf(user);
      const removed = performance.now();
      await call(deactivating, user, 'selfDeactivate');
      await scim.waitFor(() => !isMember(user.upn));
      removes.push(performance.now() - removed);
    }
    adds.sort((a, b) => a - b);
    removes.sort((a, b) => a - b);
    return {
      rounds,
      dialect: options.databaseUrl ? 'postgres' : 'pglite',
      addP50Ms: percentile(adds, 50),
      addP99Ms: percentile(adds, 99),
      removeP50Ms: percentile(removes, 50),
      removeP99Ms: percentile(removes, 99),
    };
  } finally {
    await server.stop();
    await scim.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchScimLatency({
    rounds: Number(process.env.BENCH_SCIM_ROUNDS ?? 50),
    ...(process.env.ELEVATE_DATABASE_URL ? { databaseUrl: process.env.ELEVATE_DATABASE_URL } : {}),
  });
  process.stdout.write(
    `Outbound SCIM on loopback (${r.dialect}, ${r.rounds} rounds)\n` +
      `  activation request → member in the application  p50 ${r.addP50Ms.toFixed(2)} ms  p99 ${r.addP99Ms.toFixed(2)} ms\n` +
      `  deactivation request → member removed            p50 ${r.removeP50Ms.toFixed(2)} ms  p99 ${r.removeP99Ms.toFixed(2)} ms\n`,
  );
}
