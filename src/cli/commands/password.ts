import type { Command } from 'commander';
import { isApiError } from '../../contracts/api-error.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { promptHidden, readStdin } from '../prompt.js';
import { commandContext, signedIn } from '../session.js';

/** `elevate password`: the signed-in user changes their local password (12 to 256 characters). */
export function registerPassword(program: Command, io: CliIo): void {
  program
    .command('password')
    .description('Change my local password; my other portal sessions end')
    .option('--stdin', 'read the current password, then the new one, from two lines of stdin')
    .action(async (opts: { stdin?: boolean }, command: Command) => {
      const ctx = commandContext(io, command);
      let currentPassword: string;
      let newPassword: string;
      if (opts.stdin) {
        const [current = '', next = ''] = (await readStdin(io)).split(/\r?\n/);
        currentPassword = current;
        newPassword = next;
      } else if (io.stdin.isTTY === true) {
        currentPassword = await promptHidden(io, 'Current password: ');
        newPassword = await promptHidden(io, 'New password (12 characters or more): ');
        if ((await promptHidden(io, 'New password again: ')) !== newPassword) {
          throw new CliError('The two new passwords differ; nothing was changed.');
        }
      } else {
        throw usageError(
          'stdin is not a terminal: give --stdin with the current and the new password on two lines',
        );
      }
      if (!currentPassword || !newPassword)
        throw usageError('both the current and the new password are required');
      const { client } = await signedIn(ctx);
      const changed = await client
        .changePassword({ currentPassword, newPassword })
        .catch((error: unknown) => {
          throw isApiError(error) && [400, 401, 403].includes(error.status)
            ? new CliError(error.message)
            : error;
        });
      if (ctx.json) {
        ctx.printJson({ changed: true, ...changed });
        return;
      }
      ctx.print(
        `Password changed.${changed.endedSessions > 0 ? ` ${changed.endedSessions} portal session${changed.endedSessions === 1 ? '' : 's'} signed out.` : ''}`,
      );
    });
}
