import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { formatWhen } from '../format/time.js';
import { commandContext, signedIn } from '../session.js';

/** `elevate whoami`: the signed-in user, as the server sees the token. */
export function registerWhoami(program: Command, io: CliIo): void {
  program
    .command('whoami')
    .description('Show the signed-in user and server')
    .action(async (_opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const session = await signedIn(ctx);
      const me = await session.client.me();
      if (ctx.json) {
        ctx.printJson({
          server: session.server,
          id: me.id,
          userPrincipalName: me.userPrincipalName,
          displayName: me.displayName,
          tokenSource: session.source,
          expiresAt: session.expiresAt ?? null,
        });
        return;
      }
      const expiry = session.expiresAt
        ? `; the sign-in expires ${formatWhen(new Date(session.expiresAt), ctx.now())}`
        : ' (token from ELEVATE_TOKEN)';
      ctx.print(`${me.userPrincipalName} (${me.displayName}) on ${session.server}${expiry}`);
      ctx.print(`id ${me.id}`);
    });
}
