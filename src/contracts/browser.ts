/**
 * The part of the contracts the portal (web/) imports: everything reachable from here runs in a browser — no
 * `node:` modules, no server code. `test/architecture.test.ts` keeps it that way.
 */
import './zod-jitless.js';

export { type ActivationSettings, activationSettingsFrom } from './activation-settings.js';
export { ApiError, type ApiErrorDetail, isApiError } from './api-error.js';
export type {
  MfaStatusResponse,
  PasskeyAssertion,
  PasskeyAttestation,
  PasskeyOptions,
  PasskeyResponse,
  PortalSession,
  SignInProviders,
  StepUpResponse,
} from './auth-schemas.js';
export { addDuration, describeDuration, durationMs, formatDuration, parseDuration } from './durations.js';
export { createElevateClient, type ElevateClient, type ElevateClientOptions } from './elevate-client.js';
export type {
  GraphApproval,
  GraphApprovalStep,
  GraphDirectoryObject,
  GraphGroupScheduleInstance,
  GraphGroupScheduleRequest,
  GraphPage,
  GraphRoleDefinition,
  GraphScheduleInfo,
  GraphScheduleInstance,
  GraphScheduleRequest,
  GraphUser,
  GroupAccessId,
  GroupScheduleRequestBody,
  ScheduleKind,
  ScheduleRequestBody,
} from './graph-types.js';
