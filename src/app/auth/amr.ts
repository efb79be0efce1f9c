/**
 * Authentication method references (`amr`, RFC 8176 and values providers use) that show more than a password:
 * `mfa` (multiple factors), `mca` (multiple channels), `otp` (one-time code), `hwk` and `swk` (proof of a hardware
 * or software key), `sc` (smart card), `fido` (FIDO2 security key or passkey, as Entra ID reports it) and
 * `ngcmfa` (Windows Hello, Entra ID). An `amr` holding any of them counts as a multi-factor authentication;
 * `pwd`, `kba` (a recovery code), `sms` or `tel` alone do not. Local sign-ins carry `pwd` plus `otp` (TOTP) or
 * `kba` (recovery code); an OIDC sign-in carries the provider's own list.
 */
const multiFactorAmr: readonly string[] = ['mfa', 'mca', 'otp', 'hwk', 'swk', 'sc', 'fido', 'ngcmfa'];

/** Whether an `amr` list shows a multi-factor authentication (see `multiFactorAmr`). */
export const showsMultiFactor = (amr: readonly unknown[]): boolean =>
  amr.some((m) => typeof m === 'string' && multiFactorAmr.includes(m));
