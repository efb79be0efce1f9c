import { createElevateClient } from '../contracts/elevate-client.js';
import { browserRoundTrip } from './browser-flow.js';
import { CliError } from './cli-error.js';
import { writeCredentials } from './credentials.js';
import { formatRelative } from './format/time.js';
import { anonymousClient, type CommandContext } from './session.js';

/**
 * `elevate login --oidc`: single sign-on in the browser. The server sends the browser to the identity provider and
 * back to the CLI's loopback listener with a token, which is kept like a password sign-in's.
 */
export async function oidcLogin(ctx: CommandContext, server: string): Promise<void> {
  const client = anonymousClient(ctx, server);
  const result = await browserRoundTrip(ctx.io, {
    purpose: 'sign in',
    start: (redirectUri) => client.oidcSignInUrl(redirectUri),
  });
  if (result.error) throw new CliError(result.error_description ?? result.error);
  const token = result.access_token;
  const expiresIn = Number(result.expires_in);
  if (!token || !Number.isFinite(expiresIn))
    throw new CliError('The browser brought back no token; sign in again.');
  const me = await createElevateClient({
    baseUrl: server,
    token,
    ...(ctx.io.fetch ? { fetch: ctx.io.fetch } : {}),
  }).me();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + expiresIn * 1000);
  const username = me.userPrincipalName;
  const path = await writeCredentials(ctx.io.env, {
    server,
    token,
    expiresAt: expiresAt.toISOString(),
    username,
  });
  if (ctx.json) {
    ctx.printJson({
      server,
      username,
      expiresAt: expiresAt.toISOString(),
      credentialsFile: path,
      tokenSource: 'oidc',
    });
    return;
  }
  ctx.print(
    `Signed in to ${server} as ${username} through your identity provider; the sign-in expires ${formatRelative(expiresAt, now)}.`,
  );
}
