import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { deleteCredentials, readCredentials } from '../credentials.js';
import { commandContext } from '../session.js';

/** `elevate logout`: forgets the saved token. */
export function registerLogout(program: Command, io: CliIo): void {
  program
    .command('logout')
    .description('Forget the saved sign-in')
    .action(async (_opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const stored = await readCredentials(io.env);
      const removed = await deleteCredentials(io.env);
      if (ctx.json) {
        ctx.printJson({
          signedOut: removed,
          server: stored?.server ?? null,
          username: stored?.username ?? null,
        });
        return;
      }
      ctx.print(
        removed && stored ? `Signed out ${stored.username} from ${stored.server}.` : 'Not signed in.',
      );
    });
}
