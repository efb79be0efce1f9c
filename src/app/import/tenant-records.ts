import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ElevateError } from '../../core/errors.js';

/**
 * The shared benchmark's tenant format (`../shared/bench/README.md`, formatVersion 1): JSON Lines, `meta` first,
 * then scopes (parents first), users, groups, memberships, role definitions, role assignments.
 */
export type TenantRecord =
  | {
      readonly type: 'meta';
      readonly formatVersion: number;
      readonly now: string;
      readonly counts: Readonly<Record<string, number>>;
    }
  | {
      readonly type: 'scope';
      readonly id: string;
      readonly parentId: string | null;
      readonly kind: 'tenant' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource';
    }
  | { readonly type: 'user'; readonly id: string; readonly userPrincipalName: string }
  | { readonly type: 'group'; readonly id: string; readonly displayName: string }
  | { readonly type: 'membership'; readonly groupId: string; readonly memberId: string }
  | {
      readonly type: 'roleDefinition';
      readonly id: string;
      readonly displayName: string;
      readonly permissions: readonly string[];
    }
  | {
      readonly type: 'roleAssignment';
      readonly id: string;
      readonly kind: 'eligible' | 'active';
      readonly principalId: string;
      readonly principalType: 'user' | 'group';
      readonly roleDefinitionId: string;
      readonly scope: string;
      readonly startDateTime: string;
      readonly endDateTime: string | null;
    };

const recordTypes = new Set([
  'meta',
  'scope',
  'user',
  'group',
  'membership',
  'roleDefinition',
  'roleAssignment',
]);

/** Reads a tenant file record by record; a line that is not a known record is refused with its line number. */
export async function* readTenantRecords(file: string): AsyncGenerator<TenantRecord> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let record: { type?: unknown };
    try {
      record = JSON.parse(line) as { type?: unknown };
    } catch (error) {
      throw new ElevateError('request.invalid', `${file}:${lineNo}: not JSON (${(error as Error).message})`);
    }
    if (typeof record.type !== 'string' || !recordTypes.has(record.type)) {
      throw new ElevateError(
        'request.invalid',
        `${file}:${lineNo}: unknown record type '${String(record.type)}'`,
      );
    }
    if (lineNo === 1 && record.type !== 'meta') {
      throw new ElevateError('request.invalid', `${file}:1: a tenant file starts with its 'meta' record`);
    }
    yield record as TenantRecord;
  }
}
