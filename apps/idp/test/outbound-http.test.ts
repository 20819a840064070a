import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { isPublicAddress } from '../src/outbound/destination-address.js';
import {
  fetchJson,
  outboundRequest,
  OutboundRequestError,
  type OutboundPolicy,
} from '../src/outbound/outbound-http.js';

// The server's own requests to URLs that clients chose (jwks_uri): no private destinations
// unless allowed (SSRF), https only, no redirects, bounded in time and size.

test('only global unicast addresses are public, IPv4 and IPv6 alike, IPv4-mapped included', () => {
  for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])
    assert.ok(isPublicAddress(address), address);
  for (const address of [
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:a00:1::',
    '2001:db8::1',
    'not-an-ip',
  ]) {
    assert.ok(!isPublicAddress(address), address);
  }
});

let server: Server;
let base: string;
before(async () => {
  server = createServer((request, response) => {
    if (request.url === '/jwks')
      return void response
        .writeHead(200, { 'content-type': 'application/jwk-set+json' })
        .end('{"keys":[]}');
    if (request.url === '/redirect')
      return void response.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    if (request.url === '/big')
      return void response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ pad: 'x'.repeat(10_000) }));
    if (request.url === '/html')
      return void response.writeHead(200, { 'content-type': 'text/html' }).end('<p>');
    if (request.url === '/slow') return void setTimeout(() => response.end('{}'), 2_000);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const allowed: OutboundPolicy = { allowedHosts: ['127.0.0.1'], timeoutMs: 1_000, maxBytes: 4_096 };
const refusedWith = (pattern: RegExp) => (thrown: unknown) => {
  assert.ok(thrown instanceof OutboundRequestError, String(thrown));
  assert.match(thrown.message, pattern);
  return true;
};

test('an allowed host is reached over http; the JSON comes back', async () => {
  assert.deepEqual(await fetchJson(`${base}/jwks`, allowed), { keys: [] });
});

test('without IDP_OUTBOUND_ALLOWED_HOSTS, loopback and private destinations and plain http are refused', async () => {
  const strict: OutboundPolicy = { ...allowed, allowedHosts: [] };
  await assert.rejects(fetchJson(`${base}/jwks`, strict), refusedWith(/only https/));
  await assert.rejects(
    fetchJson(`https://127.0.0.1:${new URL(base).port}/jwks`, strict),
    refusedWith(/not a public address/),
  );
  await assert.rejects(
    fetchJson('https://[::ffff:127.0.0.1]/jwks', strict),
    refusedWith(/not a public address/),
  );
  await assert.rejects(
    fetchJson('https://169.254.169.254/latest/meta-data', strict),
    refusedWith(/not a public address/),
  );
  await assert.rejects(
    fetchJson('https://[fd00::1]/jwks', strict),
    refusedWith(/not a public address/),
  );
  // A name is judged by what it resolves to: localhost is loopback.
  await assert.rejects(
    fetchJson(`https://localhost:${new URL(base).port}/jwks`, strict),
    refusedWith(/resolves to .* not a public address/),
  );
  await assert.rejects(fetchJson('ftp://example.com/jwks', strict), refusedWith(/only https/));
  await assert.rejects(
    fetchJson('https://user:pw@example.com/jwks', strict),
    refusedWith(/credentials/),
  );
});

test('redirects are not followed; oversized, slow and non-JSON answers are refused', async () => {
  await assert.rejects(
    outboundRequest(`${base}/redirect`, allowed),
    refusedWith(/302: redirects are not followed/),
  );
  await assert.rejects(fetchJson(`${base}/big`, allowed), refusedWith(/larger than 4096 bytes/));
  await assert.rejects(fetchJson(`${base}/slow`, allowed), refusedWith(/within 1000 ms/));
  await assert.rejects(fetchJson(`${base}/html`, allowed), refusedWith(/not JSON/));
  await assert.rejects(fetchJson(`${base}/missing`, allowed), refusedWith(/answered 404/));
});
