import type { ElevateClient } from '../../../src/contracts/browser';

/** The admin API's shapes, as the client's calls answer them (src/contracts/admin-schemas.ts). */
type AdminAssignmentPage = Awaited<ReturnType<ElevateClient['adminAssignments']>>;
export type AdminAssignment = AdminAssignmentPage['items'][number];
export type AdminAssignmentQuery = NonNullable<Parameters<ElevateClient['adminAssignments']>[0]>;
export type RoleHolders = Awaited<ReturnType<ElevateClient['roleHolders']>>;
export type RoleHolder = RoleHolders['items'][number];
export type Dashboard = Awaited<ReturnType<ElevateClient['dashboard']>>;
export type PrincipalRef = AdminAssignment['principal'];
export type BulkAssignBody = Parameters<ElevateClient['bulkAssign']>[0];
export type BulkAssignResult = Awaited<ReturnType<ElevateClient['bulkAssign']>>['results'][number];
export type ScheduleKindChoice = AdminAssignment['kind'];
