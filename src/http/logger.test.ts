import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('censors credentials wherever they sit in a logged object', () => {
    const lines: string[] = [];
    const log = createLogger('trace', { write: (line: string) => void lines.push(line) });
    log.info(
      {
        req: { headers: { authorization: 'Bearer eyJ.secret', 'x-elevate-step-up': 'elv_su_secret' } },
        body: { password: 'hunter2-hunter2', totp: '123456', recoveryCode: 'abcd-efgh', token: 'elv_pat_x' },
        enrolment: { secret: 'JBSWY3DPEHPK3PXP', proof: 'elv_su_y', code: '654321' },
      },
      'sign-in',
    );
    const out = lines.join('');
    for (const secret of [
      'eyJ.secret',
      'elv_su_secret',
      'hunter2',
      '123456',
      'abcd-efgh',
      'elv_pat_x',
      'JBSWY3DP',
      'elv_su_y',
      '654321',
    ])
      expect(out).not.toContain(secret);
    expect(out).toContain('[Redacted]');
  });
});
