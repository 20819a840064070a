import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { ifNoneMatch } from '../src/http/if-none-match.js';
import { createLogger, redactUrl } from '../src/logger.js';

test('credential-bearing query parameters are redacted in logged URLs; others kept', () => {
  assert.equal(
    redactUrl('/cb?code=abc&state=xyz&id_token_hint=eyJ'),
    '/cb?code=%5BRedacted%5D&state=xyz&id_token_hint=%5BRedacted%5D',
  );
  assert.equal(
    redactUrl('/authorize?client_id=app&scope=openid'),
    '/authorize?client_id=app&scope=openid',
  );
  assert.equal(redactUrl('/healthz'), '/healthz');
});

test('issue 29 item 9: query parameters are redacted whatever the case of their names', () => {
  assert.equal(
    redactUrl('/userinfo?ACCESS_TOKEN=abc&Id_Token_Hint=eyJ&State=xyz'),
    '/userinfo?ACCESS_TOKEN=%5BRedacted%5D&Id_Token_Hint=%5BRedacted%5D&State=xyz',
  );
});

test('issue 29 item 9: logged object keys are redacted at any depth whatever their case', () => {
  let written = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  const logger = createLogger('info', sink);
  logger.info(
    {
      Password: 'p-1',
      CLIENT_SECRET: 'p-2',
      clientSecret: 'p-3',
      form: { Code_Verifier: 'p-4', Refresh_Token: 'p-5', client_id: 'kept-1' },
      headers: {
        Authorization: 'Basic p-6',
        'Set-Cookie': ['a=p-7', 'b=p-8'],
        Cookie: 'c=p-9',
        accept: 'kept-2',
      },
      deeper: {
        list: [{ Registration_Access_Token: 'p-10', Assertion: 'p-11', Logout_Token: 'p-12' }],
      },
      quoted: { Token: 'with \\ and " inside p-13' },
    },
    'a message',
  );
  const line = JSON.parse(written) as Record<string, unknown>;
  for (let n = 1; n <= 13; n += 1)
    assert.ok(!written.includes(`p-${n}`), `p-${n} was written: ${written}`);
  assert.equal(line.Password, '[Redacted]');
  assert.deepEqual(line.headers, {
    Authorization: '[Redacted]',
    'Set-Cookie': '[Redacted]',
    Cookie: '[Redacted]',
    accept: 'kept-2',
  });
  assert.equal((line.form as Record<string, unknown>).client_id, 'kept-1');
  assert.equal(line.msg, 'a message');
});

test('If-None-Match: strong, weak, lists and * (RFC 9110 13.1.2)', () => {
  assert.equal(ifNoneMatch('"a"', '"a"'), true);
  assert.equal(ifNoneMatch('W/"a"', '"a"'), true);
  assert.equal(ifNoneMatch('"b", "a"', '"a"'), true);
  assert.equal(ifNoneMatch('*', '"a"'), true);
  assert.equal(ifNoneMatch('"b"', '"a"'), false);
  assert.equal(ifNoneMatch(undefined, '"a"'), false);
});
