// The PIM core's own figures (kept from the first benchmark):
// - decideScheduleRequest: pure decisions per second (a selfActivate with all rules evaluated)
// - HTTP: selfActivate round trips through Fastify on an empty embedded database (p50/p99)
import { performance } from 'node:perf_hooks';
import { totpCode } from '../src/app/auth/totp.js';
import { systemActor } from '../src/app/context.js';
import { composeServices, openMigratedDatabase, uuidV7Ids } from '../src/compose.js';
import { directoryRoleIds as roles } from '../src/core/catalog/directory-roles.js';
import type { Schedule } from '../src/core/model/schedule.js';
import { defaultDirectoryRoleRules } from '../src/core/policy/default-rules.js';
import { decideScheduleRequest } from '../src/core/requests/decide-schedule-request.js';
import { buildHttpServer } from '../src/http/server.js';

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export function benchDecisions(iterations: number) {
  const now = new Date('2026-01-05T09:00:00Z');
  const userId = '01940000-0000-7000-8000-000000000001';
  const eligibility: Schedule = {
    id: '01940000-0000-7000-8000-0000000000e1',
    kind: 'eligibility',
    principalId: userId,
    principalType: 'user',
    targetKind: 'directoryRole',
    roleDefinitionId: roles.helpdeskAdministrator,
    scopeId: '/',
    assignmentType: null,
    start: new Date('2026-01-01T00:00:00Z'),
    end: null,
    status: 'Provisioned',
    createdUsing: '01940000-0000-7000-8000-0000000000e1',
    activatedUsing: null,
    createdAt: now,
    modifiedAt: now,
  };
  const rules = defaultDirectoryRoleRules();
  const ctx = {
    input: {
      kind: 'assignment' as const,
      action: 'selfActivate' as const,
      principalId: userId,
      targetKind: 'directoryRole' as const,
      roleDefinitionId: roles.helpdeskAdministrator,
      scopeId: '/',
      justification: 'bench',
      scheduleInfo: {
        startDateTime: null,
        expiration: { type: 'afterDuration' as const, endDateTime: null, duration: 'PT2H' },
      },
      ticketInfo: { ticketNumber: null, ticketSystem: null },
      isValidationOnly: false,
    },
    actor: { id: userId, type: 'user' as const, displayName: 'Bench', roleIds: new Set<string>(), mfa: true },
    principal: { id: userId, type: 'user' as const, displayName: 'Bench', isAssignableGroup: false },
    target: {
      kind: 'directoryRole' as const,
      id: roles.helpdeskAdministrator,
      displayName: 'Helpdesk Administrator',
      isEnabled: true,
    },
    rules,
    schedules: [eligibility],
    pendingRequests: [],
    now,
    ids: {
      requestId: '01940000-0000-7000-8000-0000000000a1',
      stageId: '01940000-0000-7000-8000-0000000000a2',
    },
    // Helpdesk Administrator requires MFA on activation by default: the request came with a step-up.
    stepUp: { method: 'totp' as const, acr: null },
  };
  for (let i = 0; i < 10_000; i++) decideScheduleRequest(ctx);
  const start = performance.now();
  let granted = 0;
  for (let i = 0; i < iterations; i++) if (decideScheduleRequest(ctx).kind === 'granted') granted++;
  const seconds = (performance.now() - start) / 1000;
  if (granted !== iterations) throw new Error('decision benchmark: expected every activation to be granted');
  return { perSecond: Math.round(iterations / seconds) };
}

export async function benchHttp(rounds: number) {
  const database = await openMigratedDatabase({
    dataDir: 'memory://bench',
    databaseUrl: process.env.ELEVATE_DATABASE_URL,
  });
  try {
    // A clock the bench moves on by one TOTP step per round, since each code is accepted once.
    let offset = 0;
    const clock = { now: () => new Date(Date.now() + offset) };
    const services = await composeServices(database, { clock });
    const app = await buildHttpServer({ services, logger: false });
    const ctx = { actor: systemActor, requestId: uuidV7Ids.newId() };
    const user = await services.users.createUnchecked(ctx, {
      userPrincipalName: 'bench@elevate.test',
      displayName: 'Bench',
    });
    const setup = {
      ...ctx,
      actor: { ...systemActor, roleIds: new Set([roles.globalAdministrator]), mfa: true },
    };
    await services.requests.create(setup, {
      kind: 'eligibility',
      action: 'adminAssign',
      principalId: user.id,
      targetKind: 'directoryRole',
      roleDefinitionId: roles.helpdeskAdministrator,
      scopeId: '/',
      justification: 'bench',
      scheduleInfo: null,
      ticketInfo: { ticketNumber: null, ticketSystem: null },
      isValidationOnly: false,
    });
    const token = (await services.auth.issueToken({ id: user.id, type: 'user', mfa: true })).accessToken;
    // Helpdesk Administrator requires MFA on activation: enrol an authenticator app, step up each round.
    const self = {
      actor: {
        id: user.id,
        type: 'user' as const,
        displayName: 'Bench',
        roleIds: new Set<string>(),
        mfa: false,
      },
      requestId: ctx.requestId,
    };
    const { secret } = await services.mfa.startTotp(self);
    await services.mfa.confirmTotp(self, await totpCode(secret, clock.now()));
    const stepUp = async () => {
      offset += 30_000;
      const grant = await services.stepUp.stepUp(self, {
        target: { targetKind: 'directoryRole', roleDefinitionId: roles.helpdeskAdministrator, scopeId: '/' },
        totp: await totpCode(secret, clock.now()),
      });
      return grant.proof;
    };
    const call = (action: string, proof: string) =>
      app.inject({
        method: 'POST',
        url: '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'x-elevate-step-up': proof,
        },
        payload: JSON.stringify({
          action,
          principalId: user.id,
          roleDefinitionId: roles.helpdeskAdministrator,
          directoryScopeId: '/',
          justification: 'bench',
          scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
        }),
      });
    const activations: number[] = [];
    // Deactivation is refused within 5 minutes of activation, so each round steps up (not timed),
    // activates with the proof, then an administrator removes the activation directly (not timed).
    for (let i = 0; i < rounds; i++) {
      const proof = await stepUp();
      const t0 = performance.now();
      const res = await call('selfActivate', proof);
      activations.push(performance.now() - t0);
      if (res.statusCode !== 201) throw new Error(`activation failed: ${res.body}`);
      await database.db
        .updateTable('schedules')
        .set({ status: 'Revoked' })
        .where('kind', '=', 'assignment')
        .execute();
    }
    await app.close();
    activations.sort((a, b) => a - b);
    return { p50: percentile(activations, 50), p99: percentile(activations, 99), dialect: database.dialect };
  } finally {
    await database.close();
  }
}
