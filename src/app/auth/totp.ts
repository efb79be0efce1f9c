import { generate, generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30-second steps. */
const period = 30;

/** A new random TOTP seed (160 bits, base32). */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

/** The `otpauth://` URI an authenticator app scans. */
export const totpUri = (secret: string, account: string): string =>
  generateURI({ issuer: 'Elevate', label: account, secret, period });

/** The time step a moment falls in. */
export const totpStep = (at: Date): number => Math.floor(at.getTime() / 1000 / period);

/**
 * Checks a code at `now`, accepting one step of clock drift either way, but only for a step after
 * `afterStep` (the last accepted one), so a code is accepted once and never again (RFC 6238 §5.2).
 * Answers the matched step, to be stored as the new `afterStep`.
 */
export async function verifyTotp(args: {
  secret: string;
  code: string;
  now: Date;
  afterStep: number | null;
}): Promise<{ valid: true; step: number } | { valid: false; replayed: boolean }> {
  if (!/^\d{6}$/.test(args.code)) return { valid: false, replayed: false };
  const epoch = Math.floor(args.now.getTime() / 1000);
  const options = { secret: args.secret, token: args.code, epoch, period, epochTolerance: period };
  const fresh = await verify({
    ...options,
    ...(args.afterStep !== null ? { afterTimeStep: args.afterStep } : {}),
  });
  if (fresh.valid && 'timeStep' in fresh) return { valid: true, step: fresh.timeStep };
  // Tell a replay from a wrong code, so the person is told to wait for the next code rather than retype.
  const any = args.afterStep !== null ? await verify(options) : fresh;
  return { valid: false, replayed: any.valid };
}

/** The code for a moment (tests and the CLI's own checks; the server never needs it). */
export const totpCode = (secret: string, at: Date): Promise<string> =>
  generate({ secret, epoch: Math.floor(at.getTime() / 1000), period });
