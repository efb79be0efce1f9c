import type { EventParty, EventTarget, PimEvent } from '../events/pim-event.js';
import type { ScheduleAction } from '../model/request.js';
import { renderLayout } from './email-layout.js';
import type { Audience, MessageKind } from './notification-audiences.js';
import { cleanText, formatInstant } from './plain-text.js';

/** What a template needs beyond the event: who reads it, why, and where the portal is. */
export interface MessageContext {
  readonly event: PimEvent;
  readonly audience: Audience;
  /** The request's action (null when the event has no request). */
  readonly action: ScheduleAction | null;
  /** Base URL of the portal (ELEVATE_PUBLIC_URL), without a trailing slash. */
  readonly portalUrl: string;
  /** For a granted activation that waited for approval: who approved it. */
  readonly approvedBy?: string | null;
  /** Whether the reader was added by address in the rule (notificationRecipients) rather than by default. */
  readonly extraRecipient?: boolean;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const name = (p: EventParty): string => cleanText(p.displayName, { max: 120 });

/** "Exchange Administrator", "membership of PAG-SERVICE-DESK", "Owner at Contoso" (the target as people say it). */
export function describeTarget(t: EventTarget): string {
  const display = cleanText(t.displayName, { max: 150 });
  const scope = cleanText(t.scopeDisplayName, { max: 150 });
  if (t.targetKind === 'group')
    return `${t.roleDefinitionId === 'owner' ? 'ownership' : 'membership'} of ${display}`;
  if (t.targetKind === 'resourceRole' || t.scopeId !== '/') return `${display} at ${scope}`;
  return display;
}

const kindWord = (e: PimEvent): string =>
  e.data.kind === 'eligibility' ? 'eligible assignment' : 'active assignment';

const untilText = (end: Date | null): string => (end ? formatInstant(end) : 'no end date (permanent)');

const verbOf = (action: ScheduleAction | null): string =>
  action === 'selfExtend' ? 'extend' : action === 'selfRenew' ? 'renew' : 'activate';

/** Subject, opening line, link and label of each message kind; the facts table is the same for all. */
function wording(c: MessageContext): { subject: string; lead: string; path: string; linkLabel: string } {
  const e = c.event;
  const d = e.data;
  const who = name(d.principal);
  const by = name(e.actor);
  const target = describeTarget(d.target);
  const decision = d.decision;
  const decidedBy = decision ? name(decision.decidedBy) : by;
  const outcome = decision?.outcome === 'Denied' ? 'denied' : 'approved';
  const message: MessageKind = c.audience.message;
  switch (message) {
    case 'approvalRequested':
      return {
        subject: `Approval needed: ${who} asks to ${verbOf(c.action)} ${target}`,
        lead: `${who} asks to ${verbOf(c.action)} ${target}. You are an approver: please approve or deny the request.`,
        path: '/approvals',
        linkLabel: 'Review the request',
      };
    case 'approvalDecided':
      return {
        subject: `Decided: ${who}'s request for ${target} was ${outcome} by ${decidedBy}`,
        lead: `${decidedBy} ${outcome} ${who}'s request for ${target}. No action is needed from you.`,
        path: '/approvals?status=all',
        linkLabel: 'See your approvals',
      };
    case 'requestCanceled':
      return {
        subject: `Withdrawn: ${who} canceled the request for ${target}`,
        lead: `${who} canceled the request for ${target}. No action is needed from you.`,
        path: '/approvals?status=all',
        linkLabel: 'See your approvals',
      };
    case 'activationGranted':
      return {
        subject: `Active: ${target} until ${untilText(d.end)}`,
        lead: `${c.approvedBy ? `${cleanText(c.approvedBy, { max: 120 })} approved your request. ` : ''}Your activation of ${target} is active until ${untilText(d.end)}.`,
        path: '/my-roles',
        linkLabel: 'Open My roles',
      };
    case 'activationDenied':
      return {
        subject: `Denied: your request for ${target}`,
        lead:
          d.reason === 'approvalExpired'
            ? `Nobody approved your request for ${target} in time; it has expired. You can ask again.`
            : `${decidedBy} denied your request for ${target}.`,
        path: '/my-requests?status=all',
        linkLabel: 'Open My requests',
      };
    case 'activationAlert':
      return {
        subject: `Role activated: ${who} activated ${target}`,
        lead: `${who} activated ${target} until ${untilText(d.end)}.`,
        path: '/',
        linkLabel: 'Open Elevate',
      };
    case 'accessRemoved':
      return {
        subject: `Removed: your ${kindWord(e)} to ${target}`,
        lead: `${by} removed your ${kindWord(e)} to ${target}.`,
        path: '/my-roles',
        linkLabel: 'Open My roles',
      };
    case 'assignmentAdded':
      return {
        subject:
          d.kind === 'eligibility'
            ? `Assigned: you are now eligible for ${target}`
            : `Assigned: you now hold ${target}`,
        lead:
          d.kind === 'eligibility'
            ? `${by} made you eligible for ${target} until ${untilText(d.end)}. Activate it when you need it.`
            : `${by} assigned ${target} to you until ${untilText(d.end)}.`,
        path: '/my-roles',
        linkLabel: 'Open My roles',
      };
    case 'assignmentAlert': {
      const verb =
        e.type === 'elevate.assignment.removed'
          ? 'removed'
          : e.type === 'elevate.assignment.added'
            ? 'assigned'
            : 'changed';
      return {
        subject: `Role assignment ${verb}: ${who} — ${target} (${kindWord(e)})`,
        lead: `${by} ${verb} the ${kindWord(e)} of ${who} to ${target}${verb === 'removed' ? '' : `, until ${untilText(d.end)}`}.`,
        path: '/',
        linkLabel: 'Open Elevate',
      };
    }
    case 'assignmentUpdated':
      return {
        subject: `Changed: your ${kindWord(e)} to ${target} now ends ${d.end ? formatInstant(d.end) : 'never'}`,
        lead: `Your ${kindWord(e)} to ${target} now lasts until ${untilText(d.end)}.`,
        path: '/my-roles',
        linkLabel: 'Open My roles',
      };
    case 'assignmentExpiring':
      return {
        subject: `Expires in ${d.remaining === 'P1D' ? '1 day' : '14 days'}: your ${kindWord(e)} to ${target}`,
        lead: `Your ${kindWord(e)} to ${target} ends on ${untilText(d.end)}. If you still need it, ask for an extension.`,
        path: '/my-roles',
        linkLabel: 'Extend it in My roles',
      };
    case 'assignmentExpired':
      return {
        subject: `Expired: your ${kindWord(e)} to ${target}`,
        lead: `Your ${kindWord(e)} to ${target} ended on ${untilText(d.end)}. You can ask to renew it.`,
        path: '/my-roles',
        linkLabel: 'Open My roles',
      };
  }
}

/** The facts every message lists: what, for whom, by whom, when, why. */
function facts(c: MessageContext): [string, string][] {
  const d = c.event.data;
  const rows: [string, string][] = [
    [d.target.targetKind === 'group' ? 'Group' : 'Role', cleanText(d.target.displayName, { max: 150 })],
  ];
  if (d.target.targetKind === 'group')
    rows.push(['Access', d.target.roleDefinitionId === 'owner' ? 'Owner' : 'Member']);
  else rows.push(['Scope', cleanText(d.target.scopeDisplayName, { max: 150 })]);
  const upn = d.principal.userPrincipalName
    ? ` (${cleanText(d.principal.userPrincipalName, { max: 120 })})`
    : '';
  rows.push(['For', `${name(d.principal)}${upn}`]);
  rows.push(['By', name(c.event.actor)]);
  if (d.start) rows.push(['From', formatInstant(d.start)]);
  if (d.start || d.end) rows.push(['Until', untilText(d.end)]);
  if (d.justification) rows.push(['Justification', cleanText(d.justification, { multiline: true })]);
  const ticket = [d.ticket?.ticketSystem, d.ticket?.ticketNumber].filter(Boolean).join(' ');
  if (ticket) rows.push(['Ticket', cleanText(ticket, { max: 200 })]);
  if (d.decision) {
    rows.push(['Decision', `${d.decision.outcome} by ${name(d.decision.decidedBy)}`]);
    if (d.decision.justification)
      rows.push(['Reviewer note', cleanText(d.decision.justification, { multiline: true })]);
  }
  rows.push(['When', formatInstant(c.event.time)]);
  return rows;
}

/** Why the reader gets this, naming the setting that sends it (so an administrator can find and change it). */
function reason(c: MessageContext): string {
  const rule = c.audience.ruleId;
  if (c.extraRecipient)
    return `Your address is listed as an additional recipient of the notification rule ${rule}.`;
  switch (c.audience.recipientType) {
    case 'Approver':
      return `You are an approver of this request (notification rule ${rule}).`;
    case 'Requestor':
      return `This is about your own access (notification rule ${rule}).`;
    case 'Admin':
      return `You administer this role or group (notification rule ${rule}).`;
  }
}

/** Renders one notification in plain text and HTML (every interpolated value escaped) with a link to act on it. */
export function renderEmail(c: MessageContext): RenderedEmail {
  const w = wording(c);
  const link = `${c.portalUrl.replace(/\/+$/, '')}${w.path}`;
  return renderLayout({
    subject: cleanText(w.subject, { max: 200 }),
    lead: w.lead,
    facts: facts(c),
    link: { href: link, label: w.linkLabel },
    footer: reason(c),
  });
}
