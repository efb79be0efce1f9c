import type { Command } from 'commander';
import { isApiError } from '../../contracts/api-error.js';
import type { MfaStatusResponse } from '../../contracts/auth-schemas.js';
import type { ElevateClient } from '../../contracts/elevate-client.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { formatWhen } from '../format/time.js';
import { promptLine } from '../prompt.js';
import { type CommandContext, commandContext, signedIn } from '../session.js';

/** A user by UPN or id, as the server knows them. */
async function userOf(client: ElevateClient, who: string) {
  return client.getUser(who.trim()).catch((error: unknown) => {
    if (isApiError(error) && error.status === 404) throw usageError(`no user '${who}'`);
    throw error;
  });
}

function printStatus(ctx: CommandContext, who: string, s: MfaStatusResponse): void {
  if (ctx.json) {
    ctx.printJson({ user: who, ...s });
    return;
  }
  const app =
    s.totp === 'confirmed'
      ? `authenticator app enrolled ${s.confirmedDateTime ? formatWhen(new Date(s.confirmedDateTime), ctx.now()) : ''}`.trim()
      : s.totp === 'pending'
        ? 'authenticator app enrolment started, not confirmed'
        : 'no authenticator app';
  const passkeys = s.passkeys > 0 ? ` ${s.passkeys} passkey${s.passkeys === 1 ? '' : 's'}.` : '';
  ctx.print(
    `${who}: ${app}; ${s.recoveryCodesLeft} recovery code${s.recoveryCodesLeft === 1 ? '' : 's'} left.${passkeys}`,
  );
}

/** Confirms enrolment and shows the recovery codes, this once. */
async function confirm(ctx: CommandContext, client: ElevateClient, code: string): Promise<void> {
  const { recoveryCodes } = await client.confirmTotp(code.trim()).catch((error: unknown) => {
    throw isApiError(error) && error.status === 403 ? new CliError(error.message) : error;
  });
  if (ctx.json) {
    ctx.printJson({ confirmed: true, recoveryCodes });
    return;
  }
  ctx.print('Authenticator app confirmed. Keep these recovery codes somewhere safe; each works once:');
  for (const c of recoveryCodes) ctx.print(`  ${c}`);
}

/** `elevate mfa enroll|confirm|status|reset`: the signed-in user's authenticator app, and an admin's reset. */
export function registerMfa(program: Command, io: CliIo): void {
  const mfa = program
    .command('mfa')
    .description('My authenticator app (TOTP), and resetting a user’s factors');

  mfa
    .command('enroll')
    .description(
      'Enrol an authenticator app: shows the secret and otpauth:// URI once, then asks for a code (or use mfa confirm)',
    )
    .option('--code <code>', 'confirm at once with this code (only useful with a secret already in the app)')
    .action(async (opts: { code?: string }, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      const started = await client.startTotpEnrolment().catch((error: unknown) => {
        throw isApiError(error) && error.status === 409 ? new CliError(error.message) : error;
      });
      if (ctx.json && opts.code === undefined) {
        ctx.printJson(started);
        return;
      }
      if (!ctx.json) {
        ctx.print(
          'Add this account to your authenticator app (scan the URI as a QR code, or type the secret):',
        );
        ctx.print(`  secret: ${started.secret}`);
        ctx.print(`  URI:    ${started.otpauthUri}`);
      }
      const code =
        opts.code ?? (io.stdin.isTTY === true ? await promptLine(io, 'Code shown by the app: ') : undefined);
      if (code === undefined) {
        ctx.print("Then confirm with 'elevate mfa confirm CODE'.");
        return;
      }
      await confirm(ctx, client, code);
    });

  mfa
    .command('confirm')
    .description(
      'Confirm the authenticator app being enrolled with its current code; shows the recovery codes once',
    )
    .argument('<code>', 'the 6-digit code the app shows now')
    .action(async (code: string, _opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      await confirm(ctx, client, code);
    });

  mfa
    .command('status')
    .description('Which second factors I have (or USER has, for authentication administrators)')
    .argument('[user]', 'user principal name or id')
    .action(async (user: string | undefined, _opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      if (user === undefined) {
        const me = await client.me();
        printStatus(ctx, me.userPrincipalName, await client.mfaStatus());
        return;
      }
      const target = await userOf(client, user);
      printStatus(ctx, target.userPrincipalName, await client.mfaStatus(target.id));
    });

  mfa
    .command('reset')
    .description(
      "Remove a user's authenticator app and recovery codes (Authentication, Privileged Authentication or Global Administrator)",
    )
    .argument('<user>', 'user principal name or id')
    .action(async (user: string, _opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      const target = await userOf(client, user);
      await client.resetMfa(target.id);
      if (ctx.json) {
        ctx.printJson({ user: target.userPrincipalName, reset: true });
        return;
      }
      ctx.print(
        `Reset the second factors of ${target.userPrincipalName}; they enrol again at their next sign-in.`,
      );
    });
}
