import { type Selectable, sql } from 'kysely';
import type { AuditModifiedProperty } from '../../core/audit/audit-record.js';
import { canManageAdministrativeUnits, requirePermission } from '../../core/authorization/permissions.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type { AdministrativeUnitsTable } from '../../db/schema.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext } from '../context.js';
import { changedProperties, directoryAudit } from './directory-audit.js';

export interface AdministrativeUnit {
  readonly id: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly createdDateTime: Date;
}

export interface NewAdministrativeUnit {
  readonly displayName: string;
  readonly description?: string | null;
}

export type AdministrativeUnitPatch = Partial<NewAdministrativeUnit>;

const toUnit = (r: Selectable<AdministrativeUnitsTable>): AdministrativeUnit => ({
  id: r.id,
  displayName: r.display_name,
  description: r.description,
  createdDateTime: r.created_at,
});

const roles = 'Privileged Role Administrator or Global Administrator';

/** Administrative units, the directory scopes `/administrativeUnits/{id}`; role administrators write. */
export function createAdministrativeUnitService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'> & { audit: AuditWriter },
) {
  const { db, clock, ids, audit } = deps;

  async function get(id: string): Promise<AdministrativeUnit> {
    const row = await db
      .selectFrom('administrative_units')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('Administrative unit', id);
    return toUnit(row);
  }

  const target = (au: { id: string; displayName: string }) =>
    ({ id: au.id, displayName: au.displayName, type: 'Other' }) as const;

  return {
    get,
    async list(): Promise<AdministrativeUnit[]> {
      return (await db.selectFrom('administrative_units').selectAll().orderBy('id').execute()).map(toUnit);
    },

    async create(ctx: CallContext, input: NewAdministrativeUnit): Promise<AdministrativeUnit> {
      requirePermission(canManageAdministrativeUnits(ctx.actor), 'create administrative units', roles);
      const now = clock.now();
      const id = ids.newId();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('administrative_units')
          .values({
            id,
            display_name: input.displayName,
            description: input.description ?? null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Add administrative unit',
            operationType: 'Add',
            target: target({ id, displayName: input.displayName }),
          }),
        ]);
      });
      return get(id);
    },

    async update(ctx: CallContext, id: string, patch: AdministrativeUnitPatch): Promise<void> {
      requirePermission(canManageAdministrativeUnits(ctx.actor), 'update administrative units', roles);
      const before = await get(id);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('administrative_units')
          .set({
            ...(patch.displayName !== undefined && { display_name: patch.displayName }),
            ...(patch.description !== undefined && { description: patch.description }),
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        const changed: AuditModifiedProperty[] = changedProperties(before, patch, [
          'displayName',
          'description',
        ] as const);
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Update administrative unit',
            operationType: 'Update',
            target: target(before),
            modifiedProperties: changed,
          }),
        ]);
      });
    },

    /** Refused while live assignments or eligibilities are scoped to the unit: deleting it would orphan them. */
    async remove(ctx: CallContext, id: string): Promise<void> {
      requirePermission(canManageAdministrativeUnits(ctx.actor), 'delete administrative units', roles);
      const before = await get(id);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const { count } = await trx
          .selectFrom('schedules')
          .select((eb) => eb.fn.countAll().as('count'))
          .where('target_kind', '=', 'directoryRole')
          .where(sql<string>`lower(scope_id)`, '=', `/administrativeunits/${id}`)
          .where('status', 'in', ['Scheduled', 'Provisioned'])
          .executeTakeFirstOrThrow();
        const n = Number(count);
        if (n > 0) {
          throw new ElevateError(
            'request.invalid',
            `Administrative unit '${before.displayName}' still has ${n} role ${n === 1 ? 'assignment or eligibility' : 'assignments or eligibilities'} scoped to /administrativeUnits/${id}; remove ${n === 1 ? 'it' : 'them'} first.`,
          );
        }
        await trx.deleteFrom('administrative_units').where('id', '=', id).execute();
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Delete administrative unit',
            operationType: 'Delete',
            target: target(before),
          }),
        ]);
      });
    },
  };
}

export type AdministrativeUnitService = ReturnType<typeof createAdministrativeUnitService>;
