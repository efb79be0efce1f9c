import type { ScheduleAction } from '../model/request.js';
import type { ScheduleKind } from '../model/schedule.js';

export interface RequestSubject {
  readonly action: ScheduleAction;
  readonly kind: ScheduleKind;
  readonly roleName: string;
  readonly scope: string;
  readonly principalName: string;
}

const what = (kind: ScheduleKind): string => (kind === 'eligibility' ? 'eligible' : 'active');

/** Names what a request does, to start a message: "Activating 'Exchange Administrator' at scope '/'". */
export function describeRequest(s: RequestSubject): string {
  const at = `at scope '${s.scope}'`;
  const role = `'${s.roleName}'`;
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

/** describeRequest for a decision context. */
export const subjectOf = (ctx: {
  readonly input: {
    readonly action: ScheduleAction;
    readonly kind: ScheduleKind;
    readonly directoryScopeId: string;
  };
  readonly role: { readonly displayName: string };
  readonly principal: { readonly displayName: string };
}): string =>
  describeRequest({
    action: ctx.input.action,
    kind: ctx.input.kind,
    roleName: ctx.role.displayName,
    scope: ctx.input.directoryScopeId,
    principalName: ctx.principal.displayName,
  });
