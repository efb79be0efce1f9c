import { ElevateError } from '../../core/errors.js';

/**
 * Checks where a browser sign-in may return to: a loopback address of the machine that started it
 * (`http://127.0.0.1:<port>/…` or `http://localhost:<port>/…`, RFC 8252 §7.3), where the CLI listens. Any other
 * address could carry the token away, so it is refused. Answers the URL in canonical form.
 */
export function loopbackRedirect(uri: string): string {
  const refused = new ElevateError(
    'request.invalid',
    `redirect_uri must be a loopback address with a port, such as http://127.0.0.1:53682/callback (http://localhost:<port>/… also); '${uri.slice(0, 200)}' is not one.`,
  );
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw refused;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'http:' || !loopback || url.port === '' || url.username || url.password || url.hash) {
    throw refused;
  }
  if (uri.length > 512) throw refused;
  return url.href;
}
