import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { Logger } from 'pino';
import { createLogger, requestChildLogger } from '../src/logger.js';

/** The server's logger, writing its JSON lines into an array. */
function capturingLogger(level: string): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

test('a request logger writes its request id on every line and redacts like its parent', () => {
  const { logger, lines } = capturingLogger('info');
  const child = requestChildLogger(logger, { reqId: 'req-1' }, {});
  child.info({ client_secret: 's3cret' }, 'hello');
  child.child({ step: 'two' }).warn('nested');
  logger.info('no request');
  assert.equal(lines.length, 3);
  assert.equal(lines[0]!.reqId, 'req-1');
  assert.equal(lines[0]!.client_secret, '[Redacted]');
  assert.equal(lines[1]!.reqId, 'req-1');
  assert.equal(lines[1]!.step, 'two');
  assert.equal(lines[2]!.reqId, undefined);
});

test("a request logger follows its parent's level, and its own level change stays its own", () => {
  const { logger, lines } = capturingLogger('warn');
  const child = requestChildLogger(logger, { reqId: 'req-2' }, {});
  child.info('dropped at warn');
  logger.level = 'info';
  child.info('kept at info');
  child.level = 'error';
  child.warn('dropped by the child only');
  logger.warn('parent still at info');
  assert.deepEqual(
    lines.map((line) => line.msg),
    ['kept at info', 'parent still at info'],
  );
});

test('route-level logger options still get a pino child', () => {
  const { logger, lines } = capturingLogger('info');
  const child = requestChildLogger(logger, { reqId: 'req-3' }, { level: 'error' });
  child.info('dropped by the route level');
  child.error('kept');
  assert.deepEqual(
    lines.map((line) => [line.msg, line.reqId]),
    [['kept', 'req-3']],
  );
});
