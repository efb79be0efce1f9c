import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { deferredChildLogger } from './deferred-child-logger.js';
import { createLogger } from './logger.js';

/** A logger writing to an array, with a count of the children made from it. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  let children = 0;
  const child = logger.child;
  logger.child = function (this: typeof logger, ...args: Parameters<typeof child>) {
    children++;
    return child.apply(this, args);
  } as typeof logger.child;
  return { lines, logger: logger as unknown as FastifyBaseLogger, children: () => children };
}

describe('deferredChildLogger', () => {
  it('drops the lines below its level without making the child', () => {
    const { lines, logger, children } = capture();
    const log = deferredChildLogger(logger, { reqId: 'r-1' }, { level: 'warn' });
    expect(log.level).toBe('warn');
    log.info({ req: { url: '/x' } }, 'incoming request');
    log.debug('detail');
    log.trace('more');
    expect(lines).toEqual([]);
    expect(children()).toBe(0);
  });

  it('writes the lines at or above its level as the child would, bindings and redaction included', () => {
    const { lines, logger, children } = capture();
    const log = deferredChildLogger(logger, { reqId: 'r-2' }, { level: 'warn' });
    log.warn({ body: { password: 'hunter2-hunter2' } }, 'odd');
    log.error({ err: new Error('broke') }, 'unhandled error');
    log.info('still dropped');
    expect(children()).toBe(1);
    expect(lines).toMatchObject([
      { level: 40, reqId: 'r-2', msg: 'odd', body: { password: '[Redacted]' } },
      { level: 50, reqId: 'r-2', msg: 'unhandled error', err: { message: 'broke' } },
    ]);
    expect(lines).toHaveLength(2);
  });

  it('inherits the parent level when the route sets none, and hands out real grandchildren', () => {
    const { lines, logger } = capture();
    const log = deferredChildLogger(logger, { reqId: 'r-3' }, {});
    expect(log.level).toBe('info');
    log.info('kept');
    log.child({ part: 'x' }).info('nested');
    expect(lines).toMatchObject([
      { reqId: 'r-3', msg: 'kept' },
      { reqId: 'r-3', part: 'x', msg: 'nested' },
    ]);
  });
});
