import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createLogger } from '../../src/http/logger.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';

// POST /api/v1/access/decide logs at `warn` and above only, and makes the request's child logger only when it
// writes such a line (src/http/deferred-child-logger.ts): an answer writes nothing, an internal error is still
// logged with the request id its envelope names.

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('POST /api/v1/access/decide: what it logs', () => {
  let t: TestApp;
  let reader: TestUser;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    t = await createTestApp(await createTestDatabase('pglite'), {
      logger: createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) }),
    });
    reader = await t.givenUser('Reader', { roles: [roles.globalReader] });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    lines.length = 0;
  });

  const body = () => ({
    queries: [{ principalId: reader.id, action: 'microsoft.directory/users/password/update', scope: '/' }],
  });

  it('writes no line for an answer or a refused body, while other routes log each request', async () => {
    const answered = await t.graph(reader, 'POST', '/api/v1/access/decide', body());
    expect(answered.status).toBe(200);
    const refused = await t.graph(reader, 'POST', '/api/v1/access/decide', { queries: [] });
    expect(refused.status).toBe(400);
    expect(lines).toEqual([]);

    await t.graph(reader, 'GET', '/healthz');
    expect(lines.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    expect(lines[0]?.reqId).toMatch(uuidV7);
  });

  it('logs an internal error at error level with the request id of its envelope, and no credential', async () => {
    const access = t.services.access;
    const decideColumns = access.decideColumns;
    access.decideColumns = async () => {
      throw new Error('the index broke');
    };
    try {
      const res = await t.graph(reader, 'POST', '/api/v1/access/decide', body());
      expect(res.status).toBe(500);
      const requestId = (res.body as { error: { requestId: string } }).error.requestId;
      expect(requestId).toMatch(uuidV7);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 50,
        reqId: requestId,
        msg: 'unhandled error',
        err: { message: 'the index broke' },
      });
      expect(JSON.stringify(lines)).not.toContain(reader.token);
    } finally {
      access.decideColumns = decideColumns;
    }
  });
});
