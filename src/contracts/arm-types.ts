/**
 * The ARM-shaped resource-role API as the client reads it (research §9.2): a schedule request is
 * `{ name, id, type, properties }`. Only the fields clients use are listed; the server sends more.
 */

export const armPimApiVersion = '2020-10-01';

export interface ArmScheduleRequestProperties {
  readonly principalId: string;
  /** `{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}`, or the GUID. */
  readonly roleDefinitionId: string;
  /** PascalCase: `SelfActivate`, `SelfDeactivate`, `AdminAssign`, … */
  readonly requestType: string;
  readonly justification?: string;
  readonly scheduleInfo?: {
    readonly startDateTime?: string;
    readonly expiration?: {
      readonly type: string;
      readonly duration?: string;
      readonly endDateTime?: string;
    };
  };
  readonly ticketInfo?: { readonly ticketNumber?: string; readonly ticketSystem?: string };
}

export interface ArmScheduleRequest {
  readonly name: string;
  readonly id: string;
  readonly type: string;
  readonly properties: {
    readonly status: string;
    readonly requestType: string;
    readonly scope: string;
    readonly roleDefinitionId: string;
    readonly principalId: string;
    readonly approvalId: string | null;
    readonly justification: string | null;
    readonly targetRoleAssignmentScheduleId?: string | null;
    readonly scheduleInfo: {
      readonly startDateTime: string | null;
      readonly expiration: {
        readonly type: string | null;
        readonly endDateTime: string | null;
        readonly duration: string | null;
      };
    } | null;
  };
}
