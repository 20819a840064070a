import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JWK,
} from 'jose';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { basic, pkce, signIn, tokenRequest, webRequest, authorizeUrl } from '../support/flow.js';
import { freePort } from '../support/free-port.js';
import { idp, spawnServer, type SpawnedServer } from '../support/processes.js';
import {
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';
import { waitFor } from '../support/wait-for.js';

/*
 * Issue 31 item 6: the FAPI 2.0 Security Profile (final) per client (`security_profile: "fapi2"`)
 * and server-wide (IDP_SECURITY_PROFILE), driven by oauth4webapi and openid-client. Negative tests
 * are named after the OpenID conformance suite's fapi2-security-profile-final modules they mirror.
 * Clients: `fapi-es` (seed import: an ES256 key and an RSA key by value, ES256 ID tokens) and
 * `fapi-ed` (CLI: an EdDSA key, EdDSA ID tokens).
 */

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
interface ClientKey {
  readonly privateKey: PrivateKey | KeyObject;
  readonly jwk: JWK;
  readonly kid: string;
}

async function clientKey(alg: 'ES256' | 'EdDSA', kid: string): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, kid, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
}

/** An RSA key as a Node KeyObject, which jose signs with under RS256 and PS256 alike. */
async function rsaKey(kid: string): Promise<ClientKey> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, kid, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
}

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ALGORITHMS = 'RS256,ES256,EdDSA';

/** A private_key_jwt assertion for `clientId` signed by jose with `alg` (RFC 7523 3). */
async function assertion(key: ClientKey, clientId: string, audience: string, alg: string) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: clientId,
    sub: clientId,
    aud: audience,
    jti: randomUUID(),
    exp: now + 60,
  })
    .setProtectedHeader({ alg, kid: key.kid })
    .sign(key.privateKey);
}

