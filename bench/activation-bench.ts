// Activation commit → effective in the check API, and expiry → denied, over loopback HTTP against the server
// process holding the tenant (bench/server-process.ts), on the server's own clock.
// - Setup (`prepareActivation`, through the services before the server starts, not timed): one user per round,
//   each eligible for Helpdesk Administrator (which requires MFA on activation) with a confirmed authenticator
//   app, and an access token. One user per round because a TOTP code is accepted once per 30-second step and
//   per user (the server keeps the last step used): the bench never moves a clock, so it enrols many users
//   rather than waiting 30 s a round.
// - Each round (`benchActivation`): the user steps up over HTTP (POST /api/v1/me/step-up, a fresh code; not
//   timed), activates with the proof (Graph selfActivate); the moment the 201 arrives, POST
//   /api/v1/access/decide (as a downstream system: the Global Reader) asks whether the role is held now, until
//   it says so.
// - Expiry: decide asked at the activation's end − 1 ms (allowed) and at its end (denied). The index compares
//   windows with the question's instant at read time — a question without `at` is asked at the server's now —
//   so a real expiry takes this same path, with no scheduler run in between: the lag is 0 when both answers
//   are right.
import { performance } from 'node:perf_hooks';
import { totpCode, totpStep } from '../src/app/auth/totp.js';
import { systemActor } from '../src/app/context.js';
import type { Services } from '../src/app/services.js';
import { uuidV7Ids } from '../src/compose.js';
import { directoryRoleIds as roles } from '../src/core/catalog/directory-roles.js';
import { percentile } from './index-bench.js';

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

interface ActivationUser {
  readonly id: string;
  readonly token: string;
  readonly totpSecret: string;
}

/** What the rounds need, made through the services before the server starts. */
export interface ActivationPlan {
  readonly users: readonly ActivationUser[];
  /** The last TOTP step any enrolment used: step-ups must come after it (a code is accepted once). */
  readonly lastEnrolmentStep: number;
}

const target = { roleDefinitionId: roles.helpdeskAdministrator, directoryScopeId: '/' };

/** `rounds` users eligible for Helpdesk Administrator, each with a confirmed authenticator app and a token. */
export async function prepareActivation(services: Services, rounds: number): Promise<ActivationPlan> {
  const ctx = { actor: systemActor, requestId: uuidV7Ids.newId() };
  const admin = {
    ...ctx,
    actor: { ...systemActor, roleIds: new Set([roles.globalAdministrator]), mfa: true },
  };
  const users: ActivationUser[] = [];
  let lastEnrolmentStep = 0;
  const run = Date.now();
  for (let i = 0; i < rounds; i++) {
    const user = await services.users.createUnchecked(ctx, {
      userPrincipalName: `activation-bench-${run}-${i}@elevate.test`,
      displayName: `Activation bench ${i}`,
    });
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
    const self = {
      actor: {
        id: user.id,
        type: 'user' as const,
        displayName: user.displayName,
        roleIds: new Set<string>(),
        mfa: false,
      },
      requestId: ctx.requestId,
    };
    const { secret } = await services.mfa.startTotp(self);
    const now = new Date();
    await services.mfa.confirmTotp(self, await totpCode(secret, now));
    lastEnrolmentStep = Math.max(lastEnrolmentStep, totpStep(now));
    const token = (await services.auth.issueToken({ id: user.id, type: 'user', mfa: true })).accessToken;
    users.push({ id: user.id, token, totpSecret: secret });
  }
  return { users, lastEnrolmentStep };
}

async function post(url: string, token: string, body: unknown, extra: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra },
    body: JSON.stringify(body),
  });
}

/** Runs one activation per prepared user against the server at `baseUrl`; `readerToken` asks decide. */
export async function benchActivation(
  baseUrl: string,
  readerToken: string,
  plan: ActivationPlan,
): Promise<ActivationBenchResult> {
  const held = async (principalId: string, at?: number): Promise<boolean> => {
    const res = await post(`${baseUrl}/api/v1/access/decide`, readerToken, {
      queries: [
        {
          principalId,
          roleDefinitionId: roles.helpdeskAdministrator,
          scope: '/',
          ...(at !== undefined ? { at: new Date(at).toISOString() } : {}),
        },
      ],
    });
    if (res.status !== 200) throw new Error(`decide answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { allowed: boolean[] }).allowed[0] === true;
  };

  // The enrolments used this step's codes; the step-ups need a later one (setup only: at most 30 s, and
  // usually none, the decide load having run in between).
  const wait = (plan.lastEnrolmentStep + 1) * 30_000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 50));

  const effective: number[] = [];
  const activations: number[] = [];
  let maxChecks = 0;
  let lastPrincipalId: string | undefined;
  for (const user of plan.users) {
    if (await held(user.id)) throw new Error('the role is held before the activation');
    const stepUp = await post(`${baseUrl}/api/v1/me/step-up`, user.token, {
      ...target,
      totp: await totpCode(user.totpSecret, new Date()),
    });
    if (stepUp.status !== 201) throw new Error(`step-up failed (${stepUp.status}): ${await stepUp.text()}`);
    const { proof } = (await stepUp.json()) as { proof: string };

    const t0 = performance.now();
    const res = await post(
      `${baseUrl}/v1.0/roleManagement/directory/roleAssignmentScheduleRequests`,
      user.token,
      {
        action: 'selfActivate',
        principalId: user.id,
        ...target,
        justification: 'bench',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
      },
      { 'x-elevate-step-up': proof },
    );
    const body = await res.text();
    const t1 = performance.now();
    if (res.status !== 201) throw new Error(`activation failed (${res.status}): ${body}`);
    let checks = 0;
    do checks++;
    while (!(await held(user.id)) && checks < 1000);
    effective.push(performance.now() - t1);
    activations.push(t1 - t0);
    maxChecks = Math.max(maxChecks, checks);
    lastPrincipalId = user.id;
  }
  if (lastPrincipalId === undefined) throw new Error('activation bench: no rounds');

  const listed = await fetch(
    `${baseUrl}/v1.0/roleManagement/directory/roleAssignmentScheduleInstances?$filter=principalId eq '${lastPrincipalId}'`,
    { headers: { authorization: `Bearer ${readerToken}` } },
  );
  const instances = (await listed.json()) as {
    value?: { assignmentType: string; endDateTime: string | null }[];
  };
  const activated = (instances.value ?? []).find((x) => x.assignmentType === 'Activated' && x.endDateTime);
  const end = Date.parse(activated?.endDateTime ?? '');
  if (!Number.isFinite(end))
    throw new Error(`no activated instance with an end: ${JSON.stringify(instances)}`);
  const before = await held(lastPrincipalId, end - 1);
  const after = await held(lastPrincipalId, end);

  effective.sort((a, b) => a - b);
  activations.sort((a, b) => a - b);
  return {
    rounds: plan.users.length,
    effectiveP50Ms: percentile(effective, 50),
    effectiveP99Ms: percentile(effective, 99),
    maxChecksUntilEffective: maxChecks,
    activationP50Ms: percentile(activations, 50),
    activationP99Ms: percentile(activations, 99),
    expiryLagMs: before && !after ? 0 : Number.POSITIVE_INFINITY,
  };
}
