import type { ScheduleAction } from '../model/request.js';
import type { PimTarget, ScheduleKind } from '../model/schedule.js';

export interface RequestSubject {
  readonly action: ScheduleAction;
  readonly kind: ScheduleKind;
  readonly target: PimTarget;
  /** The role's display name, or for a group target the group's. */
  readonly targetName: string;
  readonly principalName: string;
}

const what = (kind: ScheduleKind): string => (kind === 'eligibility' ? 'eligible' : 'active');

/** "membership of group 'PAG-SERVICE-DESK'" or "ownership of group …". */
const groupAccess = (s: RequestSubject): string =>
  `${s.target.roleDefinitionId === 'owner' ? 'ownership' : 'membership'} of group '${s.targetName}'`;

/** Names what a request does, to start a message: "Activating 'Exchange Administrator' at scope '/'". */
export function describeRequest(s: RequestSubject): string {
  return s.target.targetKind === 'group' ? describeGroupRequest(s) : describeRoleRequest(s);
}

function describeRoleRequest(s: RequestSubject): string {
  const at = `at scope '${s.target.scopeId}'`;
  const role = `'${s.targetName}'`;
  const of = `the ${what(s.kind)} assignment of ${role} for '${s.principalName}' ${at}`;
  switch (s.action) {
    case 'selfActivate':
      return `Activating ${role} ${at}`;
    case 'selfDeactivate':
      return `Deactivating ${role} ${at}`;
    case 'selfExtend':
      return `Extending your ${what(s.kind)} assignment of ${role} ${at}`;
    case 'selfRenew':
      return `Renewing your ${what(s.kind)} assignment of ${role} ${at}`;
    case 'adminAssign':
      return s.kind === 'eligibility'
        ? `Making '${s.principalName}' eligible for ${role} ${at}`
        : `Assigning ${role} to '${s.principalName}' ${at}`;
    case 'adminUpdate':
      return `Updating ${of}`;
    case 'adminRemove':
      return `Removing ${of}`;
    case 'adminExtend':
      return `Extending ${of}`;
    case 'adminRenew':
      return `Renewing ${of}`;
  }
}

function describeGroupRequest(s: RequestSubject): string {
  const access = groupAccess(s);
  const role = s.target.roleDefinitionId === 'owner' ? 'owner' : 'member';
  const of = `the ${what(s.kind)} ${access} for '${s.principalName}'`;
  switch (s.action) {
    case 'selfActivate':
      return `Activating ${access}`;
    case 'selfDeactivate':
      return `Deactivating ${access}`;
    case 'selfExtend':
      return `Extending your ${what(s.kind)} ${access}`;
    case 'selfRenew':
      return `Renewing your ${what(s.kind)} ${access}`;
    case 'adminAssign':
      return `Making '${s.principalName}' ${s.kind === 'eligibility' ? 'an eligible' : 'an active'} ${role} of group '${s.targetName}'`;
    case 'adminUpdate':
      return `Updating ${of}`;
    case 'adminRemove':
      return `Removing ${of}`;
    case 'adminExtend':
      return `Extending ${of}`;
    case 'adminRenew':
      return `Renewing ${of}`;
  }
}

/** The target alone, for messages: "'Exchange Administrator' at scope '/'" or "membership of group 'X'". */
export function describeTarget(target: PimTarget, targetName: string): string {
  return target.targetKind === 'group'
    ? `${target.roleDefinitionId === 'owner' ? 'ownership' : 'membership'} of group '${targetName}'`
    : `'${targetName}' at scope '${target.scopeId}'`;
}

/** describeRequest for a decision context. */
export const subjectOf = (ctx: {
  readonly input: { readonly action: ScheduleAction; readonly kind: ScheduleKind } & PimTarget;
  readonly target: { readonly displayName: string };
  readonly principal: { readonly displayName: string };
}): string =>
  describeRequest({
    action: ctx.input.action,
    kind: ctx.input.kind,
    target: ctx.input,
    targetName: ctx.target.displayName,
    principalName: ctx.principal.displayName,
  });

/** describeTarget for a decision context. */
export const targetOf = (ctx: {
  readonly input: PimTarget;
  readonly target: { readonly displayName: string };
}): string => describeTarget(ctx.input, ctx.target.displayName);