/** A DPoP proof made by hand (RFC 9449 4.2), for the requests the libraries would not send. */
async function dpopProof(url: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const proof = await new SignJWT({
    htm: 'POST',
    htu: url,
    iat: Math.floor(Date.now() / 1000),
    jti: randomUUID(),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
    .sign(privateKey);
  return { proof, jkt: await calculateJwkThumbprint(jwk, 'sha256') };
}

async function form(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
    headers: response.headers,
  };
}

async function seedImport(env: Record<string, string>, clients: unknown[]) {
  const file = join(tmpdir(), `fapi-seed-${randomBytes(6).toString('hex')}.json`);
  await writeFile(file, JSON.stringify({ clients }));
  try {
    return await idp(['import', file], env);
  } finally {
    await rm(file, { force: true });
  }
}

for (const provider of providers) {
  describe(`FAPI 2.0 Security Profile on ${provider}`, () => {
    let op: ProviderFixture;
    let es: ClientKey;
    let rsa: ClientKey;
    let ed: ClientKey;
    let as: oauth.AuthorizationServer;

    /** fapi-es's metadata as its seed file registers it. */
    const fapiEs = () => ({
      client_id: 'fapi-es',
      security_profile: 'fapi2',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [es.jwk, rsa.jwk] },
      id_token_signed_response_alg: 'ES256',
      redirect_uris: [CALLBACK],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      scope: 'openid profile',
    });

    before(async () => {
      [es, rsa, ed] = await Promise.all([
        clientKey('ES256', 'es-1'),
        rsaKey('rsa-1'),
        clientKey('EdDSA', 'ed-1'),
      ]);
      op = await startProvider(provider, { IDP_SIGNING_ALGORITHMS: ALGORITHMS });
      const imported = await seedImport(op.env, [fapiEs()]);
      assert.equal(imported.code, 0, imported.stderr);
      const added = await idp(
        [
          'clients',
          'add',
          'fapi-ed',
          '--security-profile',
          'fapi2',
          '--auth-method',
          'private_key_jwt',
          '--jwks',
          JSON.stringify({ keys: [ed.jwk] }),
          '--token-endpoint-auth-signing-alg',
          'EdDSA',
          '--id-token-signed-response-alg',
          'EdDSA',
          '--redirect-uri',
          CALLBACK,
          '--grant-type',
          'authorization_code',
          '--scope',
          'openid profile',
        ],
        op.env,
      );
      assert.equal(added.code, 0, added.stderr);
      const issuer = new URL(op.issuer);
      as = await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, insecure),
      );
      // The running server learns of the new clients within its change poll.
      await waitFor(async () => {
        const pushed = await push('fapi-es', es, 'ES256', { scope: 'openid' });
        return pushed.status === 201;
      }, 'the server to know the FAPI clients');
    });
    after(async () => op?.close());

    /** POST /par for `clientId` with a private_key_jwt assertion and a valid FAPI request. */
    async function push(
      clientId: string,
      key: ClientKey,
      alg: string,
      overrides: Record<string, string> = {},
      headers: Record<string, string> = {},
    ) {
      const { challenge } = pkce();
      return form(
        `${op.issuer}/par`,
        {
          client_id: clientId,
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: await assertion(key, clientId, op.issuer, alg),
          response_type: 'code',
          redirect_uri: CALLBACK,
          scope: 'openid profile',
          state: 'st',
          code_challenge: challenge,
          code_challenge_method: 'S256',
          ...overrides,
        },
        headers,
      );
    }

    test('fapi2-security-profile-final-happy-flow, -ensure-dpopproof-at-par-endpoint-binding-success (issue 31 item 6): oauth4webapi, ES256 client: PAR with private_key_jwt and DPoP, login, code exchange, ES256 ID token, iss in the response, refresh without rotation', async () => {
      const client: oauth.Client = { client_id: 'fapi-es', id_token_signed_response_alg: 'ES256' };
      const auth = () => oauth.PrivateKeyJwt({ key: es.privateKey as PrivateKey, kid: es.kid });
      const dpopKeys = await oauth.generateKeyPair('ES256');
      const DPoP = oauth.DPoP(client, dpopKeys);
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const pushed = await oauth.processPushedAuthorizationResponse(
        as,
        client,
        await oauth.pushedAuthorizationRequest(
          as,
          client,
          auth(),
          new URLSearchParams({
            redirect_uri: CALLBACK,
            response_type: 'code',
            scope: 'openid profile',
            code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
            code_challenge_method: 'S256',
            state,
            nonce,
          }),
          { ...insecure, DPoP },
        ),
      );
      const url = new URL(as.authorization_endpoint!);
      url.searchParams.set('client_id', 'fapi-es');
      url.searchParams.set('request_uri', pushed.request_uri);
      const { callback } = await signIn(new TestBrowser(), url.href);
      // FAPI 2.0 SP 5.3.2.2-4 / RFC 9207 2: the authorization response names the issuer.
      assert.equal(callback.searchParams.get('iss'), op.issuer);
      const params = oauth.validateAuthResponse(as, client, callback, state);
      const tokens = await oauth.processAuthorizationCodeResponse(
        as,
        client,
        await oauth.authorizationCodeGrantRequest(as, client, auth(), params, CALLBACK, verifier, {
          ...insecure,
          DPoP,
        }),
        { expectedNonce: nonce, requireIdToken: true },
      );
      assert.equal(tokens.token_type, 'dpop', 'FAPI 2.0 SP 5.3.2.1-5: sender-constrained');
      assert.equal(decodeProtectedHeader(tokens.id_token!).alg, 'ES256');
      const jkt = await calculateJwkThumbprint(await exportJWK(dpopKeys.publicKey), 'sha256');
      const claims = JSON.parse(
        Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString(),
      ) as { cnf?: { jkt: string } };
      assert.deepEqual(claims.cnf, { jkt });

      // FAPI 2.0 SP 5.3.2.1-10 (conformance: fapi2-security-profile-final-refresh-token): no
      // rotation; the same refresh token works again.
      const refreshToken = tokens.refresh_token!;
      assert.ok(refreshToken);
      for (let round = 0; round < 2; round += 1) {
        const refreshed = await oauth.processRefreshTokenResponse(
          as,
          client,
          await oauth.refreshTokenGrantRequest(as, client, auth(), refreshToken, {
            ...insecure,
            DPoP,
          }),
        );
        assert.equal(refreshed.token_type, 'dpop');
        assert.equal(refreshed.refresh_token, undefined, 'no new refresh token: not rotated');
      }
    });

    test('issue 31 item 6: openid-client, EdDSA client: PAR with private_key_jwt and DPoP, login, code exchange, EdDSA ID token, userinfo', async () => {
      const config = await oidc.discovery(
        new URL(op.issuer),
        'fapi-ed',
        { id_token_signed_response_alg: 'EdDSA' },
        oidc.PrivateKeyJwt({ key: ed.privateKey as PrivateKey, kid: ed.kid }),
        { execute: [oidc.allowInsecureRequests] },
      );
      const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('EdDSA'));
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = await oidc.buildAuthorizationUrlWithPAR(
        config,
        {
          redirect_uri: CALLBACK,
          scope: 'openid profile',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        },
        { DPoP },
      );
      const { callback } = await signIn(new TestBrowser(), url.href);
      const tokens = await oidc.authorizationCodeGrant(
        config,
        callback,
        {
          pkceCodeVerifier: verifier,
          expectedState: state,
          expectedNonce: nonce,
          idTokenExpected: true,
        },
        undefined,
        { DPoP },
      );
      assert.equal(tokens.token_type, 'dpop');
      assert.equal(decodeProtectedHeader(tokens.id_token!).alg, 'EdDSA');
      const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub, {
        DPoP,
      });
      assert.equal(info.name, 'Alice Example');
    });

    test('fapi2-security-profile-final-ensure-unsigned-authorization-request-without-using-par-fails: a plain authorization request is refused (FAPI 2.0 SP 5.3.2.2-1)', async () => {
      const { challenge } = pkce();
      const response = await fetch(
        authorizeUrl(op.issuer, webRequest(challenge, { client_id: 'fapi-es', state: 'plain' })),
        { redirect: 'manual' },
      );
      const location = new URL(response.headers.get('location') ?? 'about:blank');
      assert.equal(location.origin + location.pathname, CALLBACK);
      assert.equal(location.searchParams.get('error'), 'invalid_request');
      assert.match(
        location.searchParams.get('error_description') ?? '',
        /pushed authorization request/,
      );
      assert.equal(location.searchParams.get('state'), 'plain');
      assert.equal(location.searchParams.get('iss'), op.issuer);
    });

    test('fapi2-security-profile-final-par-ensure-pkce-required: FAPI 2.0 SP 5.3.2.2-3: a pushed request without PKCE is refused at /par', async () => {
      const refused = await push('fapi-es', es, 'ES256', {
        code_challenge: '',
        code_challenge_method: '',
      });
      assert.deepEqual([refused.status, refused.body.error], [400, 'invalid_request']);
      assert.match(String(refused.body.error_description), /code_challenge/);
    });

    /** A client assertion for fapi-es with chosen claims (`undefined` leaves one out). */
    async function esAssertion(claims: Record<string, unknown>) {
      const now = Math.floor(Date.now() / 1000);
      const payload = Object.fromEntries(
        Object.entries({
          iss: 'fapi-es',
          sub: 'fapi-es',
          aud: op.issuer,
          jti: randomUUID(),
          iat: now,
          exp: now + 60,
          ...claims,
        }).filter(([, value]) => value !== undefined),
      );
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'ES256', kid: es.kid })
        .sign(es.privateKey);
    }

    test('fapi2-security-profile-final-par-test-par-endpoint-url-as-audience-fails, -par-test-token-endpoint-url-as-audience-fails, -par-test-array-as-audience-fails: at /par the audience is the issuer alone (rfc7523bis, FAPI 2.0 SP 5.3.2.1-8)', async () => {
      for (const aud of [
        `${op.issuer}/par`,
        `${op.issuer}/token`,
        [op.issuer, `${op.issuer}/par`],
      ]) {
        const refused = await push('fapi-es', es, 'ES256', {
          client_assertion: await esAssertion({ aud }),
        });
        assert.equal(refused.status, 401, JSON.stringify(aud));
        assert.equal(refused.body.error, 'invalid_client', JSON.stringify(aud));
      }
    });

    // Conformance: fapi2-security-profile-final-par-ensure-jwt-client-assertions-nbf-8-seconds-in-the-future-is-accepted,
    // fapi2-security-profile-final-par-ensure-jwt-client-assertions-nbf-over-60-seconds-in-the-future-fails.
    test('fapi2-security-profile-final-par-ensure-jwt-client-assertions-nbf-8-seconds-in-the-future-is-accepted, and nbf 70 s ahead fails (FAPI 2.0 SP 5.3.2.1-9: 10 s of clock skew)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const ahead = await push('fapi-es', es, 'ES256', {
        client_assertion: await esAssertion({ iat: now + 8, nbf: now + 8, exp: now + 68 }),
      });
      assert.equal(ahead.status, 201, JSON.stringify(ahead.body));
      const tooFar = await push('fapi-es', es, 'ES256', {
        client_assertion: await esAssertion({ iat: now + 70, nbf: now + 70, exp: now + 130 }),
      });
      assert.deepEqual([tooFar.status, tooFar.body.error], [401, 'invalid_client']);
    });

    test('fapi2-security-profile-final-ensure-client-assertion-with-no-sub-fails, -ensure-client-assertion-in-token-endpoint: an assertion without sub, or none at all, is refused (RFC 7523 3, FAPI 2.0 SP 5.3.2.1)', async () => {
      const { proof } = await dpopProof(`${op.issuer}/token`);
      const noSub = await form(
        `${op.issuer}/token`,
        {
          grant_type: 'client_credentials',
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: await esAssertion({ sub: undefined }),
        },
        { dpop: proof },
      );
      assert.deepEqual([noSub.status, noSub.body.error], [401, 'invalid_client']);
      const none = await form(`${op.issuer}/token`, {
        grant_type: 'client_credentials',
        client_id: 'fapi-es',
      });
      assert.equal(none.status, 401, JSON.stringify(none.body));
      assert.equal(none.body.error, 'invalid_client');
    });

    // Conformance: fapi2-security-profile-final-ensure-authorization-request-without-state-success,
    // fapi2-security-profile-final-ensure-authorization-request-without-nonce-success,
    // fapi2-security-profile-final-ensure-authorization-request-with-64-char-nonce-success,
    // fapi2-security-profile-final-ensure-authorization-request-with-long-state.
    test('fapi2-security-profile-final-ensure-authorization-request-without-state-success and three more: a pushed request without state or nonce, or with long ones, gives a code (OIDC Core 3.1.2.1)', async () => {
      const long = randomBytes(192).toString('hex');
      // An empty parameter counts as left out (RFC 6749 3.1); push sends state 'st' otherwise.
      const cases: [string, Record<string, string>][] = [
        ['without state and nonce', { state: '' }],
        ['64-character nonce', { nonce: 'n'.repeat(64) }],
        ['384-character state and nonce', { state: long, nonce: long }],
      ];
      for (const [label, overrides] of cases) {
        const pushed = await push('fapi-es', es, 'ES256', overrides);
        assert.equal(pushed.status, 201, `${label}: ${JSON.stringify(pushed.body)}`);
        const { callback } = await signIn(
          new TestBrowser(),
          authorizeUrl(op.issuer, {
            client_id: 'fapi-es',
            request_uri: pushed.body.request_uri as string,
          }),
        );
        assert.ok(callback.searchParams.get('code'), label);
        const expectedState = overrides.state === '' ? null : (overrides.state ?? 'st');
        assert.equal(callback.searchParams.get('state'), expectedState, label);
      }
    });

    test('fapi2-security-profile-final-ensure-request-object-without-redirect-uri-fails, -ensure-registered-redirect-uri, -ensure-response-type-code-idtoken-fails: /par refuses a request without redirect_uri, with an unregistered one, or asking for code id_token', async () => {
      for (const [label, overrides, error] of [
        ['no redirect_uri', { redirect_uri: '' }, 'invalid_request'],
        [
          'unregistered redirect_uri',
          { redirect_uri: 'https://attacker.example/cb' },
          'invalid_request',
        ],
        [
          'response_type code id_token',
          { response_type: 'code id_token' },
          'unsupported_response_type',
        ],
      ] as const) {
        const refused = await push('fapi-es', es, 'ES256', overrides);
        assert.equal(refused.status, 400, `${label}: ${JSON.stringify(refused.body)}`);
        assert.equal(refused.body.error, error, `${label}: ${JSON.stringify(refused.body)}`);
        assert.equal(refused.body.request_uri, undefined, label);
      }
    });

    test('fapi2-security-profile-final-state-only-outside-request-object-not-used: a state beside request_uri at /authorize is ignored (RFC 9126 4, RFC 9101 5)', async () => {
      const pushed = await push('fapi-es', es, 'ES256', { state: '' });
      assert.equal(pushed.status, 201, JSON.stringify(pushed.body));
      const { callback } = await signIn(
        new TestBrowser(),
        authorizeUrl(op.issuer, {
          client_id: 'fapi-es',
          request_uri: pushed.body.request_uri as string,
          state: 'outside',
        }),
      );
      assert.ok(callback.searchParams.get('code'));
      assert.equal(callback.searchParams.get('state'), null, 'only the pushed parameters count');
    });

    /** An ES256 DPoP key and proofs made with it by hand (RFC 9449 4.2). */
    async function dpopKey() {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const jwk = await exportJWK(publicKey);
      const proof = (url: string) =>
        new SignJWT({
          htm: 'POST',
          htu: url,
          iat: Math.floor(Date.now() / 1000),
          jti: randomUUID(),
        })
          .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
          .sign(privateKey);
      return { proof, jkt: await calculateJwkThumbprint(jwk, 'sha256') };
    }

    test('fapi2-security-profile-final-ensure-mismatched-dpop-jkt-fails: /par refuses a dpop_jkt that is not the thumbprint of its DPoP proof (RFC 9449 10.1)', async () => {
      const [proofKey, other] = await Promise.all([dpopKey(), dpopKey()]);
      const refused = await push(
        'fapi-es',
        es,
        'ES256',
        { dpop_jkt: other.jkt },
        { dpop: await proofKey.proof(`${op.issuer}/par`) },
      );
      assert.deepEqual([refused.status, refused.body.error], [400, 'invalid_dpop_proof']);
      assert.equal(refused.body.request_uri, undefined);
    });

    test('fapi2-security-profile-final-ensure-token-endpoint-fails-with-mismatched-dpop-proof-jkt: a code pushed with one DPoP key is not redeemed with another (RFC 9449 10.1)', async () => {
      const [bound, other] = await Promise.all([dpopKey(), dpopKey()]);
      const { verifier, challenge } = pkce();
      const pushed = await push(
        'fapi-es',
        es,
        'ES256',
        { code_challenge: challenge },
        { dpop: await bound.proof(`${op.issuer}/par`) },
      );
      assert.equal(pushed.status, 201, JSON.stringify(pushed.body));
      const { callback } = await signIn(
        new TestBrowser(),
        authorizeUrl(op.issuer, {
          client_id: 'fapi-es',
          request_uri: pushed.body.request_uri as string,
        }),
      );
      const exchange = async (key: Awaited<ReturnType<typeof dpopKey>>) =>
        form(
          `${op.issuer}/token`,
          {
            grant_type: 'authorization_code',
            code: callback.searchParams.get('code')!,
            redirect_uri: CALLBACK,
            code_verifier: verifier,
            client_assertion_type: ASSERTION_TYPE,
            client_assertion: await assertion(es, 'fapi-es', op.issuer, 'ES256'),
          },
          { dpop: await key.proof(`${op.issuer}/token`) },
        );
      const refused = await exchange(other);
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.equal(refused.body.error, 'invalid_dpop_proof');
      const accepted = await exchange(bound);
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.equal(accepted.body.token_type, 'DPoP');
    });

    test('fapi2-security-profile-final-ensure-signed-client-assertion-with-RS256-fails: RS256 is invalid_client, without a Basic challenge (FAPI 2.0 SP 5.4.1, RFC 6749 5.2); PS256 with the same key passes', async () => {
      const tokenUrl = `${op.issuer}/token`;
      const refused = await form(tokenUrl, {
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion(rsa, 'fapi-es', op.issuer, 'RS256'),
      });
      assert.deepEqual([refused.status, refused.body.error], [401, 'invalid_client']);
      assert.equal(
        refused.headers.get('www-authenticate'),
        null,
        'RFC 6749 5.2: the challenge matches the scheme used; the client did not use Basic',
      );
      // The key is fine, only its algorithm is not: PS256 authenticates (and then needs DPoP).
      const { proof } = await dpopProof(tokenUrl);
      const accepted = await form(
        tokenUrl,
        {
          grant_type: 'client_credentials',
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: await assertion(rsa, 'fapi-es', op.issuer, 'PS256'),
        },
        { dpop: proof },
      );
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.equal(accepted.body.token_type, 'DPoP');
    });

    test('fapi2-security-profile-final-dpop-negative-tests, -ensure-holder-of-key-required: a token request without a DPoP proof is refused (FAPI 2.0 SP 5.3.2.1-5)', async () => {
      const refused = await form(`${op.issuer}/token`, {
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion(es, 'fapi-es', op.issuer, 'ES256'),
      });
      assert.deepEqual([refused.status, refused.body.error], [400, 'invalid_dpop_proof']);
    });

    test('issue 31: every refusal by a FAPI 2.0 rule is audited as security_profile.refused, naming the rule, endpoint and client IP', async () => {
      const refusals = async () => {
        const listed = await idp(
          ['audit', 'list', '--json', '--type', 'security_profile.refused', '--limit', '500'],
          op.env,
        );
        assert.equal(listed.code, 0, listed.stderr);
        return (
          JSON.parse(listed.stdout) as {
            clientId: string;
            actor: string;
            ip: string;
            data: Record<string, unknown>;
          }[]
        ).filter((event) => event.clientId === 'fapi-es');
      };
      const before = (await refusals()).length;
      const tokenUrl = `${op.issuer}/token`;
      // 5.3.2.2-1: a plain authorization request.
      const { challenge } = pkce();
      const plain = await fetch(
        authorizeUrl(op.issuer, webRequest(challenge, { client_id: 'fapi-es', state: 'audit' })),
        { redirect: 'manual' },
      );
      assert.match(plain.headers.get('location') ?? '', /error=invalid_request/);
      // 5.3.2.2-3: a push without PKCE.
      const unpkced = await push('fapi-es', es, 'ES256', {
        code_challenge: '',
        code_challenge_method: '',
      });
      assert.equal(unpkced.status, 400);
      // 5.3.2.1-5: a token request without a DPoP proof.
      const unbound = await form(tokenUrl, {
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion(es, 'fapi-es', op.issuer, 'ES256'),
      });
      assert.equal(unbound.status, 400);
      // 5.4.1: a client assertion signed RS256.
      const rs256 = await form(tokenUrl, {
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion(rsa, 'fapi-es', op.issuer, 'RS256'),
      });
      assert.equal(rs256.status, 401);
      // A refusal that is not the profile's (a wrong key's signature) is not one of these events.
      const forged = await form(tokenUrl, {
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion(
          await clientKey('ES256', es.kid),
          'fapi-es',
          op.issuer,
          'ES256',
        ),
      });
      assert.equal(forged.status, 401);

      const after = await refusals();
      const events = after.slice(0, after.length - before);
      const seen = events
        .map((event) => `${String(event.data.rule)} ${String(event.data.endpoint)}`)
        .sort();
      assert.deepEqual(seen, [
        'par_required /authorize',
        'pkce_required /par',
        'sender_constrained_tokens /token',
        'signing_algorithm /token',
      ]);
      for (const event of events) {
        assert.equal(event.ip, '127.0.0.1');
        assert.equal(event.actor, 'fapi-es');
        assert.equal(event.data.profile, 'fapi2');
        assert.match(String(event.data.section), /^FAPI 2\.0 SP 5\./);
      }
      assert.deepEqual(events.map((event) => event.data.error).sort(), [
        'invalid_client',
        'invalid_dpop_proof',
        'invalid_request',
        'invalid_request',
      ]);
    });

    test('fapi2-security-profile-final-ensure-signed-request-object-with-RS256-fails: FAPI 2.0 SP 5.4.1: a request object signed RS256 is invalid_request_object at /par; PS256 with the same key is accepted', async () => {
      const now = Math.floor(Date.now() / 1000);
      const { challenge } = pkce();
      const requestObject = (alg: string) =>
        new SignJWT({
          iss: 'fapi-es',
          aud: op.issuer,
          client_id: 'fapi-es',
          response_type: 'code',
          redirect_uri: CALLBACK,
          scope: 'openid',
          code_challenge: challenge,
          code_challenge_method: 'S256',
          nbf: now,
          exp: now + 60,
        })
          .setProtectedHeader({ alg, kid: rsa.kid })
          .sign(rsa.privateKey);
      const pushWith = async (alg: string) =>
        form(`${op.issuer}/par`, {
          client_id: 'fapi-es',
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: await assertion(es, 'fapi-es', op.issuer, 'ES256'),
          request: await requestObject(alg),
        });
      const refused = await pushWith('RS256');
      assert.deepEqual([refused.status, refused.body.error], [400, 'invalid_request_object']);
      assert.equal((await pushWith('PS256')).status, 201);
    });

    test('issue 31 item 6: registration refuses a fapi2 client with client_secret_basic, RS256 or require_pkce false, naming the field (CLI and seed import)', async () => {
      const cli = await idp(
        [
          'clients',
          'add',
          'fapi-secret',
          '--security-profile',
          'fapi2',
          '--auth-method',
          'client_secret_basic',
          '--redirect-uri',
          CALLBACK,
          '--id-token-signed-response-alg',
          'ES256',
        ],
        op.env,
      );
      assert.equal(cli.code, 1);
      assert.match(
        cli.stderr,
        /token_endpoint_auth_method: must be private_key_jwt for security_profile fapi2/,
      );

      const seeded = await seedImport(op.env, [
        {
          ...fapiEs(),
          client_id: 'fapi-rs',
          id_token_signed_response_alg: 'RS256',
          require_pkce: false,
        },
        { ...fapiEs(), client_id: 'fapi-rs2', token_endpoint_auth_signing_alg: 'RS256' },
      ]);
      assert.equal(seeded.code, 1);
      assert.match(
        seeded.stderr,
        /clients\[0\]\.id_token_signed_response_alg: must be one of PS256, ES256, EdDSA/,
      );
      assert.match(seeded.stderr, /clients\[0\]\.require_pkce: must be true/);
      assert.match(
        seeded.stderr,
        /clients\[1\]\.token_endpoint_auth_signing_alg: must be one of PS256, ES256, EdDSA/,
      );
      const listed = JSON.parse((await idp(['clients', 'list', '--json'], op.env)).stdout) as {
        clients: Array<Record<string, unknown>>;
      };
      assert.ok(
        !listed.clients.some((c) => String(c.client_id).startsWith('fapi-rs')),
        'nothing imported',
      );
      assert.equal(
        listed.clients.find((c) => c.client_id === 'fapi-es')!.security_profile,
        'fapi2',
      );
    });

    describe('after a restart with IDP_SECURITY_PROFILE=fapi2 and without EdDSA in IDP_SIGNING_ALGORITHMS', () => {
      let server: SpawnedServer;
      let issuer: string;
      before(async () => {
        // A client outside the profile, with EdDSA ID tokens (item 1 (a) of the task: no 500).
        const plain = await idp(
          [
            'clients',
            'add',
            'plain-ed',
            '--security-profile',
            'none',
            '--redirect-uri',
            CALLBACK,
            '--id-token-signed-response-alg',
            'EdDSA',
          ],
          op.env,
        );
        assert.equal(plain.code, 0, plain.stderr);
        const port = await freePort();
        issuer = `http://127.0.0.1:${port}`;
        server = await spawnServer({
          ...op.env,
          PORT: String(port),
          IDP_ISSUER: issuer,
          IDP_SECURITY_PROFILE: 'fapi2',
          IDP_SIGNING_ALGORITHMS: 'RS256,ES256',
        });
      });
      after(async () => server?.stop());

      test('the server names, at start, each client whose id_token_signed_response_alg it cannot sign', () => {
        const output = server.output();
        assert.match(output, /client fapi-ed: this server does not sign ID tokens with EdDSA/);
        assert.match(output, /client plain-ed: this server does not sign ID tokens with EdDSA/);
        assert.match(output, /"field":"id_token_signed_response_alg"/);
      });

      test('an OpenID request of a client whose id_token_signed_response_alg left IDP_SIGNING_ALGORITHMS is unauthorized_client, not a 500 (/authorize and /par)', async () => {
        const { challenge } = pkce();
        const response = await fetch(
          authorizeUrl(issuer, webRequest(challenge, { client_id: 'plain-ed' })),
          { redirect: 'manual' },
        );
        const location = new URL(response.headers.get('location') ?? 'about:blank');
        assert.equal(location.searchParams.get('error'), 'unauthorized_client');
        assert.match(location.searchParams.get('error_description') ?? '', /EdDSA/);

        const { challenge: c2 } = pkce();
        const pushed = await form(`${issuer}/par`, {
          client_id: 'fapi-ed',
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: await assertion(ed, 'fapi-ed', issuer, 'EdDSA'),
          response_type: 'code',
          redirect_uri: CALLBACK,
          scope: 'openid',
          code_challenge: c2,
          code_challenge_method: 'S256',
        });
        assert.deepEqual([pushed.status, pushed.body.error], [400, 'unauthorized_client']);
      });

      test('client_secret_basic is refused for a client under the server-wide profile (invalid_client with a Basic challenge), and its plain authorization requests too', async () => {
        const refused = await tokenRequest(
          issuer,
          {
            grant_type: 'authorization_code',
            code: 'x',
            redirect_uri: CALLBACK,
            code_verifier: 'v'.repeat(43),
          },
          { authorization: basic('web', WEB_SECRET) },
        );
        assert.deepEqual([refused.status, refused.body.error], [401, 'invalid_client']);
        assert.match(String(refused.body.error_description), /FAPI 2.0/);
        assert.match(refused.headers.get('www-authenticate') ?? '', /^Basic /);

        const { challenge } = pkce();
        const response = await fetch(authorizeUrl(issuer, webRequest(challenge)), {
          redirect: 'manual',
        });
        const location = new URL(response.headers.get('location') ?? 'about:blank');
        assert.equal(location.searchParams.get('error'), 'invalid_request');
      });
    });
  });
}
