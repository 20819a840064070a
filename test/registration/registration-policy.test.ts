import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '@idp/db';
import { decodeJwt } from 'jose';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { authorizeUrl, isLoginPage, pkce } from '../support/flow.js';
import { CALLBACK, startProvider, type ProviderFixture } from '../support/provider-fixture.js';

// IDP_REGISTRATION_GRANT_TYPES and IDP_REGISTRATION_RESOURCES: what clients that register
// themselves may ask for, at /register (RFC 7591 3.2.2), /authorize and /token (RFC 8707 2).

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(
  url: string,
  init: { method?: string; token?: string; json?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers,
    body: JSON.stringify(init.json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/** A client_credentials token request with client_secret_basic (RFC 6749 4.4.2). */
async function clientCredentials(
  op: ProviderFixture,
  client: Record<string, unknown>,
  params: Record<string, string> = {},
): Promise<Answer> {
  const basic = Buffer.from(
    `${encodeURIComponent(String(client.client_id))}:${encodeURIComponent(String(client.client_secret))}`,
  ).toString('base64');
  const response = await fetch(`${op.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...params }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Rewrites a client's stored metadata as a wider policy of the past would have let it register. */
async function widen(op: ProviderFixture, clientId: string, data: Record<string, string>) {
  const db = await openDatabase(op.databaseUrl);
  try {
    await db.prisma.client.update({ where: { id: clientId }, data });
  } finally {
    await db.close();
  }
}

async function clientCount(op: ProviderFixture): Promise<number> {
  const db = await openDatabase(op.databaseUrl);
  try {
    return await db.prisma.client.count();
  } finally {
    await db.close();
  }
}

const web = {
  client_name: 'Self-registered',
  redirect_uris: [CALLBACK],
  grant_types: ['authorization_code', 'refresh_token'],
  scope: 'openid profile',
};

for (const provider of providers) {
  describe(`registration policy at its narrowest (IDP_REGISTRATION=open) on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider, {
        IDP_REGISTRATION: 'open',
        IDP_REGISTRATION_GRANT_TYPES: 'authorization_code,refresh_token',
        IDP_REGISTRATION_RESOURCES: 'none',
      });
    });
    after(async () => op?.close());

    test('RFC 7591 3.2.2: registering client_credentials is invalid_client_metadata naming grant_types, and stores nothing', async () => {
      const before = await clientCount(op);
      const answer = await call(`${op.issuer}/register`, {
        json: { ...web, grant_types: ['client_credentials'] },
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error, 'invalid_client_metadata');
      assert.match(String(answer.body.error_description), /^grant_types: client_credentials/);
      assert.equal(await clientCount(op), before);
    });

    test('RFC 7591 3.2.2: registering a resource is invalid_client_metadata naming resources[0]', async () => {
      const answer = await call(`${op.issuer}/register`, {
        json: { ...web, resources: ['https://api.example.com/orders'] },
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error, 'invalid_client_metadata');
      assert.match(String(answer.body.error_description), /^resources\[0\]: /);
    });

    test('RFC 7592 2.2: an update adding client_credentials is refused and changes nothing', async () => {
      const registered = await call(`${op.issuer}/register`, { json: web });
      assert.equal(registered.status, 201);
      const uri = String(registered.body.registration_client_uri);
      const token = String(registered.body.registration_access_token);
      const update = await call(uri, {
        method: 'PUT',
        token,
        json: {
          ...web,
          client_id: registered.body.client_id,
          grant_types: ['authorization_code', 'client_credentials'],
        },
      });
      assert.equal(update.status, 400);
      assert.equal(update.body.error, 'invalid_client_metadata');
      assert.match(String(update.body.error_description), /^grant_types:/);
      const read = await fetch(uri, { headers: { authorization: `Bearer ${token}` } });
      const stored = (await read.json()) as Record<string, unknown>;
      assert.deepEqual(stored.grant_types, ['authorization_code', 'refresh_token']);
    });

    test('a client registered under a wider policy loses client_credentials (unauthorized_client) and its resources (RFC 8707 invalid_target)', async () => {
      const registered = await call(`${op.issuer}/register`, { json: web });
      assert.equal(registered.status, 201);
      const clientId = String(registered.body.client_id);
      await widen(op, clientId, {
        grantTypes: JSON.stringify(['authorization_code', 'refresh_token', 'client_credentials']),
        audiences: JSON.stringify(['https://internal.example/api']),
      });
      const token = await clientCredentials(op, registered.body);
      assert.equal(token.status, 400);
      assert.equal(token.body.error, 'unauthorized_client');

      const { challenge } = pkce();
      const page = await new TestBrowser().navigate(
        authorizeUrl(op.issuer, {
          client_id: clientId,
          redirect_uri: CALLBACK,
          response_type: 'code',
          scope: 'openid',
          state: 'st',
          code_challenge: challenge,
          code_challenge_method: 'S256',
          resource: 'https://internal.example/api',
        }),
        CALLBACK,
      );
      const callback = new URL(page.redirectedTo!);
      assert.equal(callback.searchParams.get('error'), 'invalid_target');
    });
  });

  describe(`registration policy widened by the operator on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider, {
        IDP_REGISTRATION: 'open',
        IDP_REGISTRATION_GRANT_TYPES: 'authorization_code,refresh_token,client_credentials',
        IDP_REGISTRATION_RESOURCES: 'https://api.example.com/orders,https://mcp.example.com/',
      });
    });
    after(async () => op?.close());

    test('a client registers client_credentials with an allowed resource and gets a token for it', async () => {
      const registered = await call(`${op.issuer}/register`, {
        json: {
          client_name: 'Service',
          grant_types: ['client_credentials'],
          scope: 'orders.read',
          resources: ['https://api.example.com/orders', 'https://mcp.example.com/tools'],
        },
      });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      const token = await clientCredentials(op, registered.body, {
        resource: 'https://api.example.com/orders',
      });
      assert.equal(token.status, 200, JSON.stringify(token.body));
      assert.equal(
        decodeJwt(String(token.body.access_token)).aud,
        'https://api.example.com/orders',
      );
    });

    test('RFC 8707 2: /token refuses a resource the policy dropped since registration with invalid_target; the default audience leaves it out', async () => {
      const registered = await call(`${op.issuer}/register`, {
        json: {
          client_name: 'Service',
          grant_types: ['client_credentials'],
          scope: 'orders.read',
          resources: ['https://api.example.com/orders'],
        },
      });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      await widen(op, String(registered.body.client_id), {
        audiences: JSON.stringify(['https://api.example.com/orders', 'https://internal.example/']),
      });
      const refused = await clientCredentials(op, registered.body, {
        resource: 'https://internal.example/',
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error, 'invalid_target');
      const plain = await clientCredentials(op, registered.body);
      assert.equal(plain.status, 200, JSON.stringify(plain.body));
      assert.deepEqual([decodeJwt(String(plain.body.access_token)).aud].flat(), [
        'https://api.example.com/orders',
      ]);
    });

    test('RFC 7591 3.2.2: a resource outside the list, or one that only looks like it, is refused', async () => {
      for (const resource of [
        'https://api.example.com/billing',
        'https://api.example.com/orders/../admin',
        'https://mcp.example.com.evil.test/',
      ]) {
        const answer = await call(`${op.issuer}/register`, {
          json: { ...web, resources: [resource] },
        });
        assert.equal(answer.status, 400, resource);
        assert.equal(answer.body.error, 'invalid_client_metadata', resource);
        assert.match(String(answer.body.error_description), /^resources\[0\]: /, resource);
      }
    });

    test('the login page still opens for an allowed resource (the policy does not refuse what it lists)', async () => {
      const registered = await call(`${op.issuer}/register`, {
        json: {
          ...web,
          token_endpoint_auth_method: 'none',
          resources: ['https://mcp.example.com/a'],
        },
      });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      const { challenge } = pkce();
      const page = await new TestBrowser().navigate(
        authorizeUrl(op.issuer, {
          client_id: String(registered.body.client_id),
          redirect_uri: CALLBACK,
          response_type: 'code',
          scope: 'openid',
          state: 'st',
          code_challenge: challenge,
          code_challenge_method: 'S256',
          resource: 'https://mcp.example.com/a',
        }),
        CALLBACK,
      );
      assert.equal(page.redirectedTo, undefined);
      assert.ok(isLoginPage(page));
    });
  });
}
