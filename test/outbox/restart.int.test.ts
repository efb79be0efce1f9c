import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { databaseUrlFor, runAsAdmin } from '../support/global-setup.js';
import { type ServeProcess, signIn, startServe } from './serve-process.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const eligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';
const postgresUrl = process.env.TEST_POSTGRES_URL;

/** Where a child server keeps its data: a PGlite data directory, or a fresh PostgreSQL database. */
async function storage(
  kind: 'pglite' | 'postgres',
): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'elevate-outbox-'));
    return { env: { ELEVATE_DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `elevate_outbox_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await runAsAdmin(postgresUrl!, `create database ${name}`);
  return {
    env: { ELEVATE_DATABASE_URL: databaseUrlFor(postgresUrl!, name) },
    drop: () => runAsAdmin(postgresUrl!, `drop database if exists ${name} with (force)`),
  };
}

const outboxEnv = {
  ELEVATE_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1',
  ELEVATE_OUTBOX_RETRY_BASE: '0.2',
  ELEVATE_OUTBOX_RETRY_MAX: '1',
  ELEVATE_OUTBOX_POLL_INTERVAL: '0.2',
};

/** Each `webhook-id` (event id) a receiver path saw, with how many times. */
const countsByEvent = (receiver: WebhookReceiver, path: string) => {
  const counts = new Map<string, number>();
  for (const h of receiver.received.filter((r) => r.path === path)) {
    const id = String(h.headers['webhook-id']);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
};

const kinds = postgresUrl ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(kinds)('the outbox across process deaths [%s]', (kind) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
    cleanup.length = 0;
  });

  it('given the server is killed between commit and delivery, then after a restart each receiver gets the event exactly once', {
    timeout: 180_000,
  }, async () => {
    // The receiver is down at first: nothing can be delivered before the kill.
    let receiver = await startWebhookReceiver();
    const port = Number(new URL(receiver.url).port);
    await receiver.close();
    const data = await storage(kind);
    cleanup.push(data.drop);

    let server: ServeProcess = await startServe({ ...data.env, ...outboxEnv });
    cleanup.push(() => server.kill('SIGKILL'));
    const password = server.bootstrapPassword!;
    const call = await signIn(server.url, 'admin@elevate.local', password);
    for (const path of ['/siem', '/chatops']) {
      const res = await call('POST', '/api/v1/webhooks', {
        url: `http://127.0.0.1:${port}${path}`,
        eventTypes: ['elevate.assignment.added'],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const me = await call('GET', '/v1.0/me');
    const assigned = await call('POST', eligibilityRequests, {
      action: 'adminAssign',
      principalId: me.body.id,
      roleDefinitionId: roles.exchangeAdministrator,
      directoryScopeId: '/',
      justification: 'Restart drill',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
    // Committed; the dispatcher keeps failing against the closed port. Kill it without warning.
    await server.kill('SIGKILL');

    receiver = await startWebhookReceiver('/', port);
    cleanup.push(() => receiver.close());
    server = await startServe({ ...data.env, ...outboxEnv });
    const again = await signIn(server.url, 'admin@elevate.local', password);
    await vi.waitFor(
      async () => {
        const stats = await again('GET', '/api/v1/outbox');
        expect(stats.body.totals).toEqual({ pending: 0, delivered: 2, dead: 0 });
      },
      // A delivery the killed process had claimed waits out its lease (60 s) before the new one retries it.
      { timeout: 100_000, interval: 100 },
    );
    for (const path of ['/siem', '/chatops']) {
      const counts = countsByEvent(receiver, path);
      expect([...counts.values()], path).toEqual([1]);
    }
  });
});

describe.skipIf(!postgresUrl)('two instances on one PostgreSQL database', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
    cleanup.length = 0;
  });

  it('deliver each delivery exactly once between them', { timeout: 180_000 }, async () => {
    const receiver = await startWebhookReceiver();
    cleanup.push(() => receiver.close());
    const data = await storage('postgres');
    cleanup.push(data.drop);
    // No polling to speak of: deliveries go out because each commit wakes the dispatchers (LISTEN/NOTIFY).
    const env = { ...data.env, ...outboxEnv, ELEVATE_OUTBOX_POLL_INTERVAL: '3600' };
    const a = await startServe(env);
    cleanup.push(() => a.kill('SIGTERM'));
    const b = await startServe(env);
    cleanup.push(() => b.kill('SIGTERM'));
    const call = await signIn(a.url, 'admin@elevate.local', a.bootstrapPassword!);
    const hook = await call('POST', '/api/v1/webhooks', {
      url: receiver.url,
      eventTypes: ['elevate.assignment.added', 'elevate.assignment.removed'],
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const me = await call('GET', '/v1.0/me');
    const rounds = 6;
    for (let i = 0; i < rounds; i++) {
      // Alternate instances: each publishes, both are woken (LISTEN/NOTIFY), SKIP LOCKED picks one.
      for (const [action, base] of [
        ['adminAssign', a.url],
        ['adminRemove', b.url],
      ] as const) {
        const res = await call(
          'POST',
          eligibilityRequests,
          {
            action,
            principalId: me.body.id,
            roleDefinitionId: roles.exchangeAdministrator,
            directoryScopeId: '/',
            justification: `Round ${i}`,
            ...(action === 'adminAssign' ? { scheduleInfo: { expiration: { type: 'noExpiration' } } } : {}),
          },
          base,
        );
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    }
    await vi.waitFor(
      async () => {
        const stats = await call('GET', '/api/v1/outbox');
        expect(stats.body.totals).toEqual({ pending: 0, delivered: rounds * 2, dead: 0 });
      },
      { timeout: 30_000, interval: 100 },
    );
    const counts = countsByEvent(receiver, new URL(receiver.url).pathname);
    expect(counts.size).toBe(rounds * 2);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // The events arrived in the order they happened (one ordering key per subscription).
    const types = receiver.received.map((r) => JSON.parse(r.body).type);
    expect(types).toEqual(
      Array.from({ length: rounds * 2 }, (_, i) =>
        i % 2 === 0 ? 'elevate.assignment.added' : 'elevate.assignment.removed',
      ),
    );
  });
});
