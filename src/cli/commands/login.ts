import type { Command } from 'commander';
import { isApiError } from '../../contracts/api-error.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { readCredentials, writeCredentials } from '../credentials.js';
import { formatRelative } from '../format/time.js';
import { promptHidden, promptLine, readStdin } from '../prompt.js';
import { anonymousClient, chooseServer, commandContext } from '../session.js';

interface LoginOptions {
  username?: string;
  password?: string;
  passwordStdin?: boolean;
}

/** `elevate login`: signs in with a local account and keeps the token (mode 0600) for later commands. */
export function registerLogin(program: Command, io: CliIo): void {
  program
    .command('login')
    .description(
      'Sign in with a local account; the token is saved in $ELEVATE_CONFIG_DIR/credentials.json (0600)',
    )
    .option('--username <upn>', 'user principal name (asked for when omitted on a terminal)')
    .option(
      '--password <password>',
      'password (visible to other local users in the process list: prefer the prompt or --password-stdin)',
    )
    .option('--password-stdin', 'read the password from stdin')
    .action(async (opts: LoginOptions, command: Command) => {
      const ctx = commandContext(io, command);
      if (opts.password !== undefined && opts.passwordStdin) {
        throw usageError('give --password or --password-stdin, not both');
      }
      const stored = await readCredentials(io.env);
      const server = chooseServer(ctx, stored?.server);
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
      const grant = await client.signIn({ username, password }).catch((error: unknown) => {
        // A refused password is the server's answer, not a missing sign-in: exit 1.
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
