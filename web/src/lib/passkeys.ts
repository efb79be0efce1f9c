import {
  browserSupportsWebAuthn,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import type { PasskeyAssertion, PasskeyAttestation, PasskeyOptions } from '../../../src/contracts/browser';

/** Whether this browser can use passkeys at all (WebAuthn, in a secure context). */
export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

/** Asks the browser for a passkey's answer to the server's options (`navigator.credentials.get()`). */
export async function answerWithPasskey(options: PasskeyOptions): Promise<PasskeyAssertion> {
  const answer = await startAuthentication({
    optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
  });
  return answer as PasskeyAssertion;
}

/** Asks the browser to create a passkey for the server's options (`navigator.credentials.create()`). */
export async function createPasskey(options: PasskeyOptions): Promise<PasskeyAttestation> {
  const answer = await startRegistration({
    optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
  });
  return answer as PasskeyAttestation;
}

/** What to tell the person when the browser's passkey prompt failed. */
export function passkeyErrorMessage(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError') return 'The passkey prompt was cancelled or timed out. Try again.';
  if (name === 'InvalidStateError') return 'This passkey is registered already.';
  if (name === 'SecurityError') {
    return 'Passkeys do not work at this address: the server must be reached by a host name (not an IP address) matching its public URL.';
  }
  return error instanceof Error ? error.message : 'The passkey could not be used.';
}
