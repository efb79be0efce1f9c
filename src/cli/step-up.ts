import { isApiError } from '../contracts/api-error.js';
import type { ElevateClient } from '../contracts/elevate-client.js';
import type { GroupAccessId } from '../contracts/graph-types.js';
import { CliError, usageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { oidcStepUp } from './oidc-step-up.js';
import { promptLine } from './prompt.js';

const stepUpRules = new Set(['MfaRule', 'AcrsRule']);

/** What a step-up is for: a directory role at a scope, or a group's membership or ownership. */
export type StepUpTarget =
  | { readonly roleDefinitionId: string; readonly directoryScopeId: string }
  | { readonly groupId: string; readonly accessId: GroupAccessId };

/**
 * Sends a self-service request, stepping up when its target needs MFA: with `--totp` the step-up comes first;
 * otherwise, when the server refuses the request for MFA or an authentication context alone, the CLI steps up
 * at the identity provider in the browser (`--oidc`) or asks for a code on a terminal (or says to pass --totp or
 * --oidc), steps up for this target, and sends it again with the single-use proof.
 */
export async function withStepUp<T>(
  io: CliIo,
  args: {
    client: ElevateClient;
    target: StepUpTarget;
    totp?: string;
    /** `--oidc`: when the request needs a step-up, make it at the identity provider in the browser. */
    oidc?: boolean;
    send: (stepUpProof?: string) => Promise<T>;
  },
): Promise<T> {
  const stepUp = async (totp: string) =>
    (await args.client.stepUp({ ...args.target, totp }).catch(refusedCode)).proof;
  if (args.totp !== undefined && args.oidc) throw usageError('give --totp or --oidc, not both');
  if (args.totp !== undefined) return args.send(await stepUp(args.totp));
  try {
    return await args.send();
  } catch (error) {
    const broken = isApiError(error) ? error.details.map((d) => d.code) : [];
    if (broken.length === 0 || !broken.every((code) => stepUpRules.has(code))) throw error;
    if (args.oidc) return args.send(await oidcStepUp(io, args.client, args.target));
    if (io.stdin.isTTY !== true) {
      throw new CliError(
        `${(error as Error).message.split(' Step up for this request')[0]} Pass a code of your authenticator app with --totp CODE, or step up at your identity provider with --oidc.`,
      );
    }
    const what =
      'groupId' in args.target
        ? `This group's ${args.target.accessId === 'owner' ? 'ownership' : 'membership'}`
        : 'This role';
    const code = await promptLine(io, `${what} requires MFA. Authenticator code: `);
    return args.send(await stepUp(code));
  }
}

/** A wrong or spent code is the server's answer about the code: exit 1 with its message. */
function refusedCode(error: unknown): never {
  if (isApiError(error) && (error.status === 403 || error.status === 400 || error.status === 429)) {
    throw new CliError(error.message);
  }
  throw error;
}
