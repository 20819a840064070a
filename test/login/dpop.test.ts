import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { authorizeUrl, basic, pkce, signIn, tokenRequest, webRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

/*
 * DPoP (RFC 9449) with real client libraries, and the negative cases of the OpenID conformance
 * suite's FAPI 2.0 Security Profile DPoP checks.
 */
const insecure = { [oauth.allowInsecureRequests]: true };

async function authorizationServer(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, insecure));
}

/** A key pair and a hand-made proof with it, for the negative cases the libraries never send. */
async function proofKey(alg = 'ES256') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  const proof = (claims: Record<string, unknown>) =>
    new SignJWT({ iat: Math.floor(Date.now() / 1000), jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk })
      .sign(privateKey);
  return { jkt, proof };
}
const ath = (token: string) => createHash('sha256').update(token).digest('base64url');

for (const provider of providers) {
  describe(`DPoP (RFC 9449) on ${provider}`, () => {
    let op: ProviderFixture;
    let as: oauth.AuthorizationServer;
    before(async () => {
      op = await startProvider(provider);
      as = await authorizationServer(op.issuer);
      const spa = await idp(
        [
          'clients',
          'add',
          'spa',
          '--public',
          '--redirect-uri',
          CALLBACK,
          '--grant-type',
          'authorization_code',
          '--grant-type',
          'refresh_token',
          '--scope',
          'openid profile',
        ],
        op.env,
      );
      assert.equal(spa.code, 0, spa.stderr);
    });
    after(async () => op?.close());

    /** oauth4webapi's code flow for `client` with DPoP handle `dpop`; the token response. */
    async function codeFlow(
      client: oauth.Client,
      clientAuth: oauth.ClientAuth,
      dpop: oauth.DPoPHandle,
    ) {
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const url = new URL(as.authorization_endpoint!);
      for (const [name, value] of Object.entries({
        client_id: client.client_id,
        redirect_uri: CALLBACK,
        response_type: 'code',
        scope: 'openid profile',
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      }))
        url.searchParams.set(name, value);
      const { callback } = await signIn(new TestBrowser(), url.href);
      const params = oauth.validateAuthResponse(as, client, callback, state);
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        clientAuth,
        params,
        CALLBACK,
        verifier,
        { ...insecure, DPoP: dpop },
      );
      return oauth.processAuthorizationCodeResponse(as, client, response);
    }

    test('RFC 9449: discovery lists dpop_signing_alg_values_supported', () => {
      assert.deepEqual(as.dpop_signing_alg_values_supported, [
        'ES256',
        'PS256',
        'EdDSA',
        'Ed25519',
        'RS256',
      ]);
    });

    test('issue 31 item 4: oauth4webapi DPoP code flow, refresh and userinfo for a public client; the refresh token is bound to the key', async () => {
      const client: oauth.Client = { client_id: 'spa', token_endpoint_auth_method: 'none' };
      const keyPair = await oauth.generateKeyPair('ES256');
      const dpop = oauth.DPoP(client, keyPair);
      const tokens = await codeFlow(client, oauth.None(), dpop);
      assert.equal(tokens.token_type, 'dpop');
      const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey), 'sha256');
      const claims = JSON.parse(
        Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString(),
      ) as { cnf?: { jkt: string } };
      assert.deepEqual(claims.cnf, { jkt }, 'RFC 9449 6.1: cnf.jkt names the key');

      const info = await oauth.processUserInfoResponse(
        as,
        client,
        oauth.skipSubjectCheck,
        await oauth.userInfoRequest(as, client, tokens.access_token, { ...insecure, DPoP: dpop }),
      );
      assert.equal(info.name, 'Alice Example');

      const refreshed = await oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, {
          ...insecure,
          DPoP: dpop,
        }),
      );
      assert.equal(refreshed.token_type, 'dpop');

      // Refresh with another key (conformance: a DPoP-bound refresh token used with another key).
      const other = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
      const stolen = await oauth.refreshTokenGrantRequest(
        as,
        client,
        oauth.None(),
        refreshed.refresh_token!,
        { ...insecure, DPoP: other },
      );
      assert.equal(stolen.status, 400);
      assert.equal(((await stolen.json()) as { error: string }).error, 'invalid_grant');
      // Without any proof.
      const bare = await tokenRequest(
        op.issuer,
        { grant_type: 'refresh_token', refresh_token: refreshed.refresh_token!, client_id: 'spa' },
        {},
      );
      assert.deepEqual([bare.status, bare.body.error], [400, 'invalid_dpop_proof']);
    });

    test('fapi2-security-profile-final-access-token-type-header-case-sensitivity: RFC 9110 11.1: the DPoP scheme is matched case-insensitively at userinfo', async () => {
      const client: oauth.Client = { client_id: 'web' };
      const keyPair = await oauth.generateKeyPair('ES256');
      const tokens = await codeFlow(
        client,
        oauth.ClientSecretBasic(WEB_SECRET),
        oauth.DPoP(client, keyPair),
      );
      const jwk = await exportJWK(keyPair.publicKey);
      for (const scheme of ['dpop', 'DPOP', 'DPoP']) {
        const proof = await new SignJWT({
          htm: 'GET',
          htu: `${op.issuer}/userinfo`,
          iat: Math.floor(Date.now() / 1000),
          jti: randomUUID(),
          ath: ath(tokens.access_token),
        })
          .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
          .sign(keyPair.privateKey);
        const response = await fetch(`${op.issuer}/userinfo`, {
          headers: { authorization: `${scheme} ${tokens.access_token}`, dpop: proof },
        });
        assert.equal(response.status, 200, `${scheme}: ${await response.clone().text()}`);
        assert.equal(((await response.json()) as { name?: string }).name, 'Alice Example');
      }
    });

    test('RFC 9449 7.2: a DPoP-bound token sent as Bearer is refused; a proof without ath too (conformance: dpop token as bearer, missing ath)', async () => {
      const client: oauth.Client = { client_id: 'web' };
      const dpop = oauth.DPoP(client, await oauth.generateKeyPair('EdDSA'));
      const tokens = await codeFlow(client, oauth.ClientSecretBasic(WEB_SECRET), dpop);
      const asBearer = await fetch(`${op.issuer}/userinfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      assert.equal(asBearer.status, 401);
      assert.match(asBearer.headers.get('www-authenticate')!, /^Bearer .*error="invalid_token"/);

      const key = await proofKey();
      const noAth = await fetch(`${op.issuer}/userinfo`, {
        headers: {
          authorization: `DPoP ${tokens.access_token}`,
          dpop: await key.proof({ htm: 'GET', htu: `${op.issuer}/userinfo` }),
        },
      });
      assert.equal(noAth.status, 401);
      assert.match(
        noAth.headers.get('www-authenticate')!,
        /^DPoP .*error="invalid_dpop_proof".*algs="ES256 PS256 EdDSA Ed25519 RS256"/,
      );
      const otherKey = await fetch(`${op.issuer}/userinfo`, {
        headers: {
          authorization: `DPoP ${tokens.access_token}`,
          dpop: await key.proof({
            htm: 'GET',
            htu: `${op.issuer}/userinfo`,
            ath: ath(tokens.access_token),
          }),
        },
      });
      assert.equal(otherKey.status, 401, 'a proof by another key than cnf.jkt');

      const introspection = await fetch(`${op.issuer}/introspect`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic('web', WEB_SECRET),
        },
        body: new URLSearchParams({ token: tokens.access_token }),
      });
      const introspected = (await introspection.json()) as {
        active: boolean;
        token_type: string;
        cnf?: { jkt: string };
      };
      assert.equal(introspected.active, true);
      assert.equal(introspected.token_type, 'DPoP');
      assert.match(
        introspected.cnf!.jkt,
        /^[A-Za-z0-9_-]{43}$/,
        'RFC 9449 6.2: introspection returns cnf',
      );
    });

    test('RFC 9449 6.2: a DPoP-bound token is introspected with cnf.jkt and token_type DPoP, and revoked by its client (RFC 7009)', async () => {
      const { jkt, proof } = await proofKey();
      const service = basic('service', `${WEB_SECRET}-svc`);
      const issued = await tokenRequest(
        op.issuer,
        { grant_type: 'client_credentials', scope: 'reports.read' },
        { authorization: service, dpop: await proof({ htm: 'POST', htu: `${op.issuer}/token` }) },
      );
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      assert.equal(issued.body.token_type, 'DPoP');
      const token = issued.body.access_token as string;
      const inspect = async () => {
        const response = await fetch(`${op.issuer}/introspect`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: service },
          body: new URLSearchParams({ token }),
        });
        return (await response.json()) as Record<string, unknown>;
      };
      const live = await inspect();
      assert.equal(live.active, true);
      assert.equal(live.token_type, 'DPoP');
      assert.deepEqual(live.cnf, { jkt });
      const revoked = await fetch(`${op.issuer}/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: service },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
      });
      assert.equal(revoked.status, 200);
      assert.deepEqual(await inspect(), { active: false });
    });

    test('RFC 9449 8, Fetch CORS: browser apps may send DPoP to /token and /userinfo and read DPoP-Nonce and WWW-Authenticate', async () => {
      for (const path of ['/token', '/userinfo']) {
        const preflight = await fetch(`${op.issuer}${path}`, {
          method: 'OPTIONS',
          headers: {
            origin: 'https://spa.example',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'dpop, content-type',
          },
        });
        assert.equal(preflight.status, 204, path);
        assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /\bDPoP\b/, path);
      }
      const refused = await fetch(`${op.issuer}/userinfo`, {
        headers: { origin: 'https://spa.example', authorization: 'DPoP not-a-token' },
      });
      const exposed = refused.headers.get('access-control-expose-headers') ?? '';
      assert.match(exposed, /DPoP-Nonce/);
      assert.match(exposed, /WWW-Authenticate/);
    });

    test('fapi2-security-profile-final-dpop-negative-tests: RFC 9449 4.3, 11.1: a replayed proof, a proof for another URI or method, and iat 70 s ahead are refused at /token', async () => {
      const key = await proofKey();
      const token = (dpop: string) =>
        tokenRequest(
          op.issuer,
          {
            grant_type: 'authorization_code',
            code: 'irrelevant',
            redirect_uri: CALLBACK,
            code_verifier: pkce().verifier,
          },
          { authorization: basic('web', WEB_SECRET), dpop },
        );
      const replayed = await key.proof({ htm: 'POST', htu: `${op.issuer}/token` });
      assert.equal((await token(replayed)).body.error, 'invalid_grant', 'the proof itself passed');
      assert.equal((await token(replayed)).body.error, 'invalid_dpop_proof', 'replayed');
      assert.equal(
        (await token(await key.proof({ htm: 'POST', htu: `${op.issuer}/userinfo` }))).body.error,
        'invalid_dpop_proof',
        'another URI',
      );
      assert.equal(
        (await token(await key.proof({ htm: 'GET', htu: `${op.issuer}/token` }))).body.error,
        'invalid_dpop_proof',
        'another method',
      );
      const ahead = await key.proof({
        htm: 'POST',
        htu: `${op.issuer}/token`,
        iat: Math.floor(Date.now() / 1000) + 70,
      });
      const refused = await token(ahead);
      assert.deepEqual([refused.status, refused.body.error], [400, 'invalid_dpop_proof']);
    });

    // Conformance: fapi2-security-profile-final-ensure-dpopproof-with-iat-10seconds-before-succeeds,
    // fapi2-security-profile-final-ensure-dpopproof-with-iat-10seconds-after-succeeds, fapi2-security-profile-final-check-dpop-proof-nbf-exp.
    test('fapi2-security-profile-final-ensure-dpopproof-with-iat-10seconds-before-succeeds and two more: proofs within 10 s of skew, or carrying nbf and exp, are accepted at /token (FAPI 2.0 SP 5.3.2.1-13, RFC 9449 4.3)', async () => {
      const key = await proofKey();
      const now = Math.floor(Date.now() / 1000);
      for (const [label, claims] of [
        ['iat 10 s ago', { iat: now - 10 }],
        ['iat 10 s ahead', { iat: now + 10 }],
        ['nbf now, exp in 5 minutes', { nbf: now, exp: now + 300 }],
      ] as const) {
        const result = await tokenRequest(
          op.issuer,
          {
            grant_type: 'authorization_code',
            code: 'irrelevant',
            redirect_uri: CALLBACK,
            code_verifier: pkce().verifier,
          },
          {
            authorization: basic('web', WEB_SECRET),
            dpop: await key.proof({ htm: 'POST', htu: `${op.issuer}/token`, ...claims }),
          },
        );
        // invalid_grant is about the made-up code: the proof itself passed.
        assert.equal(
          result.body.error,
          'invalid_grant',
          `${label}: ${JSON.stringify(result.body)}`,
        );
      }
    });

    test('fapi2-security-profile-final-ensure-token-endpoint-fails-with-mismatched-dpop-jkt, -ensure-dpop-auth-code-binding-success: RFC 9449 10: dpop_jkt at /authorize binds the code to that key', async () => {
      const key = await proofKey();
      const other = await proofKey();
      const { verifier, challenge } = pkce();
      const { callback } = await signIn(
        new TestBrowser(),
        authorizeUrl(op.issuer, webRequest(challenge, { dpop_jkt: key.jkt })),
      );
      const code = callback.searchParams.get('code')!;
      const exchange = async (dpop?: string) =>
        tokenRequest(
          op.issuer,
          {
            grant_type: 'authorization_code',
            code,
            redirect_uri: CALLBACK,
            code_verifier: verifier,
          },
          { authorization: basic('web', WEB_SECRET), ...(dpop ? { dpop } : {}) },
        );
      assert.equal((await exchange()).body.error, 'invalid_dpop_proof', 'no proof');
      assert.equal(
        (await exchange(await other.proof({ htm: 'POST', htu: `${op.issuer}/token` }))).body.error,
        'invalid_dpop_proof',
        'another key',
      );
      const ok = await exchange(await key.proof({ htm: 'POST', htu: `${op.issuer}/token` }));
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.token_type, 'DPoP');
    });

    test('issue 31 item 7: dpop_bound_access_tokens (CLI) makes a proof mandatory at /token; openid-client with DPoP and PAR', async () => {
      const added = await idp(
        [
          'clients',
          'add',
          'bound',
          '--redirect-uri',
          CALLBACK,
          '--dpop-bound-access-tokens',
          '--grant-type',
          'authorization_code',
          '--grant-type',
          'client_credentials',
          '--scope',
          'openid profile reports.read',
        ],
        op.env,
      );
      assert.equal(added.code, 0, added.stderr);
      const secret = /client_secret: (\S+)/.exec(added.stdout)![1]!;
      const listed = JSON.parse((await idp(['clients', 'list', '--json'], op.env)).stdout) as {
        clients: Record<string, unknown>[];
      };
      assert.equal(
        listed.clients.find((c) => c.client_id === 'bound')!.dpop_bound_access_tokens,
        true,
      );

      const withoutProof = await tokenRequest(
        op.issuer,
        { grant_type: 'client_credentials', scope: 'reports.read' },
        { authorization: basic('bound', secret) },
      );
      assert.deepEqual([withoutProof.status, withoutProof.body.error], [400, 'invalid_dpop_proof']);

      const config = await oidc.discovery(
        new URL(op.issuer),
        'bound',
        undefined,
        oidc.ClientSecretBasic(secret),
        { execute: [oidc.allowInsecureRequests] },
      );
      const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
      const machine = await oidc.clientCredentialsGrant(
        config,
        { scope: 'reports.read' },
        { DPoP },
      );
      assert.equal(machine.token_type, 'dpop');

      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = await oidc.buildAuthorizationUrlWithPAR(
        config,
        {
          redirect_uri: CALLBACK,
          scope: 'openid profile',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
        },
        { DPoP },
      );
      const { callback } = await signIn(new TestBrowser(), url.href);
      const tokens = await oidc.authorizationCodeGrant(
        config,
        callback,
        { pkceCodeVerifier: verifier, expectedState: state },
        undefined,
        { DPoP },
      );
      assert.equal(tokens.token_type, 'dpop');
      const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub, {
        DPoP,
      });
      assert.equal(info.name, 'Alice Example');
    });
  });

  describe(`DPoP server nonces on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider, { IDP_DPOP_NONCE: 'true' });
    });
    after(async () => op?.close());

    test('RFC 9449 8: a proof without the nonce gets use_dpop_nonce with DPoP-Nonce; oauth4webapi retries with it (nonce required then supplied)', async () => {
      const as = await authorizationServer(op.issuer);
      const client: oauth.Client = { client_id: 'service' };
      const auth = oauth.ClientSecretBasic(`${WEB_SECRET}-svc`);
      const dpop = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
      const request = () =>
        oauth.clientCredentialsGrantRequest(
          as,
          client,
          auth,
          { scope: 'reports.read' },
          { ...insecure, DPoP: dpop },
        );
      let first: Response | undefined = await request();
      let tokens: oauth.TokenEndpointResponse | undefined;
      try {
        tokens = await oauth.processClientCredentialsResponse(as, client, first);
      } catch (error) {
        assert.ok(oauth.isDPoPNonceError(error), String(error));
        first = undefined;
      }
      assert.equal(first, undefined, 'the first request is refused with use_dpop_nonce');
      tokens = await oauth.processClientCredentialsResponse(as, client, await request());
      assert.equal(tokens.token_type, 'dpop');

      const key = await proofKey();
      const raw = await tokenRequest(
        op.issuer,
        { grant_type: 'client_credentials' },
        {
          authorization: basic('service', `${WEB_SECRET}-svc`),
          dpop: await key.proof({ htm: 'POST', htu: `${op.issuer}/token` }),
        },
      );
      assert.deepEqual([raw.status, raw.body.error], [400, 'use_dpop_nonce']);
      assert.match(raw.headers.get('dpop-nonce') ?? '', /^[A-Za-z0-9_-]{43}$/);
    });
  });
}
