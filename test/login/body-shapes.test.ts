import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { providers } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';
import { basic } from '../support/flow.js';
import { startProvider, WEB_SECRET, type ProviderFixture } from '../support/provider-fixture.js';

const ADMIN_TOKEN = 'admin-token-for-body-shape-tests-0123456789';

/** A request body: its content type (undefined: no header) and bytes. */
interface Shape {
  readonly name: string;
  readonly type: string | undefined;
  readonly body: string | Uint8Array | undefined;
}

const json = (name: string, body: string): Shape => ({
  name: `JSON ${name}`,
  type: 'application/json',
  body,
});
const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Every parameter name any endpoint reads, so that each shape reaches the handlers' fields. */
const FIELDS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'grant_type',
  'code',
  'code_verifier',
  'client_secret',
  'token',
  'token_type_hint',
  'access_token',
  'username',
  'password',
  'interaction',
  'csrf',
  'decision',
  'id_token_hint',
  'post_logout_redirect_uri',
  'logout',
  'now',
];
const every = (value: unknown) =>
  JSON.stringify(Object.fromEntries(FIELDS.map((field) => [field, value])));

const SHAPES: readonly Shape[] = [
  json('object values', every({ a: 1 })),
  json('number values', every(123)),
  json('boolean values', every(true)),
  json('null values', every(null)),
  json('array values', every(['web', 'web'])),
  json('array of numbers', every([1])),
  json('string values', every('web')),
  json('top-level array', '[1,2]'),
  json('top-level null', 'null'),
  json('top-level number', '123'),
  json('top-level string', '"client_id=web"'),
  json('deeply nested', deep(5000)),
  json(
    'prototype poisoning',
    '{"__proto__":{"client_id":"web"},"constructor":{"prototype":{"x":1}}}',
  ),
  json('broken', '{"client_id":'),
  json('empty', ''),
  { name: 'JSON with a charset', type: 'application/json; charset=utf-8', body: every({ a: 1 }) },
  { name: 'text/plain', type: 'text/plain', body: 'client_id=web' },
  { name: 'XML', type: 'application/xml', body: '<client_id>web</client_id>' },
  {
    name: 'multipart',
    type: 'multipart/form-data; boundary=x',
    body: '--x\r\nContent-Disposition: form-data; name="client_id"\r\n\r\nweb\r\n--x--\r\n',
  },
  { name: 'malformed content type', type: ';;;/', body: 'client_id=web' },
  { name: 'a body without a content type', type: undefined, body: 'client_id=web' },
  { name: 'no body at all', type: undefined, body: undefined },
  { name: 'an empty form', type: 'application/x-www-form-urlencoded', body: '' },
  {
    name: 'repeated parameters',
    type: 'application/x-www-form-urlencoded',
    body: FIELDS.map((f) => `${f}=a&${f}=b`).join('&'),
  },
  {
    name: 'bracketed names',
    type: 'application/x-www-form-urlencoded',
    body: FIELDS.map((f) => `${f}[a]=1&${f}[]=2`).join('&'),
  },
  {
    name: 'broken percent-encoding',
    type: 'application/x-www-form-urlencoded',
    body: FIELDS.map((f) => `${f}=%ZZ%E0%A4%A`).join('&'),
  },
  {
    name: 'invalid UTF-8',
    type: 'application/x-www-form-urlencoded',
    body: Buffer.concat([
      Buffer.from('client_id='),
      Buffer.from([0xff, 0xfe, 0xc0, 0xaf]),
      Buffer.from('&state=%FF%FE'),
    ]),
  },
  {
    name: 'prototype names in a form',
    type: 'application/x-www-form-urlencoded',
    body: '__proto__=x&constructor=y&hasOwnProperty=z&client_id=web',
  },
  {
    name: 'oversized form',
    type: 'application/x-www-form-urlencoded',
    body: `client_id=${'x'.repeat(70 * 1024)}`,
  },
];

/** Query strings for the endpoints that take GET. */
const QUERIES = [
  'client_id[a]=1',
  'client_id=a&client_id=b',
  'client_id=%ZZ&state=%E0%A4%A',
  'client_id=%FF%FE',
  '__proto__[x]=1&client_id=web',
  '&&&==&',
  `state=${'x'.repeat(7000)}`,
];

