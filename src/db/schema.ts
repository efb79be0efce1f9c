import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';
import type { TargetKind } from '../core/model/schedule.js';

/** Row types (snake_case) for every table; mapped to core/model types in the repositories. */
type Timestamp = ColumnType<Date, Date, Date>;
type Json<T> = ColumnType<T, string, string>;

export interface TenantSettingsTable {
  key: string;
  value: Json<unknown>;
}

export interface UsersTable {
  id: string;
  user_principal_name: string;
  display_name: string;
  mail: string | null;
  given_name: string | null;
  surname: string | null;
  job_title: string | null;
  account_enabled: boolean;
  password_hash: string | null;
  is_emergency_access: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GroupsTable {
  id: string;
  display_name: string;
  mail_nickname: string;
  description: string | null;
  security_enabled: boolean;
  mail_enabled: boolean;
  is_assignable_to_role: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ServicePrincipalsTable {
  id: string;
  app_id: string;
  display_name: string;
  account_enabled: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ServicePrincipalSecretsTable {
  id: string;
  service_principal_id: string;
  display_name: string | null;
  hint: string;
  secret_hash: string;
  start_at: Timestamp;
  end_at: Timestamp;
}

export interface GroupRelationshipsTable {
  group_id: string;
  relationship: 'member' | 'owner';
  principal_id: string;
  principal_type: 'user' | 'group' | 'servicePrincipal';
  created_at: Timestamp;
}

export interface AdministrativeUnitsTable {
  id: string;
  display_name: string;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomRoleDefinitionsTable {
  id: string;
  display_name: string;
  description: string | null;
  is_enabled: boolean;
  allowed_resource_actions: Json<string[]>;
  /** Actions are literal names compared whole (imported tenants); false: Entra/ARM patterns. */
  exact_actions: ColumnType<boolean, boolean | undefined, boolean>;
  version: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RoleManagementPoliciesTable {
  id: string;
  target_kind: ColumnType<TargetKind, TargetKind | undefined, TargetKind>;
  scope_type: string;
  scope_id: string;
  role_definition_id: string;
  rules: Json<unknown>;
  last_modified_at: Timestamp | null;
  last_modified_by: Json<{ id: string; displayName: string } | null> | null;
  created_at: Timestamp;
}

export interface ScheduleRequestsTable {
  id: string;
  kind: 'eligibility' | 'assignment';
  action: string;
  status: string;
  principal_id: string;
  principal_type: string;
  target_kind: ColumnType<TargetKind, TargetKind | undefined, TargetKind>;
  role_definition_id: string;
  /** The directory scope of a role, or the group's id for a group target. */
  scope_id: string;
  justification: string | null;
  ticket_number: string | null;
  ticket_system: string | null;
  schedule_info: Json<unknown> | null;
  is_validation_only: boolean;
  target_schedule_id: string | null;
  activated_using: string | null;
  approval_id: string | null;
  created_by_id: string;
  created_by_type: string;
  created_at: Timestamp;
  completed_at: Timestamp | null;
  policy_rules: Json<unknown> | null;
}

export interface SchedulesTable {
  id: string;
  kind: 'eligibility' | 'assignment';
  principal_id: string;
  principal_type: string;
  target_kind: ColumnType<TargetKind, TargetKind | undefined, TargetKind>;
  role_definition_id: string;
  /** The directory scope of a role, or the group's id for a group target. */
  scope_id: string;
  assignment_type: string | null;
  start_at: Timestamp;
  end_at: Timestamp | null;
  status: string;
  created_using: string;
  activated_using: string | null;
  created_at: Timestamp;
  modified_at: Timestamp;
}

export interface ApprovalsTable {
  id: string;
  request_id: string;
  stage_id: string;
  status: string;
  review_result: string;
  approvers: Json<unknown>;
  is_approver_justification_required: boolean;
  expires_at: Timestamp;
  reviewed_by_id: string | null;
  reviewed_at: Timestamp | null;
  justification: string | null;
  created_at: Timestamp;
}

export interface AuditLogTable {
  sequence: number;
  id: string;
  activity_at: Timestamp;
  category: string;
  activity_display_name: string;
  operation_type: string;
  result: string;
  result_reason: string | null;
  logged_by_service: string;
  correlation_id: string | null;
  initiated_by: Json<unknown>;
  target_resources: Json<unknown>;
  additional_details: Json<unknown>;
  target_ids: string[];
  previous_hash: string;
  hash: string;
}

/** One TOTP authenticator per user; the seed is AES-GCM encrypted (app/auth/secret-box.ts). */
export interface UserTotpTable {
  user_id: string;
  secret_ciphertext: string;
  confirmed_at: Timestamp | null;
  last_used_step: number | null;
  created_at: Timestamp;
}

export interface UserRecoveryCodesTable {
  id: string;
  user_id: string;
  /** SHA-256 of the normalised code (codes carry 80 random bits). */
  code_hash: string;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SignInThrottleTable {
  user_id: string;
  failed_count: number;
  lockouts: number;
  locked_until: Timestamp | null;
  last_failure_at: Timestamp | null;
}

export interface StepUpProofsTable {
  id: string;
  user_id: string;
  proof_hash: string;
  target_type: TargetKind;
  target_id: string;
  target_scope: string;
  method: string;
  authenticated_at: Timestamp;
  consumed_at: Timestamp | null;
  consumed_by: string | null;
  /** The `acr` an OIDC step-up's identity provider asserted; null for TOTP or when it sent none. */
  acr: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A pending OIDC authorization request: single-use, deleted when its callback arrives (or expired). */
export interface OidcSignInStatesTable {
  id: string;
  state_hash: string;
  purpose: 'signIn' | 'stepUp';
  nonce: string;
  code_verifier_sealed: string;
  redirect_uri: string | null;
  user_id: string | null;
  target_type: string | null;
  target_id: string | null;
  target_scope: string | null;
  max_age: number | null;
  acr_values: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** An identity provider's subject linked to a user. */
export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: Timestamp;
  last_sign_in_at: Timestamp;
}

export interface PersonalAccessTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  hint: string;
  scopes: Json<string[]>;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

/** A registered passkey (WebAuthn credential): its public key and signature counter, never a private key. */
export interface UserPasskeysTable {
  id: string;
  user_id: string;
  /** base64url, as the authenticator names it. */
  credential_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  /** `bigint`: a string from `pg`, a number from PGlite. */
  counter: ColumnType<string | number, number, number>;
  transports: Json<string[]>;
  name: string;
  device_type: string;
  backed_up: boolean;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

/** A WebAuthn ceremony's challenge, single-use: deleted by the answer that uses it (or expired). */
export interface WebauthnChallengesTable {
  id: string;
  challenge: string;
  user_id: string;
  purpose: 'register' | 'signIn' | 'stepUp';
  target_type: TargetKind | null;
  target_id: string | null;
  target_scope: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** A portal session behind an HttpOnly cookie; only the SHA-256 of the session id is stored. */
export interface PortalSessionsTable {
  id: string;
  session_hash: string;
  user_id: string;
  amr: Json<string[]>;
  auth_time: Timestamp;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  /** The absolute end; the idle end is `last_seen_at` plus the idle timeout. */
  expires_at: Timestamp;
}

/** The resource tree: one row per registered ARM scope (core/scope/resource-scope.ts). */
export interface ResourceScopesTable {
  /** The canonical (lower-case) ARM path, as schedules name it in scope_id. */
  id: string;
  /** The display path: ARM's keyword casing, names as registered. */
  path: string;
  type: 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource';
  name: string;
  display_name: string;
  parent_id: string | null;
  resource_type: string | null;
  location: string | null;
  tags: Json<Record<string, string>> | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** An event a use case published, stored with its change (app/outbox). */
export interface OutboxEventsTable {
  id: string;
  type: string;
  subject: string;
  time: Timestamp;
  /** The whole PimEvent, dates as ISO strings. */
  event: Json<unknown>;
  created_at: Timestamp;
}

export type OutboxDeliveryStatus = 'pending' | 'delivered' | 'dead';

/** One delivery of an event on one channel to one receiver; claimed by the dispatcher under a lease. */
export interface OutboxDeliveriesTable {
  id: string;
  seq: ColumnType<number, never, never>;
  event_id: string;
  event_type: string;
  channel: string;
  receiver_id: string;
  ordering_key: string;
  payload: Json<unknown>;
  status: OutboxDeliveryStatus;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  claim_token: string | null;
  claimed_until: Timestamp | null;
  last_response: string | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  dead_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One attempt at a delivery and what came of it. */
export interface OutboxAttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  at: Timestamp;
  outcome: 'delivered' | 'failed' | 'dead';
  response: string;
}

/** A webhook endpoint; secrets sealed (secret-box.ts). */
export interface WebhookSubscriptionsTable {
  id: string;
  url: string;
  event_types: Json<string[]>;
  description: string | null;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A group linked to an application that receives its membership by SCIM; the token is sealed (secret-box.ts). */
export interface ProvisioningApplicationsTable {
  id: string;
  group_id: string;
  display_name: string;
  base_url: string;
  token_sealed: string;
  /** Requests per second to this application; null: ELEVATE_SCIM_RATE_PER_SECOND. */
  rate_per_second: number | null;
  /** The group's id in the application, once found or made. */
  scim_group_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** What an application answered when a membership change was pushed to it: one per (event, application). */
export interface ProvisioningReceiptsTable {
  id: string;
  event_id: string;
  application_id: string;
  application_name: string;
  schedule_id: string | null;
  group_id: string;
  principal_id: string;
  operation: 'add' | 'remove';
  outcome: 'applied' | 'skipped';
  response: string;
  delivered_at: Timestamp;
}

/** The access index's change feed (migration 2026-12-20): what to reload after a committed change. */
export interface AccessChangesTable {
  id: ColumnType<number, never, never>;
  kind: 'holder' | 'principal' | 'scope' | 'role' | 'all';
  key: string;
  changed_at: ColumnType<Date, Date | undefined, never>;
}

export interface DB {
  tenant_settings: TenantSettingsTable;
  users: UsersTable;
  groups: GroupsTable;
  service_principals: ServicePrincipalsTable;
  service_principal_secrets: ServicePrincipalSecretsTable;
  group_relationships: GroupRelationshipsTable;
  administrative_units: AdministrativeUnitsTable;
  custom_role_definitions: CustomRoleDefinitionsTable;
  role_management_policies: RoleManagementPoliciesTable;
  schedule_requests: ScheduleRequestsTable;
  schedules: SchedulesTable;
  approvals: ApprovalsTable;
  audit_log: AuditLogTable;
  user_totp: UserTotpTable;
  user_recovery_codes: UserRecoveryCodesTable;
  sign_in_throttle: SignInThrottleTable;
  step_up_proofs: StepUpProofsTable;
  personal_access_tokens: PersonalAccessTokensTable;
  oidc_sign_in_states: OidcSignInStatesTable;
  user_identities: UserIdentitiesTable;
  resource_scopes: ResourceScopesTable;
  outbox_events: OutboxEventsTable;
  outbox_deliveries: OutboxDeliveriesTable;
  outbox_attempts: OutboxAttemptsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  user_passkeys: UserPasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  portal_sessions: PortalSessionsTable;
  access_changes: AccessChangesTable;
  provisioning_applications: ProvisioningApplicationsTable;
  provisioning_receipts: ProvisioningReceiptsTable;
}

export type UserRow = Selectable<UsersTable>;
export type GroupRow = Selectable<GroupsTable>;
export type ServicePrincipalRow = Selectable<ServicePrincipalsTable>;
export type ScheduleRow = Selectable<SchedulesTable>;
export type ScheduleRequestRow = Selectable<ScheduleRequestsTable>;
export type ApprovalRow = Selectable<ApprovalsTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type PolicyRow = Selectable<RoleManagementPoliciesTable>;
export type ResourceScopeRow = Selectable<ResourceScopesTable>;
export type NewScheduleRow = Insertable<SchedulesTable>;
export type ScheduleUpdate = Updateable<SchedulesTable>;
