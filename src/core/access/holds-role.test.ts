import { describe, expect, it } from 'vitest';
import {
  activation,
  alice,
  earlier,
  eligibility,
  exchangeAdmin,
  helpdesk,
  later,
  schedule,
  t0,
} from '../requests/test-kit.js';
import { holdsRole } from './holds-role.js';

const au = '/administrativeUnits/6a7c3b8e-0d4a-4f58-9a8e-2f1c7b9d0e11';
const ask = (
  schedules: Parameters<typeof holdsRole>[0]['schedules'],
  p: { scope?: string; now?: Date; groups?: string[] } = {},
) =>
  holdsRole({
    principalId: alice.id,
    groupIds: new Set(p.groups ?? []),
    roleId: exchangeAdmin.id,
    scope: p.scope ?? '/',
    schedules,
    now: p.now ?? t0,
  });

describe('holdsRole', () => {
  it.each([
    ['an activation at /, asked at /', [activation()], {}, true],
    ['an activation at /, asked at an administrative unit beneath', [activation()], { scope: au }, true],
    ['an activation at an administrative unit, asked at /', [activation({ scopeId: au })], {}, false],
    ['only an eligibility', [eligibility()], {}, false],
    ['an activation, asked at its end', [activation()], { now: later('PT1H') }, false],
    [
      'an active assignment of a group she is in',
      [schedule('assignment', { principalId: helpdesk.id, principalType: 'group' })],
      { groups: [helpdesk.id] },
      true,
    ],
    [
      'an active assignment of a group she is not in',
      [schedule('assignment', { principalId: helpdesk.id, principalType: 'group' })],
      {},
      false,
    ],
    ['an assignment of another role', [activation({ roleDefinitionId: 'another-role' })], {}, false],
    ['an assignment that ended yesterday', [schedule('assignment', { end: earlier('P1D') })], {}, false],
  ])('given %s, then holds is %s', (_, schedules, p, expected) => {
    expect(ask(schedules, p)).toBe(expected);
  });
});
