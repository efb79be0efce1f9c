import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { databaseUrlFor, runAsAdmin } from '../support/global-setup.js';
import {
  type Connection,
  connection,
  connectionsToDistinctWorkers,
  type ServeProcess,
  spawnServe,
} from './cluster-process.js';

const postgresUrl = process.env.TEST_POSTGRES_URL;
const assignmentRequests = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const resetPassword = 'microsoft.directory/users/password/update';

/** Polls `probe` until it returns a value (not undefined), at most `tries` times, 50 ms apart. */
async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('gave up waiting');
}

describe('elevate serve on the embedded database (PGlite)', () => {
  it('refuses an explicit ELEVATE_WORKERS above 1, naming the variable and why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'elevate-cluster-'));
    try {
      const server = spawnServe({ ELEVATE_DATA_DIR: dir, ELEVATE_WORKERS: '2' });
      expect(await server.exited).toBe(1);
      expect(server.output()).toMatch(
        /^elevate: Invalid configuration: ELEVATE_WORKERS: 2 workers need PostgreSQL/m,
      );
      expect(server.output()).toContain('PGlite');
      // …and `--workers 2` the same way.
      const flagged = spawnServe({ ELEVATE_DATA_DIR: dir }, ['--workers', '2']);
      expect(await flagged.exited).toBe(1);
      expect(flagged.output()).toContain('ELEVATE_WORKERS: 2 workers need PostgreSQL');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The database's access-change trigger without its `pg_notify` (the change feed row stays): the workers then
 * learn of each other's commits only through the cluster's relay, which is what these tests prove — with the
 * notification, a worker usually hears of a commit before the client's next request anyway.
 */
async function silenceAccessNotifications(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`create or replace function elevate_record_access_change(change_kind text, change_key text)
      returns void language plpgsql as $$
      begin
        perform pg_advisory_xact_lock(7461823905112);
        insert into access_changes (kind, key) values (change_kind, change_key);
      end $$`);
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresUrl)('elevate serve with two workers on PostgreSQL', () => {
  const name = `elevate_cluster_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  let server: ServeProcess;
  let url: string;
  let adminToken: string;

  beforeAll(async () => {
    await runAsAdmin(postgresUrl!, `create database ${name} template ${inject('postgresTemplateDatabase')}`);
    await silenceAccessNotifications(databaseUrlFor(postgresUrl!, name));
    server = spawnServe({ ELEVATE_DATABASE_URL: databaseUrlFor(postgresUrl!, name) }, ['--workers', '2']);
    url = await server.listening;
    const password = server.output().match(/admin@elevate\.local\s+password: (\S+)/)?.[1];
    const signIn = await connection(url).call('POST', '/api/auth/token', undefined, {
      username: 'admin@elevate.local',
      password,
    });
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
    adminToken = (signIn.body as { access_token: string }).access_token;
  }, 180_000);

  afterAll(async () => {
    await server?.kill('SIGKILL');
    await runAsAdmin(postgresUrl!, `drop database if exists ${name} with (force)`);
  });

  /** A user made through `via`, and the decide question "may they reset passwords at /?". */
  async function givenUser(via: Connection) {
    const nickname = `u-${randomUUID().slice(0, 8)}`;
    const made = await via.call('POST', '/v1.0/users', adminToken, {
      userPrincipalName: `${nickname}@elevate.test`,
      mailNickname: nickname,
      displayName: 'Cluster test user',
      accountEnabled: true,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = (made.body as { id: string }).id;
    return { id, question: { queries: [{ principalId: id, action: resetPassword, scope: '/' }] } };
  }

  const assignment = (principalId: string, action: 'adminAssign' | 'adminRemove') => ({
    action,
    principalId,
    roleDefinitionId: roles.helpdeskAdministrator,
    directoryScopeId: '/',
    justification: 'cluster test',
    scheduleInfo: { expiration: { type: 'noExpiration' } },
  });

  it('announces once, and answers through two workers that say who they are', async () => {
    expect(server.output().match(/Elevate is listening on/g)).toHaveLength(1);
    expect(server.output()).toContain('Workers: 2 processes');
    expect(server.children()).toHaveLength(2);
    const [a, b] = await connectionsToDistinctWorkers(url, 2);
    expect(await a!.worker()).not.toBe(await b!.worker());
    a!.close();
    b!.close();
  });

  it('given a write answered by one worker, then the very next decide through the other sees it — granted and removed, 20 rounds each way', async () => {
    const [a, b] = await connectionsToDistinctWorkers(url, 2);
    try {
      for (let round = 0; round < 20; round++) {
        const [writer, reader] = round % 2 === 0 ? [a!, b!] : [b!, a!];
        const user = await givenUser(writer);
        expect((await reader.call('POST', '/api/v1/access/decide', adminToken, user.question)).body).toEqual({
          allowed: [false],
        });

        const assigned = await writer.call(
          'POST',
          assignmentRequests,
          adminToken,
          assignment(user.id, 'adminAssign'),
        );
        expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
        const afterAssign = await reader.call('POST', '/api/v1/access/decide', adminToken, user.question);
        expect(afterAssign.worker).not.toBe(assigned.worker);
        expect(afterAssign.body, `round ${round}: allowed at the first ask`).toEqual({ allowed: [true] });

        const removed = await writer.call(
          'POST',
          assignmentRequests,
          adminToken,
          assignment(user.id, 'adminRemove'),
        );
        expect(removed.status, JSON.stringify(removed.body)).toBe(201);
        const afterRemove = await reader.call('POST', '/api/v1/access/decide', adminToken, user.question);
        expect(afterRemove.body, `round ${round}: denied at the first ask`).toEqual({ allowed: [false] });
      }
    } finally {
      a!.close();
      b!.close();
    }
  }, 120_000);

  it('given a worker is killed, then a replacement serves in its place and learns of the other worker’s writes at once', async () => {
    const [victim] = server.children();
    process.kill(victim!, 'SIGKILL');
    // A new child process replaces it (after a short back-off), and answers.
    await eventually(() => {
      const now = server.children();
      return now.length === 2 && !now.includes(victim!) ? now : undefined;
    });
    await eventually(() => (server.output().includes('exited (signal SIGKILL)') ? true : undefined));
    const [a, b] = await eventually(async () => {
      try {
        return await connectionsToDistinctWorkers(url, 2);
      } catch {
        return undefined;
      }
    });
    try {
      for (const [writer, reader] of [
        [a!, b!],
        [b!, a!],
      ] as const) {
        const user = await givenUser(writer);
        const assigned = await writer.call(
          'POST',
          assignmentRequests,
          adminToken,
          assignment(user.id, 'adminAssign'),
        );
        expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
        expect((await reader.call('POST', '/api/v1/access/decide', adminToken, user.question)).body).toEqual({
          allowed: [true],
        });
      }
    } finally {
      a!.close();
      b!.close();
    }
  }, 120_000);

  it('given the port is taken, then a second cluster exits 1 naming why, leaving no worker behind', async () => {
    const port = new URL(url).port;
    const second = spawnServe(
      { ELEVATE_DATABASE_URL: databaseUrlFor(postgresUrl!, name), ELEVATE_PORT: port },
      ['--workers', '2'],
    );
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('EADDRINUSE');
    expect(second.output()).toMatch(/worker \d+ exited during start-up \(code 1\)/);
    expect(second.children()).toEqual([]);
  }, 120_000);

  it('given SIGTERM, then every worker stops and the primary exits 0', async () => {
    const workers = server.children();
    expect(workers).toHaveLength(2);
    expect(await server.kill('SIGTERM')).toBe(0);
    const alive = workers.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
    expect(server.output()).toContain('Stopping…');
  }, 60_000);
});
