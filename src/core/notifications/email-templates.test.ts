import { describe, expect, it } from 'vitest';
import type { PimEvent } from '../events/pim-event.js';
import { renderEmail } from './email-templates.js';
import { audiencesFor, type MessageKind } from './notification-audiences.js';
import { cleanText, escapeHtml } from './plain-text.js';

const adam = {
  id: 'u1',
  type: 'user' as const,
  displayName: 'Adam <script>',
  userPrincipalName: 'adam@x.test',
  mail: null,
};
const grace = {
  id: 'u2',
  type: 'user' as const,
  displayName: 'Grace',
  userPrincipalName: 'grace@x.test',
  mail: null,
};
const base: PimEvent = {
  id: 'e1',
  type: 'elevate.approval.requested',
  time: new Date('2026-01-05T09:00:00Z'),
  tenantId: 't',
  subject: 's',
  actor: adam,
  data: {
    principal: adam,
    target: {
      targetKind: 'directoryRole',
      roleDefinitionId: 'r',
      scopeId: '/',
      displayName: 'Exchange Administrator',
      scopeDisplayName: 'Directory',
    },
    kind: 'assignment',
    requestId: 'q',
    scheduleId: null,
    approvalId: 'a',
    justification: 'Line one\r\nLine "two" & <three>\u001b[31m',
    ticket: { ticketNumber: 'CHG-1', ticketSystem: 'ServiceNow' },
    start: new Date('2026-01-05T09:00:00Z'),
    end: new Date('2026-01-05T11:00:00Z'),
    decision: { decidedBy: grace, outcome: 'Approved', justification: null },
  },
};

const render = (type: PimEvent['type'], message: MessageKind) => {
  const event = { ...base, type };
  const audience = audiencesFor(event, 'selfActivate').find((a) => a.message === message);
  if (!audience) throw new Error(`no audience ${message} for ${type}`);
  return renderEmail({ event, audience, action: 'selfActivate', portalUrl: 'https://pim.example/' });
};

describe('renderEmail', () => {
  it('says what, to what, by whom and until when, and links to the page to act', () => {
    const m = render('elevate.approval.requested', 'approvalRequested');
    expect(m.subject).toBe('Approval needed: Adam <script> asks to activate Exchange Administrator');
    expect(m.text).toContain('Role:          Exchange Administrator');
    expect(m.text).toContain('For:           Adam <script> (adam@x.test)');
    expect(m.text).toContain('Until:         2026-01-05 11:00 UTC');
    expect(m.text).toContain('Ticket:        ServiceNow CHG-1');
    expect(m.text).toContain('Review the request: https://pim.example/approvals');
    expect(m.html).toContain('href="https://pim.example/approvals"');
  });

  it('escapes every value in the HTML and removes control characters everywhere', () => {
    const m = render('elevate.approval.requested', 'approvalRequested');
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('Adam &lt;script&gt;');
    expect(m.html).toContain('Line &quot;two&quot; &amp; &lt;three&gt;');
    for (const part of [m.text, m.html]) {
      expect(part).not.toContain('\r');
      expect(part).not.toContain(String.fromCharCode(27));
    }
  });

  it.each([
    [
      'elevate.approval.decided',
      'approvalDecided',
      "Decided: Adam <script>'s request for Exchange Administrator was approved by Grace",
    ],
    [
      'elevate.request.canceled',
      'requestCanceled',
      'Withdrawn: Adam <script> canceled the request for Exchange Administrator',
    ],
    [
      'elevate.activation.granted',
      'activationGranted',
      'Active: Exchange Administrator until 2026-01-05 11:00 UTC',
    ],
    [
      'elevate.activation.granted',
      'activationAlert',
      'Role activated: Adam <script> activated Exchange Administrator',
    ],
    ['elevate.activation.denied', 'activationDenied', 'Denied: your request for Exchange Administrator'],
  ] as const)('%s (%s)', (type, message, subject) => {
    expect(render(type, message).subject).toBe(subject);
  });

  it('cleans typed text to one line unless asked to keep lines, and cuts it at the limit', () => {
    expect(cleanText('a\r\nb\u0000c')).toBe('a bc');
    expect(cleanText('a\nb', { multiline: true })).toBe('a\nb');
    expect(cleanText('abcdef', { max: 4 })).toBe('abc…');
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
