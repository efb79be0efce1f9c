import { ElevateError } from '../../core/errors.js';

/**
 * Checks where a portal sign-in may return to: a path of the portal itself (`/my-roles?x=1`), never another site
 * (`//evil.example`, `/\evil.example`, `https://…`), so the sign-in cannot be used as an open redirect. Answers
 * the path in canonical form; `/` when none is given.
 */
export function portalReturnPath(path: string | undefined): string {
  if (path === undefined || path === '') return '/';
  const refused = new ElevateError(
    'request.invalid',
    `return_to must be a path of the portal, such as /my-roles; '${path.slice(0, 200)}' is not one.`,
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (path.length > 512 || !path.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(path)) throw refused;
  const base = 'http://portal.invalid';
  let url: URL;
  try {
    url = new URL(path, base);
  } catch {
    throw refused;
  }
  if (url.origin !== base || path.startsWith('//')) throw refused;
  return `${url.pathname}${url.search}${url.hash}`;
}
