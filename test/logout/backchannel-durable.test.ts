import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '@idp/db';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/browser.js';
import { addBackchannelClient } from '../support/backchannel-client.js';
import { providers } from '../support/databases.js';
import { signIn } from '../support/flow.js';
import { spawnServer, type SpawnedServer } from '../support/processes.js';
import { CALLBACK, startProvider, type ProviderFixture } from '../support/provider-fixture.js';
import { waitFor } from '../support/wait-for.js';

// Back-Channel Logout 1.0 2.5 with a durable queue: a delivery that has not yet reached its RP
// survives the server being killed (SIGKILL, nothing flushed) and is made after the restart.

/** An RP's back-channel endpoint that answers 503 until `up`, then 200; records each POST. */
async function startReceiver() {
  const received: { token: string; answered: number }[] = [];
  const state = { up: false };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const token = new URLSearchParams(Buffer.concat(chunks).toString()).get('logout_token');
      const answered = state.up ? 200 : 503;
      received.push({ token: token ?? '', answered });
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/backchannel`,
    received,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function pendingDeliveries(op: ProviderFixture): Promise<number> {
  const db = await openDatabase(op.databaseUrl);
  try {
    return await db.prisma.logoutDelivery.count();
  } finally {
    await db.close();
  }
}

for (const provider of providers) {
  describe(`durable back-channel logout deliveries on ${provider}`, () => {
    let op: ProviderFixture;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let restarted: SpawnedServer | undefined;
    let secret: string;

    before(async () => {
      receiver = await startReceiver();
      op = await startProvider(provider, { IDP_OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' });
      secret = await addBackchannelClient(op, 'rp-durable', receiver.url);
    });
    after(async () => {
      await restarted?.stop();
      await op?.close();
      await receiver?.close();
    });

    test('2.5: an RP that was down while the server was killed (kill -9) gets the logout token after the restart', async () => {
      const config = await oidc.discovery(
        new URL(op.issuer),
        'rp-durable',
        undefined,
        oidc.ClientSecretBasic(secret),
        { execute: [oidc.allowInsecureRequests] },
      );
      const verifier = oidc.randomPKCECodeVerifier();
      const browser = new TestBrowser();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce: 'n-durable',
      });
      const { callback } = await signIn(browser, url.href);
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedNonce: 'n-durable',
        idTokenExpected: true,
      });
      const sid = tokens.claims()!.sid;
      assert.ok(sid);

      const logout = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! });
      await browser.navigate(logout.href, CALLBACK);
      await waitFor(
        () => receiver.received.length >= 1,
        'a first attempt at the RP, which is down',
      );
      assert.equal(receiver.received[0]!.answered, 503);

      const exited = once(op.server.process, 'exit');
      op.server.process.kill('SIGKILL');
      await exited;
      assert.equal(await pendingDeliveries(op), 1, 'the delivery is still queued in the database');

      receiver.state.up = true;
      const before = receiver.received.length;
      restarted = await spawnServer({ ...op.env });
      await waitFor(
        () => receiver.received.some((post) => post.answered === 200),
        'the delivery after the restart',
        30_000,
      );
      const delivered = receiver.received.find((post) => post.answered === 200)!;
      assert.ok(receiver.received.indexOf(delivered) >= before, 'made by the restarted server');
      const jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(delivered.token, jwks, {
        issuer: op.issuer,
        audience: 'rp-durable',
        typ: 'logout+jwt',
        maxTokenAge: '2 minutes',
      });
      assert.equal(payload.sid, sid);
      // Delivered, so removed from the queue; and made once.
      await waitFor(async () => (await pendingDeliveries(op)) === 0, 'the queue emptied');
      assert.equal(receiver.received.filter((post) => post.answered === 200).length, 1);
    });
  });
}
