/** An error answer from an Elevate server, whichever surface wrote it, or a server that could not be reached. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** The HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    /** Graph's `error.code` (`RoleAssignmentRequestPolicyValidationFailed`), the native code, or `unreachable`. */
    readonly code: string,
    message: string,
    /** Graph's `error.details`: one entry per broken rule (`target` is the rule id). */
    readonly details: readonly ApiErrorDetail[] = [],
  ) {
    super(message);
  }
}

export interface ApiErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

const maxMessage = 2000;

/**
 * Reads an error response: Graph's and the native API's `{ error: { code, message, details? } }`, OAuth's
 * `{ error, error_description }`, or anything else (then the status line speaks for it).
 */
export function apiErrorFrom(status: number, statusText: string, bodyText: string): ApiError {
  let body: unknown;
  try {
    body = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    body = undefined;
  }
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.message === 'string') {
    const code = typeof error.code === 'string' ? error.code : `http_${status}`;
    const details = Array.isArray(error.details) ? error.details.flatMap(readDetail) : [];
    return new ApiError(status, code, clip(error.message), details);
  }
  if (isRecord(body) && typeof body.error === 'string') {
    const description = typeof body.error_description === 'string' ? body.error_description : body.error;
    return new ApiError(status, body.error, clip(description));
  }
  const text = bodyText.trim() && body === undefined && bodyText.length < 200 ? `: ${bodyText.trim()}` : '';
  return new ApiError(status, `http_${status}`, `The server answered ${status} ${statusText}${text}`.trim());
}

function readDetail(d: unknown): ApiErrorDetail[] {
  if (!isRecord(d) || typeof d.message !== 'string') return [];
  return [
    {
      code: typeof d.code === 'string' ? d.code : '',
      message: clip(d.message),
      ...(typeof d.target === 'string' ? { target: d.target } : {}),
    },
  ];
}

const clip = (s: string): string => (s.length > maxMessage ? `${s.slice(0, maxMessage - 1)}…` : s);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
