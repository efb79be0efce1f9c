import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths pino censors: credentials in headers and in any object logged — passwords, client secrets, TOTP and
 * recovery codes, seeds, step-up proofs and tokens (reliability T13). Request bodies are never logged.
 */
export const redactedLogPaths: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-elevate-step-up"]',
  'req.headers["x-elevate-csrf"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.csrfToken',
  '*.client_secret',
  '*.secretText',
  '*.secret',
  '*.totp',
  '*.code',
  '*.recoveryCode',
  '*.recoveryCodes',
  '*.proof',
  '*.token',
  '*.access_token',
];

/** The server's logger; `destination` lets a test read every line. */
export function createLogger(level: pino.LevelWithSilent, destination?: DestinationStream): Logger {
  const options = { level, redact: [...redactedLogPaths] };
  return destination ? pino(options, destination) : pino(options);
}
