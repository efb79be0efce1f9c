import { describe, expect, it } from 'vitest';
import { apiErrorFrom } from './api-error.js';

describe('apiErrorFrom', () => {
  it("reads Graph's envelope with its per-rule details", () => {
    const body = JSON.stringify({
      error: {
        code: 'RoleAssignmentRequestPolicyValidationFailed',
        message: 'The following policy rules failed: ["JustificationRule"].',
        innerError: { date: '2026-01-05T09:00:00', 'request-id': 'r', 'client-request-id': 'r' },
        details: [
          {
            code: 'JustificationRule',
            message: 'A justification is required',
            target: 'Enablement_EndUser_Assignment',
          },
        ],
      },
    });
    const e = apiErrorFrom(400, 'Bad Request', body);
    expect(e).toMatchObject({
      status: 400,
      code: 'RoleAssignmentRequestPolicyValidationFailed',
      message: 'The following policy rules failed: ["JustificationRule"].',
      details: [{ code: 'JustificationRule', target: 'Enablement_EndUser_Assignment' }],
    });
  });

  it("reads the native envelope and OAuth's error answer", () => {
    expect(
      apiErrorFrom(401, 'Unauthorized', '{"error":{"code":"auth.invalid_credentials","message":"No."}}'),
    ).toMatchObject({
      status: 401,
      code: 'auth.invalid_credentials',
      message: 'No.',
    });
    expect(
      apiErrorFrom(401, 'Unauthorized', '{"error":"invalid_client","error_description":"Bad secret"}'),
    ).toMatchObject({
      code: 'invalid_client',
      message: 'Bad secret',
    });
  });

  it('falls back to the status line for anything else', () => {
    expect(apiErrorFrom(502, 'Bad Gateway', '<html>proxy</html>').message).toBe(
      'The server answered 502 Bad Gateway: <html>proxy</html>',
    );
    expect(apiErrorFrom(503, 'Service Unavailable', '').message).toBe(
      'The server answered 503 Service Unavailable',
    );
  });
});