const POST_ENDPOINTS = [
  '/authorize',
  '/token',
  '/revoke',
  '/introspect',
  '/userinfo',
  '/login',
  '/consent',
  '/logout',
  '/logout/confirm',
  '/admin/keys/rotate',
  '/admin/keys/some-kid/retire',
  '/admin/keys/some-kid/revoke',
  '/admin/api/v1/clients',
  '/admin/api/v1/users',
  '/admin/api/v1/keys/rotate',
];
const GET_ENDPOINTS = [
  '/authorize',
  '/userinfo',
  '/logout',
  '/admin/keys',
  '/admin/api/v1/clients',
  '/admin/api/v1/users',
  '/admin/api/v1/audit-events',
  '/.well-known/openid-configuration',
  '/.well-known/jwks.json',
];

/** Credentials that get a request past authentication, so that the body reaches the handler. */
function credentials(path: string): Record<string, string> {
  if (path.startsWith('/admin')) return { authorization: `Bearer ${ADMIN_TOKEN}` };
  if (['/token', '/revoke', '/introspect'].includes(path))
    return { authorization: basic('web', WEB_SECRET) };
  return {};
}

const STACK_TRACE =
  /at [\w.<>]+ \(.*:\d+:\d+\)|node_modules|TypeError|ReferenceError|RangeError|SyntaxError: /;

for (const provider of providers) {
  describe(`every endpoint answers any body shape with a 4xx on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider, {
        IDP_ADMIN_TOKEN: ADMIN_TOKEN,
        IDP_LOGIN_RATE_LIMIT_PER_IP: '100000',
      });
    });
    after(async () => op?.close());

    async function check(
      response: Response,
      what: string,
    ): Promise<{ status: number; text: string }> {
      const text = await response.text();
      assert.ok(response.status < 500, `${what}: ${response.status} ${text.slice(0, 300)}`);
      assert.doesNotMatch(text, STACK_TRACE, `${what}: a stack trace or internals leaked`);
      return { status: response.status, text };
    }

    test('issue 29 item 13: JSON, wrong content types, repeated, broken and oversized bodies never answer 5xx (RFC 6749 3.1, 3.2, 5.2)', async () => {
      const linesBefore = op.server.logLines().length;
      for (const path of POST_ENDPOINTS) {
        for (const shape of SHAPES) {
          const headers: Record<string, string> = { ...credentials(path) };
          if (shape.type !== undefined) headers['content-type'] = shape.type;
          const what = `POST ${path} with ${shape.name}`;
          const { status, text } = await check(
            await fetch(`${op.issuer}${path}`, {
              method: 'POST',
              headers,
              body: shape.body,
              redirect: 'manual',
            }),
            what,
          );
          const formEndpoint = !path.startsWith('/admin');
          // RFC 6749 3.1/3.2 endpoints (and the pages posting to them) take forms: a JSON or
          // other non-form body is refused up front as invalid_request.
          if (
            formEndpoint &&
            shape.body !== undefined &&
            shape.body !== '' &&
            shape.type !== 'application/x-www-form-urlencoded' &&
            shape.type !== undefined
          ) {
            assert.equal(status, 400, `${what}: ${text.slice(0, 200)}`);
            assert.equal((JSON.parse(text) as { error: string }).error, 'invalid_request', what);
          }
          // The admin API takes JSON objects with known members only, or no body at all.
          if (!formEndpoint && shape.body !== undefined)
            assert.equal(status, 400, `${what}: ${text.slice(0, 200)}`);
        }
      }
      for (const path of GET_ENDPOINTS) {
        for (const query of QUERIES) {
          await check(
            await fetch(`${op.issuer}${path}?${query}`, {
              headers: credentials(path),
              redirect: 'manual',
            }),
            `GET ${path}?${query.slice(0, 40)}`,
          );
        }
      }
      // Every request's lines have arrived once the last one's completion has.
      const last = await fetch(`${op.issuer}/.well-known/jwks.json`);
      const lastId = last.headers.get('x-request-id');
      await waitFor(
        () =>
          op.server
            .logLines()
            .some((line) => line.includes(lastId!) && line.includes('request completed')),
        "the last request's log lines",
      );
      // The server saw nothing it could not handle: no line at level error (50) or fatal (60).
      const errors = op.server
        .logLines()
        .slice(linesBefore)
        .filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
      assert.deepEqual(errors, [], 'nothing was logged at level error');
    });
  });
}
