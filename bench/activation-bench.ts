// Activation commit → effective in the check API, and expiry → denied, over loopback HTTP against the server
// holding the tenant: a user eligible for Helpdesk Administrator activates (Graph selfActivate, with a TOTP
// step-up made beforehand, not timed); the moment the 201 arrives, POST /api/v1/access/decide asks whether the
// role is held now, until it says so. Expiry: the clock is set to the activation's end minus 1 ms (allowed)
// and to its end (must be denied, with no scheduler run in between).
import { performance } from 'node:perf_hooks';
import { totpCode } from '../src/app/auth/totp.js';
import { systemActor } from '../src/app/context.js';
import type { Services } from '../src/app/services.js';
import { uuidV7Ids } from '../src/compose.js';
import { directoryRoleIds as roles } from '../src/core/catalog/directory-roles.js';
import { percentile } from './index-bench.js';

/** A clock the bench moves by hand: real time plus an offset, or a fixed instant. */
export function benchClock() {
  let offset = 0;
  let fixed: number | null = null;
  return {
    now: () => new Date(fixed ?? Date.now() + offset),
    advance: (ms: number) => {
      offset += ms;
    },
    fix: (at: number | null) => {
      fixed = at;
    },
  };
}

export interface ActivationBenchResult {
  readonly rounds: number;
  /** 201 of the activation received → the first decide answering allowed, end to end over loopback. */
  readonly effectiveP50Ms: number;
  readonly effectiveP99Ms: number;
  /** Decide calls needed before the answer was allowed (1: effective at the first check after commit). */
  readonly maxChecksUntilEffective: number;
  /** The activation request itself (selfActivate over loopback HTTP), for reference. */
  readonly activationP50Ms: number;
  readonly activationP99Ms: number;
  /** How long after `end` a check still allowed: 0 when denied at `end` exactly (no scheduler involved). */
  readonly expiryLagMs: number;
}

export async function benchActivation(
  services: Services,
  clock: ReturnType<typeof benchClock>,
  baseUrl: string,
  rounds: number,
): Promise<ActivationBenchResult> {
  const ctx = { actor: systemActor, requestId: uuidV7Ids.newId() };
  const user = await services.users.createUnchecked(ctx, {
    userPrincipalName: `activation-bench-${Date.now()}@elevate.test`,
    displayName: 'Activation bench',
  });
  const admin = {
    ...ctx,
    actor: { ...systemActor, roleIds: new Set([roles.globalAdministrator]), mfa: true },
  };
  await services.requests.create(admin, {
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
  // The bench's clock runs ahead by 10 minutes a round: a fresh token each round (not timed).
  const issue = async () =>
    (await services.auth.issueToken({ id: user.id, type: 'user', mfa: true })).accessToken;
  let token = await issue();
  const self = {
    actor: {
      id: user.id,
      type: 'user' as const,
      displayName: 'Activation bench',
      roleIds: new Set<string>(),
      mfa: false,
    },
    requestId: ctx.requestId,
  };
  const { secret } = await services.mfa.startTotp(self);
  await services.mfa.confirmTotp(self, await totpCode(secret, clock.now()));
  const target = {
    targetKind: 'directoryRole' as const,
    roleDefinitionId: roles.helpdeskAdministrator,
    scopeId: '/',
  };
  const headers = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  const held = async (at?: Date): Promise<boolean> => {
    const res = await fetch(`${baseUrl}/api/v1/access/decide`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({
        queries: [
          {
            principalId: user.id,
            roleDefinitionId: roles.helpdeskAdministrator,
            scope: '/',
            ...(at ? { at: at.toISOString() } : {}),
          },
        ],
      }),
    });
    if (res.status !== 200) throw new Error(`decide answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { allowed: boolean[] }).allowed[0] === true;
  };
  const request = async (action: 'selfActivate' | 'selfDeactivate', proof?: string) =>
    fetch(`${baseUrl}/v1.0/roleManagement/directory/roleAssignmentScheduleRequests`, {
      method: 'POST',
      headers: { ...headers(), ...(proof ? { 'x-elevate-step-up': proof } : {}) },
      body: JSON.stringify({
        action,
        principalId: user.id,
        roleDefinitionId: roles.helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'bench',
        ...(action === 'selfActivate'
          ? { scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } } }
          : {}),
      }),
    });

  const effective: number[] = [];
  const activations: number[] = [];
  let maxChecks = 0;
  let expiryLagMs = Number.NaN;
  for (let i = 0; i < rounds; i++) {
    clock.advance(301_000); // one TOTP step per round, and past the 5 minutes before a deactivation is allowed
    token = await issue();
    const proof = (await services.stepUp.stepUp(self, { target, totp: await totpCode(secret, clock.now()) }))
      .proof;
    const t0 = performance.now();
    const res = await request('selfActivate', proof);
    const body = (await res.json()) as unknown;
    const t1 = performance.now();
    if (res.status !== 201) throw new Error(`activation failed (${res.status}): ${JSON.stringify(body)}`);
    let checks = 0;
    do checks++;
    while (!(await held()) && checks < 1000);
    effective.push(performance.now() - t1);
    activations.push(t1 - t0);
    maxChecks = Math.max(maxChecks, checks);
    if (i === rounds - 1) {
      // Expiry at read time: allowed 1 ms before the end, denied at the end, with nothing run in between.
      const instances = await fetch(
        `${baseUrl}/v1.0/roleManagement/directory/roleAssignmentScheduleInstances?$filter=principalId eq '${user.id}'`,
        { headers: headers() },
      );
      const listed = (await instances.json()) as {
        value?: { assignmentType: string; endDateTime: string | null }[];
      };
      const activated = (listed.value ?? []).find((x) => x.assignmentType === 'Activated' && x.endDateTime);
      const end = Date.parse(activated?.endDateTime ?? '');
      if (!Number.isFinite(end))
        throw new Error(`no activated instance with an end: ${JSON.stringify(listed)}`);
      clock.fix(end - 1);
      token = await issue();
      const before = await held();
      clock.fix(end);
      const after = await held();
      clock.fix(null);
      token = await issue();
      expiryLagMs = before && !after ? 0 : Number.POSITIVE_INFINITY;
    }
    clock.advance(301_000);
    token = await issue();
    const off = await request('selfDeactivate');
    if (off.status !== 201) throw new Error(`deactivation failed (${off.status}): ${await off.text()}`);
    if (await held()) throw new Error('still allowed right after the deactivation committed');
  }
  effective.sort((a, b) => a - b);
  activations.sort((a, b) => a - b);
  return {
    rounds,
    effectiveP50Ms: percentile(effective, 50),
    effectiveP99Ms: percentile(effective, 99),
    maxChecksUntilEffective: maxChecks,
    activationP50Ms: percentile(activations, 50),
    activationP99Ms: percentile(activations, 99),
    expiryLagMs,
  };
}
