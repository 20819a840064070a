import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import {
  authorizeUrl,
  basic,
  loginTokens,
  pkce,
  signIn,
  tokenRequest,
  webRequest,
} from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  CALLBACK,
  seed,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const GATEWAY_SECRET = 'gateway-client-secret-with-plenty-of-entropy-0123';
const ORDERS = 'https://orders.example.com';
const BILLING = 'https://billing.example.com';
const SERVICE_SECRET = seed.clients.find((c) => c.client_id === 'service')!.client_secret!;

/** An API gateway: signs people in, then trades their tokens for narrower ones to call its back ends. */
const gateway = {
  client_id: 'gateway',
  client_name: 'API Gateway',
  client_secret: GATEWAY_SECRET,
  redirect_uris: [CALLBACK],
  grant_types: ['authorization_code', EXCHANGE],
  scope: 'openid profile email',
  resources: [ORDERS, BILLING],
};

for (const provider of providers) {
  describe(`token exchange (RFC 8693) with oauth4webapi on ${provider}`, () => {
    let op: ProviderFixture;
    let as: oauth.AuthorizationServer;
    const client: oauth.Client = { client_id: 'gateway' };
    const auth = oauth.ClientSecretBasic(GATEWAY_SECRET);
    const options = { [oauth.allowInsecureRequests]: true };

    before(async () => {
      op = await startProvider(provider);
      const file = join(tmpdir(), `exchange-seed-${randomBytes(6).toString('hex')}.json`);
      await writeFile(file, JSON.stringify({ clients: [gateway] }));
      const imported = await idp(['import', file], op.env);
      assert.equal(imported.code, 0, imported.stderr);
      as = await oauth.processDiscoveryResponse(
        new URL(op.issuer),
        await oauth.discoveryRequest(new URL(op.issuer), options),
      );
    });
    after(async () => op?.close());

    /** Alice signs in to the gateway, which gets an access token for the orders API. */
    async function subjectToken(): Promise<string> {
      const { verifier, challenge } = pkce();
      const { callback } = await signIn(
        new TestBrowser(),
        authorizeUrl(op.issuer, webRequest(challenge, { client_id: 'gateway', resource: ORDERS })),
      );
      const response = await tokenRequest(
        op.issuer,
        {
          grant_type: 'authorization_code',
          code: callback.searchParams.get('code')!,
          redirect_uri: CALLBACK,
          code_verifier: verifier,
        },
        { authorization: basic('gateway', GATEWAY_SECRET) },
      );
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body.access_token as string;
    }

    const exchange = (parameters: Record<string, string>) =>
      oauth.genericTokenEndpointRequest(
        as,
        client,
        auth,
        EXCHANGE,
        { subject_token_type: ACCESS_TOKEN_TYPE, ...parameters },
        options,
      );

    async function refusal(parameters: Record<string, string>): Promise<string> {
      const response = await exchange(parameters);
      try {
        await oauth.processGenericTokenEndpointResponse(as, client, response);
      } catch (error) {
        assert.ok(error instanceof oauth.ResponseBodyError, String(error));
        assert.equal(error.status, 400);
        return error.error;
      }
      assert.fail('the exchange was not refused');
    }

    test('RFC 8693 2.2.1: a narrower scope for another registered audience, issued_token_type, same subject, verifiable at the JWKS', async () => {
      const subject = await subjectToken();
      const response = await oauth.processGenericTokenEndpointResponse(
        as,
        client,
        await exchange({ subject_token: subject, scope: 'profile', resource: BILLING }),
      );
      assert.equal(response.issued_token_type, ACCESS_TOKEN_TYPE);
      assert.equal(response.token_type, 'bearer');
      assert.equal(response.scope, 'profile');
      const jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`));
      const { payload: original } = await jwtVerify(subject, jwks, {
        issuer: op.issuer,
        typ: 'at+jwt',
      });
      const { payload } = await jwtVerify(response.access_token, jwks, {
        issuer: op.issuer,
        audience: BILLING,
        typ: 'at+jwt',
      });
      assert.equal(payload.sub, original.sub);
      assert.equal(payload.aud, BILLING);
      assert.equal(payload.scope, 'profile');
      assert.equal(payload.client_id, 'gateway');
      assert.equal(payload.act, undefined, 'no actor_token: no act claim');
      assert.ok(payload.exp! <= original.exp!, 'never outlives the subject token');

      const audit = await idp(['audit', 'list', '--type', 'token.exchanged'], op.env);
      assert.match(audit.stdout, /token\.exchanged/);
      assert.match(audit.stdout, /gateway/);
    });

    test('RFC 8693 4.1: an actor_token puts the actor in act (delegation)', async () => {
      const subject = await subjectToken();
      const actor = await tokenRequest(
        op.issuer,
        { grant_type: 'client_credentials', scope: 'reports.read' },
        { authorization: basic('service', SERVICE_SECRET) },
      );
      assert.equal(actor.status, 200);
      const response = await oauth.processGenericTokenEndpointResponse(
        as,
        client,
        await exchange({
          subject_token: subject,
          audience: ORDERS,
          actor_token: actor.body.access_token as string,
          actor_token_type: ACCESS_TOKEN_TYPE,
        }),
      );
      const { payload } = await jwtVerify(
        response.access_token,
        createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`)),
        { issuer: op.issuer, audience: ORDERS },
      );
      assert.deepEqual(payload.act, { sub: 'service', client_id: 'service' });
    });

    test('RFC 8693 2.2.2 / RFC 6749 5.2: widening scope is invalid_scope, an unregistered audience invalid_target', async () => {
      const subject = await subjectToken();
      assert.equal(
        await refusal({ subject_token: subject, scope: 'openid profile email offline_access' }),
        'invalid_scope',
      );
      assert.equal(
        await refusal({ subject_token: subject, audience: 'https://evil.example' }),
        'invalid_target',
      );
      assert.equal(
        await refusal({ subject_token: subject, resource: 'https://api.example.com' }),
        'invalid_target',
        "another client's resource",
      );
    });

    test('a revoked, foreign or malformed subject token is invalid_request', async () => {
      const subject = await subjectToken();
      const revoked = await fetch(`${op.issuer}/revoke`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic('gateway', GATEWAY_SECRET),
        },
        body: new URLSearchParams({ token: subject, token_type_hint: 'access_token' }),
      });
      assert.equal(revoked.status, 200);
      assert.equal(
        await refusal({ subject_token: subject }),
        'invalid_request',
        'RFC 8693 2.2.2: a revoked subject token',
      );

      const webToken = (await loginTokens(new TestBrowser(), op.issuer)).access_token;
      assert.equal(
        await refusal({ subject_token: webToken }),
        'invalid_request',
        "another client's token, not issued for the gateway",
      );
      assert.equal(await refusal({ subject_token: 'not-a-token' }), 'invalid_request');
      assert.equal(
        await refusal({
          subject_token: await subjectToken(),
          subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        }),
        'invalid_request',
      );
    });

    test('a client not registered for token exchange is unauthorized_client', async () => {
      const web: oauth.Client = { client_id: 'web' };
      const response = await oauth.genericTokenEndpointRequest(
        as,
        web,
        oauth.ClientSecretBasic(WEB_SECRET),
        EXCHANGE,
        { subject_token: 'x', subject_token_type: ACCESS_TOKEN_TYPE },
        options,
      );
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { error: string }).error, 'unauthorized_client');
    });
  });
}
