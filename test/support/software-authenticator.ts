import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A WebAuthn authenticator in software, for server-side tests: one ES256 key pair from node:crypto, attestation
 * `none`, a signature counter. It answers registration and authentication options the way a browser's
 * `PublicKeyCredential.toJSON()` does, with the real byte layouts (WebAuthn §6.1 authenticator data, CBOR
 * attestation object, COSE key, DER ECDSA signature) so the server's verification runs unchanged.
 */
export interface SoftwareAuthenticator {
  readonly credentialId: string;
  /** Answers `navigator.credentials.create()` for these options. */
  register(options: { challenge: string }): RegistrationJson;
  /** Answers `navigator.credentials.get()`; `counter` forces the signature counter (a cloned key's answer). */
  assert(options: { challenge: string }, opts?: { counter?: number; origin?: string }): AssertionJson;
}

export interface RegistrationJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: 'cross-platform';
}

export interface AssertionJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: 'cross-platform';
}

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();
const b64url = (data: Uint8Array): string => Buffer.from(data).toString('base64url');

const flags = { userPresent: 0x01, userVerified: 0x04, attestedCredentialData: 0x40 } as const;

export function createSoftwareAuthenticator(
  options: { rpId?: string; origin?: string } = {},
): SoftwareAuthenticator {
  const rpId = options.rpId ?? 'localhost';
  const origin = options.origin ?? 'http://localhost';
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const credentialId = randomBytes(16);
  let counter = 0;

  // COSE_Key (RFC 9053): kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
  const coseKey = isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y ?? '', 'base64url'))],
    ]),
  );

  function authenticatorData(signCount: number, attested: boolean): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(signCount);
    const head = Buffer.concat([
      sha256(rpId),
      Buffer.from([flags.userPresent | flags.userVerified | (attested ? flags.attestedCredentialData : 0)]),
      count,
    ]);
    if (!attested) return head;
    const length = Buffer.alloc(2);
    length.writeUInt16BE(credentialId.length);
    // AAGUID of zeros: attestation `none` names no authenticator model.
    return Buffer.concat([head, Buffer.alloc(16), length, credentialId, Buffer.from(coseKey)]);
  }

  const clientData = (type: string, challenge: string, at = origin) =>
    Buffer.from(JSON.stringify({ type, challenge, origin: at, crossOrigin: false }), 'utf8');

  return {
    credentialId: b64url(credentialId),

    register({ challenge }) {
      const attestationObject = isoCBOR.encode(
        new Map<string, string | Uint8Array | Map<string, never>>([
          ['fmt', 'none'],
          ['attStmt', new Map<string, never>()],
          ['authData', new Uint8Array(authenticatorData(counter, true))],
        ]),
      );
      return {
        id: b64url(credentialId),
        rawId: b64url(credentialId),
        type: 'public-key',
        response: {
          clientDataJSON: b64url(clientData('webauthn.create', challenge)),
          attestationObject: b64url(attestationObject),
          transports: ['usb'],
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'cross-platform',
      };
    },

    assert({ challenge }, opts = {}) {
      counter = opts.counter ?? counter + 1;
      const data = authenticatorData(counter, false);
      const client = clientData('webauthn.get', challenge, opts.origin);
      const signature = sign('sha256', Buffer.concat([data, sha256(client)]), privateKey);
      return {
        id: b64url(credentialId),
        rawId: b64url(credentialId),
        type: 'public-key',
        response: {
          clientDataJSON: b64url(client),
          authenticatorData: b64url(data),
          signature: b64url(signature),
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'cross-platform',
      };
    },
  };
}
