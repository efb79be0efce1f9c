/**
 * Scopes are paths: `/` (the directory), `/administrativeUnits/{id}`, or Azure resource paths.
 * Coverage is by whole path segment, so `/subscriptions/A` never covers `/subscriptions/AB`.
 */
export function scopeSegments(scope: string): string[] {
  return scope
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => s.toLowerCase());
}

/** True when an assignment at `parent` applies at `child` (equal, or an ancestor by segments). */
export function scopeCovers(parent: string, child: string): boolean {
  const p = scopeSegments(parent);
  const c = scopeSegments(child);
  if (p.length > c.length) return false;
  return p.every((seg, i) => seg === c[i]);
}

/** The scope and every scope above it, nearest first, ending with `/`. */
export function scopeAncestors(scope: string): string[] {
  const segs = scope.split('/').filter((s) => s.length > 0);
  const out: string[] = [];
  for (let n = segs.length; n > 0; n--) out.push(`/${segs.slice(0, n).join('/')}`);
  out.push('/');
  return out;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Directory scopes Elevate accepts for directory roles: `/` or `/administrativeUnits/{guid}`. */
export function parseDirectoryScope(
  scope: string,
): { kind: 'directory' } | { kind: 'administrativeUnit'; id: string } | null {
  if (scope === '/') return { kind: 'directory' };
  const m = /^\/administrativeUnits\/([^/]+)$/.exec(scope);
  if (m && guid.test(m[1]!)) return { kind: 'administrativeUnit', id: m[1]!.toLowerCase() };
  return null;
}
