import { isApiError } from '../contracts/api-error.js';
import type { ElevateClient } from '../contracts/elevate-client.js';
import type { GraphScheduleRequest } from '../contracts/graph-types.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { promptLine } from './prompt.js';

const stepUpRules = new Set(['MfaRule', 'AcrsRule']);

/**
 * Sends a self-service request, stepping up when its role needs MFA: with `--totp` the step-up comes first;
 * otherwise, when the server refuses the request for MFA or an authentication context alone, the CLI asks
 * for a code on a terminal (or says to pass --totp), steps up for this role and scope, and sends it again
 * with the single-use proof.
 */
export async function withStepUp(
  io: CliIo,
  args: {
    client: ElevateClient;
    target: { roleDefinitionId: string; directoryScopeId: string };
    totp?: string;
    send: (stepUpProof?: string) => Promise<GraphScheduleRequest>;
  },
): Promise<GraphScheduleRequest> {
  const stepUp = async (totp: string) =>
    (await args.client.stepUp({ ...args.target, totp }).catch(refusedCode)).proof;
  if (args.totp !== undefined) return args.send(await stepUp(args.totp));
  try {
    return await args.send();
  } catch (error) {
    const broken = isApiError(error) ? error.details.map((d) => d.code) : [];
    if (broken.length === 0 || !broken.every((code) => stepUpRules.has(code))) throw error;
    if (io.stdin.isTTY !== true) {
      throw new CliError(
        `${(error as Error).message.split(' Step up for this request')[0]} Pass a code of your authenticator app with --totp CODE.`,
      );
    }
    const code = await promptLine(io, 'This role requires MFA. Authenticator code: ');
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
