import type { AccessService } from './access/access-service.js';
import type { AuditQueryService } from './audit/audit-query-service.js';
import type { AuditWriter } from './audit/audit-writer.js';
import type { AuthService } from './auth/auth-service.js';
import type { MfaService } from './auth/mfa-service.js';
import type { OidcService } from './auth/oidc-service.js';
import type { PersonalAccessTokenService } from './auth/personal-access-token-service.js';
import type { StepUpService } from './auth/step-up-service.js';
import type { AdministrativeUnitService } from './directory/administrative-unit-service.js';
import type { GroupService } from './directory/group-service.js';
import type { RoleDefinitionService } from './directory/role-definition-service.js';
import type { ServicePrincipalService } from './directory/service-principal-service.js';
import type { UserService } from './directory/user-service.js';
import type { PolicyService } from './policies/policy-service.js';
import type { Clock } from './ports/clock.js';
import type { IdGenerator } from './ports/ids.js';
import type { ApprovalService } from './requests/approval-service.js';
import type { ScheduleRequestService } from './requests/schedule-request-service.js';
import type { ScheduleService } from './requests/schedule-service.js';
import type { ResourceServices } from './resources/resource-services.js';
import type { SchedulerService } from './schedules/scheduler-service.js';
import type { SetupService } from './setup/setup-service.js';
import type { LookupService } from './shared/lookup-service.js';

/** Everything the adapters (HTTP, CLI, workers) may call; built by compose.ts. */
export interface Services {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly tenantId: string;
  readonly audit: AuditWriter;
  readonly auditLog: AuditQueryService;
  readonly health: { check(): Promise<void> };
  readonly auth: AuthService;
  /** Single sign-on and step-up through an OpenID provider (ELEVATE_OIDC_*). */
  readonly oidc: OidcService;
  /** Second factors of local accounts: TOTP enrolment, recovery codes, an administrator's reset. */
  readonly mfa: MfaService;
  /** Step-up proofs for activations whose settings require MFA or an authentication context. */
  readonly stepUp: StepUpService;
  readonly personalAccessTokens: PersonalAccessTokenService;
  readonly users: UserService;
  readonly policies: PolicyService;
  readonly groups: GroupService;
  readonly servicePrincipals: ServicePrincipalService;
  readonly administrativeUnits: AdministrativeUnitService;
  readonly roleDefinitions: RoleDefinitionService;
  readonly lookups: LookupService;
  readonly requests: ScheduleRequestService;
  readonly approvals: ApprovalService;
  readonly schedules: ScheduleService;
  /** Effective access: check and explain, exact at any instant (invariant 1). */
  readonly access: AccessService;
  readonly scheduler: SchedulerService;
  readonly setup: SetupService;
  /** Azure resource roles: the scope tree and the ARM-shaped PIM API's use cases. */
  readonly resources: ResourceServices;
}
