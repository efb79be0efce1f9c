import type { ElevateClient } from '../contracts/elevate-client.js';
import { browserRoundTrip } from './browser-flow.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import type { StepUpTarget } from './step-up.js';

/**
 * `--oidc` step-up: the person authenticates again at the identity provider in the browser (the server asks for
 * `max_age`, `prompt=login` and the target's authentication context); the single-use proof comes back to the CLI's
 * loopback listener. A refusal (stale authentication, no MFA, wrong context) is the server's message, exit 1.
 */
export async function oidcStepUp(io: CliIo, client: ElevateClient, target: StepUpTarget): Promise<string> {
  const result = await browserRoundTrip(io, {
    purpose: 'step up',
    start: async (redirectUri) => (await client.stepUpOidc({ ...target, redirectUri })).authorizationUrl,
  });
  if (result.error) throw new CliError(result.error_description ?? result.error);
  if (!result.proof) throw new CliError('The browser brought back no step-up proof; run the command again.');
  return result.proof;
}
