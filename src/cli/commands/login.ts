import type { Command } from 'commander';
import { isApiError } from '../../contracts/api-error.js';
import { createElevateClient } from '../../contracts/elevate-client.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { readCredentials, writeCredentials } from '../credentials.js';
import { formatRelative } from '../format/time.js';
import { oidcLogin } from '../oidc-login.js';
import { promptHidden, promptLine, readStdin } from '../prompt.js';
import { anonymousClient, type CommandContext, chooseServer, commandContext } from '../session.js';

interface LoginOptions {
  username?: string;
  password?: string;
  passwordStdin?: boolean;
  totp?: string;
  token?: string;
  oidc?: boolean;
}

/**
 * `elevate login`: signs in with a local account (or, with --oidc, at the identity provider in the browser) and
 * keeps the token (mode 0600) for later commands.
 */
export function registerLogin(program: Command, io: CliIo): void {
  program
    .command('login')
    .description(
      'Sign in with a local account (or --oidc: your identity provider); the token is saved in $ELEVATE_CONFIG_DIR/credentials.json (0600)',
    )
    .option('--username <upn>', 'user principal name (asked for when omitted on a terminal)')
    .option(
      '--password <password>',
      'password (visible to other local users in the process list: prefer the prompt or --password-stdin)',
    )
    .option('--password-stdin', 'read the password from stdin')
    .option(
      '--totp <code>',
      'the 6-digit code of your authenticator app (asked for on a terminal when needed)',
    )
    .option('--token <pat>', 'keep a personal access token (elv_pat_…) instead of signing in with a password')
    .option('--oidc', 'sign in at your identity provider in the browser (single sign-on)')
    .action(async (opts: LoginOptions, command: Command) => {
      const ctx = commandContext(io, command);
      if (opts.password !== undefined && opts.passwordStdin) {
        throw usageError('give --password or --password-stdin, not both');
      }
      const stored = await readCredentials(io.env);
      const server = chooseServer(ctx, stored?.server);
      if (opts.oidc) {
        const other = [opts.username, opts.password, opts.passwordStdin, opts.totp, opts.token];
        if (other.some((o) => o !== undefined)) {
          throw usageError(
            '--oidc signs in at your identity provider; give it without a user name, password, code or token',
          );
        }
        await oidcLogin(ctx, server);
        return;
      }
      if (opts.token !== undefined) {
        if (opts.password !== undefined || opts.passwordStdin || opts.totp !== undefined) {
          throw usageError('--token replaces the password and code; give it alone');
        }
        await keepToken(ctx, server, opts.token);
        return;
      }
      const interactive = io.stdin.isTTY === true;
      const username =
        opts.username ??
        (interactive && !opts.passwordStdin ? await promptLine(io, 'User name: ') : undefined);
      if (!username) {
        throw usageError('--username is required (stdin is not a terminal, so it cannot be asked for)');
      }
      const password = opts.passwordStdin
        ? await readStdin(io)
        : (opts.password ?? (interactive ? await promptHidden(io, `Password for ${username}: `) : undefined));
      if (!password) {
        throw usageError(
          'a password is required: use --password-stdin (stdin is not a terminal, so it cannot be asked for)',
        );
      }

      const client = anonymousClient(ctx, server);
      const attempt = (totp?: string) =>
        client.signIn({ username, password, ...(totp !== undefined ? { totp } : {}) });
      const grant = await attempt(opts.totp)
        .catch(async (error: unknown) => {
          // The account has an authenticator: ask for its code on a terminal, else say how to pass it.
          if (!isApiError(error) || error.code !== 'auth.mfa_required') throw error;
          if (!interactive || opts.passwordStdin) {
            throw usageError(
              `${username} signs in with an authenticator app: pass its current code with --totp CODE`,
            );
          }
          return attempt(await promptLine(io, 'Authenticator code: '));
        })
        .catch((error: unknown) => {
          // A refused password or code is the server's answer, not a missing sign-in: exit 1.
          throw isApiError(error) && error.status === 401 ? new CliError(error.message) : error;
        });
      const now = ctx.now();
      const expiresAt = new Date(now.getTime() + grant.expires_in * 1000);
      const path = await writeCredentials(io.env, {
        server,
        token: grant.access_token,
        expiresAt: expiresAt.toISOString(),
        username,
      });
      if (ctx.json) {
        ctx.printJson({ server, username, expiresAt: expiresAt.toISOString(), credentialsFile: path });
        return;
      }
      ctx.print(
        `Signed in to ${server} as ${username}; the sign-in expires ${formatRelative(expiresAt, now)}.`,
      );
    });
}

/** `--token`: checks a personal access token with the server and keeps it like a sign-in. */
async function keepToken(ctx: CommandContext, server: string, token: string): Promise<void> {
  if (!token.startsWith('elv_pat_')) throw usageError('--token takes a personal access token (elv_pat_…)');
  const client = createElevateClient({
    baseUrl: server,
    token,
    ...(ctx.io.fetch ? { fetch: ctx.io.fetch } : {}),
  });
  const me = await client.me().catch((error: unknown) => {
    throw isApiError(error) && error.status === 401 ? new CliError(error.message) : error;
  });
  const mine = await client.listTokens().catch(() => []);
  const listed = mine.find((t) => token.startsWith(t.hint.replace(/…$/, '')) && t.revokedDateTime === null);
  const now = ctx.now();
  const expiresAt = listed?.expiresDateTime ?? new Date(now.getTime() + 365 * 86_400_000).toISOString();
  const path = await writeCredentials(ctx.io.env, {
    server,
    token,
    expiresAt,
    username: me.userPrincipalName,
  });
  if (ctx.json) {
    ctx.printJson({
      server,
      username: me.userPrincipalName,
      expiresAt,
      credentialsFile: path,
      tokenSource: 'personalAccessToken',
    });
    return;
  }
  ctx.print(
    `Signed in to ${server} as ${me.userPrincipalName} with a personal access token; it expires ${formatRelative(new Date(expiresAt), now)}.`,
  );
}
