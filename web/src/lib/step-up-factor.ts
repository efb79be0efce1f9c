import type { ElevateClient, StepUpResponse } from '../../../src/contracts/browser';
import { answerWithPasskey } from './passkeys';
import { stepUpTarget, type Target } from './targets';

/**
 * What the activation form passes as the "code" when the person chose a passkey: never a valid TOTP code, so
 * it cannot be mistaken for one.
 */
export const passkeyFactor = 'passkey';

/**
 * Steps up for one target with what the person gave: a TOTP code, or (`passkeyFactor`) a passkey answering a
 * challenge the server bound to this target. Either way the answer is a single-use proof for that target.
 */
export async function stepUpWith(
  client: ElevateClient,
  target: Target,
  code: string,
): Promise<StepUpResponse> {
  const body = stepUpTarget(target);
  if (code === passkeyFactor) {
    const options = await client.passkeyStepUpOptions(body);
    return client.stepUp({ ...body, passkey: await answerWithPasskey(options) });
  }
  return client.stepUp({ ...body, totp: code.trim() });
}
