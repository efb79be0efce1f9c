import type { AdministrativeUnit } from '../../../app/directory/administrative-unit-service.js';
import { boundedString, graphBody } from '../graph-body.js';

/** Graph's `administrativeUnit` as Elevate serves it. */
export function toGraphAdministrativeUnit(au: AdministrativeUnit) {
  return { id: au.id, displayName: au.displayName, description: au.description };
}

export const createAdministrativeUnitBody = graphBody({
  displayName: boundedString(256).min(1),
  description: boundedString(1024).nullable().optional(),
});

export const updateAdministrativeUnitBody = graphBody({
  displayName: boundedString(256).min(1).optional(),
  description: boundedString(1024).nullable().optional(),
});

export const administrativeUnitListSpec = {
  fields: { id: { type: 'guid' }, displayName: { type: 'string' } },
  select: ['id', 'displayName', 'description'],
} as const;
