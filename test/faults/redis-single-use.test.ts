import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTcpProxy, type TcpProxy } from '@idp/db/testing';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { authorizeUrl, basic, pkce, signIn, webRequest } from '../support/flow.js';
import { idp, spawnServer, type SpawnedServer } from '../support/processes.js';
import {
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';
import { waitFor } from '../support/wait-for.js';

// With IDP_REDIS_URL, the jtis of client assertions (RFC 7523 3) and DPoP proofs (RFC 9449 11.1)
// and pushed authorization requests (RFC 9126) live in Redis, shared by every instance. Redis is
// reached through a TCP proxy of the test's own, so that it can go silent or refuse connections
// under a running server: every request that needs a single-use check must then be refused with
// 503 temporarily_unavailable, never answered as if the jti were fresh.

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const SERVICE = basic('service', `${WEB_SECRET}-svc`);

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly retryAfter: string | null;
}

async function post(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    retryAfter: response.headers.get('retry-after'),
  };
}

function assertRefusedForOutage(answer: Answer, what: string): void {
  assert.equal(answer.status, 503, `${what}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.error, 'temporarily_unavailable', what);
  assert.ok(answer.retryAfter, `${what}: Retry-After`);
}

for (const provider of providers) {
  describe(`single-use state in Redis (IDP_REDIS_URL) on ${provider}`, () => {
    let proxy: TcpProxy;
    let op: ProviderFixture;
    let second: SpawnedServer;
    let assertionKey: { privateKey: PrivateKey; jwk: JWK };
    let proofKey: { privateKey: PrivateKey; jwk: JWK };

    before(async () => {
      proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
      op = await startProvider(provider, { IDP_REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
      // A second instance of the same cluster: same database, same Redis, another port.
      second = await spawnServer({ ...op.env, PORT: '0' });
      const keys = await generateKeyPair('ES256', { extractable: true });
      assertionKey = {
        privateKey: keys.privateKey,
        jwk: { ...(await exportJWK(keys.publicKey)), kid: 'k1' },
      };
      const proof = await generateKeyPair('ES256', { extractable: true });
      proofKey = { privateKey: proof.privateKey, jwk: await exportJWK(proof.publicKey) };
      const added = await idp(
        [
          ...['clients', 'add', 'keyed', '--grant-type', 'client_credentials'],
          ...['--auth-method', 'private_key_jwt', '--scope', 'reports.read'],
          ...['--jwks', JSON.stringify({ keys: [assertionKey.jwk] })],
          ...['--token-endpoint-auth-signing-alg', 'ES256'],
        ],
        op.env,
      );
      assert.equal(added.code, 0, added.stderr);
      // Each instance learns of the new client within its change poll.
      for (const url of [op.server.url, second.url])
        await waitFor(
          async () => (await withAssertion(url, await assertion())).status === 200,
          'the new client to be known',
        );
    });
    after(async () => {
      await second?.stop();
      await op?.close();
      await proxy?.close();
    });

    /** A fresh client assertion of `keyed` (RFC 7523 3): unique jti, aud the issuer. */
    async function assertion(): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: 'keyed', sub: 'keyed', aud: op.issuer, jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(assertionKey.privateKey);
    }

    function withAssertion(url: string, clientAssertion: string): Promise<Answer> {
      return post(`${url}/token`, {
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: clientAssertion,
      });
    }

    /** A fresh DPoP proof for the token endpoint (RFC 9449 4.2). */
    async function dpopProof(): Promise<string> {
      return new SignJWT({ htm: 'POST', htu: `${op.issuer}/token`, jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: proofKey.jwk })
        .setIssuedAt()
        .sign(proofKey.privateKey);
    }

    function withProof(url: string, proof: string): Promise<Answer> {
      return post(
        `${url}/token`,
        { grant_type: 'client_credentials', scope: 'reports.read' },
        { authorization: SERVICE, dpop: proof },
      );
    }

    function pushRequest(url: string): Promise<Answer> {
      const request = Object.fromEntries(
        Object.entries(webRequest(pkce().challenge)).filter(
          (entry): entry is [string, string] => entry[0] !== 'client_id' && entry[1] !== undefined,
        ),
      );
      return post(`${url}/par`, request, { authorization: basic('web', WEB_SECRET) });
    }

    test('RFC 7523 3 and RFC 9449 11.1: a jti used at one instance is refused at the other', async () => {
      const used = await assertion();
      assert.equal((await withAssertion(op.server.url, used)).status, 200);
      const replayed = await withAssertion(second.url, used);
      assert.equal(replayed.status, 401);
      assert.equal(replayed.body.error, 'invalid_client');

      const proof = await dpopProof();
      const bound = await withProof(second.url, proof);
      assert.equal(bound.status, 200, JSON.stringify(bound.body));
      assert.equal(bound.body.token_type, 'DPoP');
      const again = await withProof(op.server.url, proof);
      assert.equal(again.status, 400);
      assert.equal(again.body.error, 'invalid_dpop_proof');
    });

    test('RFC 9126 4: a request_uri pushed to one instance is used once at the other', async () => {
      const pushed = await pushRequest(op.server.url);
      assert.equal(pushed.status, 201, JSON.stringify(pushed.body));
      const url = authorizeUrl(second.url, {
        client_id: 'web',
        request_uri: pushed.body.request_uri as string,
      });
      const browser = new TestBrowser();
      const { callback } = await signIn(browser, url);
      assert.ok(callback.searchParams.get('code'));
      const reused = await browser.navigate(
        authorizeUrl(op.server.url, {
          client_id: 'web',
          request_uri: `${pushed.body.request_uri}`,
        }),
        CALLBACK,
      );
      assert.equal(reused.status, 400);
      assert.match(reused.html, /invalid_request_uri/);
    });

    test('Redis silent, then refusing connections: assertions, DPoP proofs and pushes get 503 temporarily_unavailable, a replay is never accepted', async () => {
      const used = await assertion();
      assert.equal((await withAssertion(op.server.url, used)).status, 200);
      const pushed = await pushRequest(op.server.url);
      assert.equal(pushed.status, 201);

      // A network that goes silent: each command waits for the connection's command timeout.
      proxy.pause();
      assertRefusedForOutage(await withAssertion(op.server.url, used), 'a replayed assertion');
      assertRefusedForOutage(
        await withAssertion(second.url, await assertion()),
        'a fresh assertion',
      );
      assertRefusedForOutage(await withProof(op.server.url, await dpopProof()), 'a DPoP proof');
      assertRefusedForOutage(await pushRequest(op.server.url), 'a push');
      const page = await new TestBrowser().navigate(
        authorizeUrl(second.url, { client_id: 'web', request_uri: `${pushed.body.request_uri}` }),
        CALLBACK,
      );
      assert.equal(page.status, 503, 'a person following a request_uri gets a page');
      assert.match(page.html, /cannot reach its shared store/);
      const refusals = op.server
        .logLines()
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.event === 'redis.refused');
      assert.ok(refusals.length >= 3, 'each refusal is logged');
      assert.equal(refusals[0]!.level, 40);
      assert.match(String(refusals[0]!.msg), /single-use check/);

      // Back: the jti recorded before the outage is still refused, a fresh one accepted.
      proxy.resume();
      await waitFor(
        async () => (await withAssertion(op.server.url, await assertion())).status === 200,
        'assertions to be accepted again',
      );
      assert.equal((await withAssertion(op.server.url, used)).status, 401);

      // Gone: connections refused, so every call fails at once.
      await proxy.close();
      const started = performance.now();
      assertRefusedForOutage(await withAssertion(op.server.url, used), 'a replay, Redis gone');
      assertRefusedForOutage(
        await withAssertion(op.server.url, await assertion()),
        'a fresh assertion, Redis gone',
      );
      assertRefusedForOutage(
        await withProof(second.url, await dpopProof()),
        'a DPoP proof, Redis gone',
      );
      assertRefusedForOutage(await pushRequest(second.url), 'a push, Redis gone');
      assert.ok(performance.now() - started < 5_000, 'refused without waiting');
    });
  });
}
