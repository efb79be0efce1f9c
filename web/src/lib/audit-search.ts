/** How far back the audit page looks: a window ending now, or a range of the reader's own. */
export type AuditPeriod = 'any' | '24h' | '7d' | '30d' | 'custom';

export const auditPeriods: readonly { value: AuditPeriod; label: string }[] = [
  { value: 'any', label: 'Any time' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'custom', label: 'Between…' },
];

const periodMs: Record<'24h' | '7d' | '30d', number> = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** What the reader asked for; empty text means "any". */
export interface AuditCriteria {
  readonly period: AuditPeriod;
  /** `datetime-local` values (the reader's time zone), used when `period` is `custom`. */
  readonly from: string;
  readonly to: string;
  /** The start of who did it: a user's or an app's display name. */
  readonly actor: string;
  /** The start of the activity: "Add member to role", "Update role setting"… */
  readonly activity: string;
  /** The start of a target's display name: a role, a user, a group, a policy. */
  readonly target: string;
  readonly category: string;
  readonly result: '' | 'success' | 'failure';
}

export const emptyCriteria: AuditCriteria = {
  period: 'any',
  from: '',
  to: '',
  actor: '',
  activity: '',
  target: '',
  category: '',
  result: '',
};

/** A string literal inside an OData `$filter`: single quotes doubled. */
const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** An instant as OData writes it (no quotes), or null when the text is not a date-time. */
function instant(local: string): string | null {
  const at = new Date(local);
  return local === '' || Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** Problems with the criteria, by field; a search is only run without any. */
export function criteriaErrors(c: AuditCriteria): Partial<Record<keyof AuditCriteria, string>> {
  if (c.period !== 'custom') return {};
  const from = instant(c.from);
  const to = instant(c.to);
  if (c.from !== '' && from === null) return { from: 'Enter a date and time.' };
  if (c.to !== '' && to === null) return { to: 'Enter a date and time.' };
  if (from !== null && to !== null && from >= to) return { to: 'Must be after the start.' };
  return {};
}

/**
 * The criteria as a directoryAudits `$filter` (research §7), or undefined for everything. Text matches the start
 * of a name, as Graph's `startswith` does; `nowMs` ends the relative periods.
 */
export function auditFilter(c: AuditCriteria, nowMs: number): string | undefined {
  const terms: string[] = [];
  if (c.period === 'custom') {
    const from = instant(c.from);
    const to = instant(c.to);
    if (from !== null) terms.push(`activityDateTime ge ${from}`);
    if (to !== null) terms.push(`activityDateTime lt ${to}`);
  } else if (c.period !== 'any') {
    terms.push(`activityDateTime ge ${new Date(nowMs - periodMs[c.period]).toISOString()}`);
  }
  const actor = c.actor.trim();
  if (actor !== '') {
    terms.push(
      `(startswith(initiatedBy/user/displayName,${literal(actor)}) or startswith(initiatedBy/app/displayName,${literal(actor)}))`,
    );
  }
  const activity = c.activity.trim();
  if (activity !== '') terms.push(`startswith(activityDisplayName,${literal(activity)})`);
  const target = c.target.trim();
  if (target !== '') terms.push(`targetResources/any(t: startswith(t/displayName,${literal(target)}))`);
  if (c.category !== '') terms.push(`category eq ${literal(c.category)}`);
  if (c.result !== '') terms.push(`result eq ${literal(c.result)}`);
  return terms.length === 0 ? undefined : terms.join(' and ');
}

/** Who did it, for people: the user's or app's name, or "—". */
export function actorName(initiatedBy: {
  readonly user?: { readonly displayName: string | null; readonly id: string } | null;
  readonly app?: { readonly displayName: string | null; readonly appId: string | null } | null;
}): string {
  if (initiatedBy.user) return initiatedBy.user.displayName ?? initiatedBy.user.id;
  if (initiatedBy.app) return `${initiatedBy.app.displayName ?? initiatedBy.app.appId ?? 'App'} (app)`;
  return '—';
}

/** The page's address holds the search (`?actor=Ada&period=7d`), so it survives a reload and can be shared. */
export type AuditSearchParams = Partial<Record<keyof AuditCriteria, string>>;

const periodValues = new Set<string>(auditPeriods.map((p) => p.value));

/** Reads the address: known fields only, each a bounded string; anything else is left out. */
export function auditSearchParams(search: Record<string, unknown>): AuditSearchParams {
  const out: Record<string, string> = {};
  for (const key of Object.keys(emptyCriteria) as (keyof AuditCriteria)[]) {
    const v = search[key];
    if (typeof v === 'string' && v !== '' && v.length <= 256) out[key] = v;
  }
  if (out.period !== undefined && !periodValues.has(out.period)) delete out.period;
  if (out.result !== undefined && out.result !== 'success' && out.result !== 'failure') delete out.result;
  return out;
}

export function criteriaFromParams(p: AuditSearchParams): AuditCriteria {
  return {
    ...emptyCriteria,
    ...p,
    period: (p.period as AuditPeriod | undefined) ?? 'any',
    result: p.result === 'success' || p.result === 'failure' ? p.result : '',
  };
}

/** The criteria as the address holds them: empty fields left out. */
export function paramsFromCriteria(c: AuditCriteria): AuditSearchParams {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c)) if (v !== '' && !(k === 'period' && v === 'any')) out[k] = v;
  return out;
}
