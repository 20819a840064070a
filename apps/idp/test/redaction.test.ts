import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ifNoneMatch } from '../src/http/if-none-match.js';
import { redactUrl } from '../src/logger.js';

test('credential-bearing query parameters are redacted in logged URLs; others kept', () => {
  assert.equal(
    redactUrl('/cb?code=abc&state=xyz&id_token_hint=eyJ'),
    '/cb?code=%5BRedacted%5D&state=xyz&id_token_hint=%5BRedacted%5D',
  );
  assert.equal(redactUrl('/authorize?client_id=app&scope=openid'), '/authorize?client_id=app&scope=openid');
  assert.equal(redactUrl('/healthz'), '/healthz');
});

test('If-None-Match: strong, weak, lists and * (RFC 9110 13.1.2)', () => {
  assert.equal(ifNoneMatch('"a"', '"a"'), true);
  assert.equal(ifNoneMatch('W/"a"', '"a"'), true);
  assert.equal(ifNoneMatch('"b", "a"', '"a"'), true);
  assert.equal(ifNoneMatch('*', '"a"'), true);
  assert.equal(ifNoneMatch('"b"', '"a"'), false);
  assert.equal(ifNoneMatch(undefined, '"a"'), false);
});
