import type { ResourceListQuery } from '../../app/resources/resource-list-service.js';
import { isGuid } from '../../core/scope/resource-scope.js';
import { ArmError } from './arm-errors.js';

/** What a list accepts in its `$filter`: requests take every clause, schedules and instances fewer. */
export type FilterTarget = 'requests' | 'schedules';

const maxFilterLength = 1024;
const fail = (message: string) => new ArmError(400, 'InvalidFilter', message);

const functions = {
  atscope: 'atScope',
  astarget: 'asTarget',
  asrequestor: 'asRequestor',
  asapprover: 'asApprover',
} as const;
const requestOnly = new Set(['asRequestor', 'asApprover', 'status', 'requestorId']);

/** A role definition id as ARM writes it (a full id, at any scope) or a bare GUID → the GUID, lower case. */
export function roleGuidOf(value: string): string | null {
  const m = /(?:^|\/providers\/Microsoft\.Authorization\/roleDefinitions\/)([0-9a-f-]{36})$/i.exec(value);
  return m && isGuid(m[1]!) ? m[1]!.toLowerCase() : null;
}

/**
 * Reads ARM's `$filter` of the PIM lists (research §9.1): clauses joined by `and` — `atScope()`, `asTarget()`,
 * `asRequestor()`, `asApprover()`, `assignedTo('{id}')`, `principalId eq '{id}'`, `roleDefinitionId eq '{id}'`,
 * `requestorId eq '{id}'`, `status eq '{status}'`. Anything else is a 400 naming it.
 */
export function parseArmFilter(raw: unknown, target: FilterTarget): ResourceListQuery {
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'string') throw fail('$filter must be given once.');
  if (raw.length > maxFilterLength) throw fail(`$filter is longer than ${maxFilterLength} characters.`);
  const query: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (key in query) throw fail(`$filter names ${key} more than once.`);
    if (target === 'schedules' && requestOnly.has(key)) {
      throw fail(
        `${key} filters schedule requests only; schedules and instances take atScope(), asTarget(), assignedTo('{id}'), principalId and roleDefinitionId.`,
      );
    }
    query[key] = value;
  };
  for (const clause of raw.trim().split(/\s+and\s+/i)) {
    const fn = /^(\w+)\(\)$/.exec(clause.trim());
    if (fn) {
      const name = functions[fn[1]!.toLowerCase() as keyof typeof functions];
      if (!name)
        throw fail(
          `'${clause}' is not a filter function; use atScope(), asTarget(), asRequestor() or asApprover().`,
        );
      set(name, true);
      continue;
    }
    const assigned = /^assignedTo\('([^']*)'\)$/i.exec(clause.trim());
    if (assigned) {
      if (!isGuid(assigned[1]!))
        throw fail(`assignedTo takes a principal's object id (a GUID); got '${assigned[1]}'.`);
      set('assignedTo', assigned[1]!.toLowerCase());
      continue;
    }
    const cmp = /^(\w+)\s+eq\s+'([^']*)'$/i.exec(clause.trim());
    if (!cmp) {
      throw fail(
        `'${clause}' is not a filter Elevate understands; e.g. atScope(), asTarget(), principalId eq '{id}'.`,
      );
    }
    const field = cmp[1]!.toLowerCase();
    const value = cmp[2]!;
    if (field === 'principalid' || field === 'requestorid') {
      if (!isGuid(value)) throw fail(`${cmp[1]} takes an object id (a GUID); got '${value}'.`);
      set(field === 'principalid' ? 'principalId' : 'requestorId', value.toLowerCase());
    } else if (field === 'roledefinitionid') {
      const guid = roleGuidOf(value);
      if (!guid) throw fail(`roleDefinitionId takes a role definition id or its GUID; got '${value}'.`);
      set('roleDefinitionId', guid);
    } else if (field === 'status') {
      if (!/^[A-Za-z]{1,40}$/.test(value))
        throw fail(`status takes a status such as 'Provisioned'; got '${value}'.`);
      set('status', value);
    } else {
      throw fail(
        `'${cmp[1]}' cannot be filtered on; use principalId, roleDefinitionId, requestorId or status.`,
      );
    }
  }
  return query as ResourceListQuery;
}
