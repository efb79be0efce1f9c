import type { GraphRouteRegistrar } from '../route-types.js';
import { registerAdministrativeUnitRoutes } from './administrative-unit-routes.js';
import { registerApprovalRoutes } from './approval-routes.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerGroupApprovalRoutes } from './group-approval-routes.js';
import { registerGroupPimRoutes } from './group-pim-routes.js';
import { registerGroupRoutes } from './group-routes.js';
import { registerPolicyRoutes } from './policy-routes.js';
import { registerRoleDefinitionRoutes } from './role-definition-routes.js';
import { registerScheduleRequestRoutes } from './schedule-request-routes.js';
import { registerServicePrincipalRoutes } from './service-principal-routes.js';
import { registerUserRoutes } from './user-routes.js';

/** Every Graph area, registered on /v1.0 and /beta. */
export const graphRoutes: readonly GraphRouteRegistrar[] = [
  registerUserRoutes,
  registerGroupRoutes,
  registerServicePrincipalRoutes,
  registerAdministrativeUnitRoutes,
  registerRoleDefinitionRoutes,
  registerScheduleRequestRoutes,
  registerApprovalRoutes,
  registerGroupPimRoutes,
  registerGroupApprovalRoutes,
  registerPolicyRoutes,
  registerAuditRoutes,
];
