import { renderLayout } from './email-layout.js';
import type { RenderedEmail } from './email-templates.js';
import { cleanText, formatInstant } from './plain-text.js';

const day = 86_400_000;

/** The digest goes out on Mondays at 08:00 UTC and covers the seven days before and after. */
export interface DigestWeek {
  /** Monday 00:00 UTC of the week, as `YYYY-MM-DD`: the digest's identity. */
  readonly week: string;
  readonly sendAt: Date;
  /** [from, sendAt): what happened; [sendAt, until): what ends soon. */
  readonly from: Date;
  readonly until: Date;
}

/** Decides the digest of the week containing `now`, and whether it is due yet (after Monday 08:00 UTC). */
export function digestWeek(now: Date): { week: DigestWeek; due: boolean } {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = midnight - ((now.getUTCDay() + 6) % 7) * day;
  const sendAt = new Date(monday + 8 * 3_600_000);
  const week: DigestWeek = {
    week: new Date(monday).toISOString().slice(0, 10),
    sendAt,
    from: new Date(sendAt.getTime() - 7 * day),
    until: new Date(sendAt.getTime() + 7 * day),
  };
  return { week, due: now.getTime() >= sendAt.getTime() };
}

/** One line of the digest: who, what, when. */
export interface DigestItem {
  readonly principal: string;
  readonly target: string;
  readonly at: Date;
  /** Activations and assignments: their end (null = permanent). */
  readonly end?: Date | null;
  readonly detail?: string | null;
}

export interface DigestContent {
  readonly week: DigestWeek;
  readonly activations: readonly DigestItem[];
  readonly newAssignments: readonly DigestItem[];
  readonly pendingRequests: readonly DigestItem[];
  readonly expiring: readonly DigestItem[];
  /** Each list shows at most this many lines, then "and N more". */
  readonly limit: number;
  /** How many each list had before the limit. */
  readonly totals: {
    readonly activations: number;
    readonly newAssignments: number;
    readonly pendingRequests: number;
    readonly expiring: number;
  };
}

const line = (i: DigestItem, when: string): string =>
  [
    `${cleanText(i.principal, { max: 120 })} — ${cleanText(i.target, { max: 150 })}`,
    when,
    i.detail ? cleanText(i.detail, { max: 200 }) : null,
  ]
    .filter(Boolean)
    .join(', ');

const until = (end: Date | null | undefined): string => (end ? `until ${formatInstant(end)}` : 'permanent');

/**
 * The weekly PIM digest for role administrators (Entra's "Weekly Privileged Identity Management digest"):
 * activations and new assignments of the last seven days, requests waiting for approval, and access that ends in
 * the next seven days, each list capped with a count of the rest.
 */
export function renderDigest(c: DigestContent, portalUrl: string): RenderedEmail {
  const more = (total: number, shown: number) => (total > shown ? `… and ${total - shown} more.` : null);
  const section = (
    title: string,
    items: readonly DigestItem[],
    total: number,
    when: (i: DigestItem) => string,
  ) => ({
    title: `${title} (${total})`,
    items: items.slice(0, c.limit).map((i) => line(i, when(i))),
    empty: 'None.',
    more: more(total, Math.min(items.length, c.limit)),
  });
  return renderLayout({
    subject: `Elevate weekly digest: ${c.totals.activations} activations, ${c.totals.newAssignments} new assignments, ${c.totals.pendingRequests} pending, ${c.totals.expiring} expiring`,
    lead: `Privileged access from ${formatInstant(c.week.from)} to ${formatInstant(c.week.sendAt)}, and what ends before ${formatInstant(c.week.until)}.`,
    sections: [
      section(
        'Activations in the last 7 days',
        c.activations,
        c.totals.activations,
        (i) => `${formatInstant(i.at)} ${until(i.end)}`,
      ),
      section(
        'New assignments in the last 7 days',
        c.newAssignments,
        c.totals.newAssignments,
        (i) => `${formatInstant(i.at)} ${until(i.end)}`,
      ),
      section(
        'Requests waiting for approval',
        c.pendingRequests,
        c.totals.pendingRequests,
        (i) => `asked ${formatInstant(i.at)}`,
      ),
      section(
        'Access ending in the next 7 days',
        c.expiring,
        c.totals.expiring,
        (i) => `ends ${formatInstant(i.at)}`,
      ),
    ],
    link: { href: `${portalUrl.replace(/\/+$/, '')}/approvals`, label: 'Open Elevate' },
    footer: 'You receive this weekly digest as a Privileged Role Administrator or Global Administrator.',
  });
}
