import type { AccessIndexSync } from './access/access-index-sync.js';
import type { AccessService } from './access/access-service.js';
import type { AuditQueryService } from './audit/audit-query-service.js';
import type { AuditWriter } from './audit/audit-writer.js';
import type { AuthService } from './auth/auth-service.js';
import type { IdentityLinkService } from './auth/identity-links.js';
import type { MfaService } from './auth/mfa-service.js';
import type { OidcService } from './auth/oidc-service.js';
import type { PasskeyService } from './auth/passkey-service.js';
import type { PersonalAccessTokenService } from './auth/personal-access-token-service.js';
import type { StepUpService } from './auth/step-up-service.js';
import type { AdministrativeUnitService } from './directory/administrative-unit-service.js';
import type { GroupService } from './directory/group-service.js';
import type { RoleDefinitionService } from './directory/role-definition-service.js';
import type { ServicePrincipalService } from './directory/service-principal-service.js';
import type { UserService } from './directory/user-service.js';
import type { NotificationService } from './notifications/notification-service.js';
import type { EventPublisher } from './outbox/event-publisher.js';
import type { OutboxService } from './outbox/outbox-service.js';
import type { PolicyService } from './policies/policy-service.js';
import type { Clock } from './ports/clock.js';
import type { IdGenerator } from './ports/ids.js';
import type { ProvisioningService } from './provisioning/provisioning-service.js';
import type { AdminReportService } from './reports/admin-report-service.js';
import type { BulkAssignmentService } from './reports/bulk-assignment-service.js';
import type { ApprovalService } from './requests/approval-service.js';
import type { RequestListService } from './requests/request-list-service.js';
import type { ScheduleRequestService } from './requests/schedule-request-service.js';
import type { ScheduleService } from './requests/schedule-service.js';
import type { ResourceServices } from './resources/resource-services.js';
import type { SchedulerService } from './schedules/scheduler-service.js';
import type { SetupService } from './setup/setup-service.js';
import type { LookupService } from './shared/lookup-service.js';
import type { WebhookService } from './webhooks/webhook-service.js';

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
  /** Passkeys (WebAuthn): registration, list, removal, step-up options. */
  readonly passkeys: PasskeyService;
  /** Identity-provider subjects linked to users; an administrator unlinks one. */
  readonly identityLinks: IdentityLinkService;
  readonly personalAccessTokens: PersonalAccessTokenService;
  readonly users: UserService;
  readonly policies: PolicyService;
  readonly groups: GroupService;
  readonly servicePrincipals: ServicePrincipalService;
  readonly administrativeUnits: AdministrativeUnitService;
  readonly roleDefinitions: RoleDefinitionService;
  readonly lookups: LookupService;
  readonly requests: ScheduleRequestService;
  /** Schedule requests as the Graph lists read them, a page at a time. */
  readonly requestLists: RequestListService;
  readonly approvals: ApprovalService;
  readonly schedules: ScheduleService;
  /** Effective access: check and explain, exact at any instant (invariant 1). */
  readonly access: AccessService;
  /** The in-memory access index of this process (decide, the caller's roles), fed by the change log. */
  readonly accessIndex: AccessIndexSync;
  readonly scheduler: SchedulerService;
  readonly setup: SetupService;
  /** Azure resource roles: the scope tree and the ARM-shaped PIM API's use cases. */
  readonly resources: ResourceServices;
  /** Publishes PimEvents in a use case's transaction (the outbox's front door). */
  readonly events: EventPublisher;
  /** The outbox's deliveries: the dispatcher's claims, counts, dead letters, receipts, resend. */
  readonly outbox: OutboxService;
  /** Webhook subscriptions (CloudEvents, Standard Webhooks signatures) and the outbox channel `webhook`. */
  readonly webhooks: WebhookService;
  /** The administrator's read models: dashboard, assignments, who holds a role (readers of PIM). */
  readonly adminReports: AdminReportService;
  /** One role for many principals, each through its own adminAssign request. */
  readonly bulkAssignments: BulkAssignmentService;
  /** Outbound SCIM: groups linked to applications, receipts, and the outbox channel `scim`. */
  readonly provisioning: ProvisioningService;
  /** E-mail notifications: the SMTP channel (when configured), expiry reminders and the weekly digest. */
  readonly notifications: NotificationService;
}
