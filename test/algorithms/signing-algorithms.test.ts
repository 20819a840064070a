import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { signIn } from '../support/flow.js';
import { idp } from '../support/processes.js';
import { CALLBACK, startProvider, type ProviderFixture } from '../support/provider-fixture.js';
import { waitFor } from '../support/wait-for.js';

/*
 * Issue 31 item 5: ES256, PS256 and EdDSA signing keys beside RS256. A relying party registers
 * `id_token_signed_response_alg` (OIDC Registration 2) and gets ID tokens signed so; access and
 * refresh tokens follow IDP_TOKEN_SIGNING_ALG; everything verifies against the published JWKS,
 * also across a rotation of one algorithm's key.
 */
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
const ADMIN_TOKEN = 'admin-token-for-signing-algorithm-tests-0123456789';

for (const provider of providers) {
  describe(`signing algorithms on ${provider}`, () => {
    let op: ProviderFixture;
    let jwks: ReturnType<typeof createRemoteJWKSet>;
    const secrets = new Map<string, string>();

    before(async () => {
      op = await startProvider(provider, {
        IDP_SIGNING_ALGORITHMS: ALGORITHMS.join(','),
        IDP_TOKEN_SIGNING_ALG: 'ES256',
        IDP_KEY_REFRESH_INTERVAL: '1s',
        IDP_ADMIN_TOKEN: ADMIN_TOKEN,
      });
      // One client through the CLI, one through a seed file: both take the field.
      const added = await idp(
        [
          'clients',
          'add',
          'es-app',
          '--redirect-uri',
          CALLBACK,
          '--grant-type',
          'authorization_code',
          '--grant-type',
          'refresh_token',
          '--id-token-signed-response-alg',
          'ES256',
        ],
        op.env,
      );
      assert.equal(added.code, 0, added.stderr);
      secrets.set('es-app', /client_secret: (\S+)/.exec(added.stdout)![1]!);
      const edSecret = randomBytes(32).toString('base64url');
      const seedFile = join(tmpdir(), `seed-${randomBytes(6).toString('hex')}.json`);
      await writeFile(
        seedFile,
        JSON.stringify({
          clients: [
            {
              client_id: 'ed-app',
              client_secret: edSecret,
              redirect_uris: [CALLBACK],
              id_token_signed_response_alg: 'EdDSA',
            },
          ],
        }),
      );
      const imported = await idp(['import', seedFile], op.env);
      assert.equal(imported.code, 0, imported.stderr);
      secrets.set('ed-app', edSecret);
      jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`), {
        cacheMaxAge: 0,
        cooldownDuration: 0,
      });
    });
    after(async () => op?.close());

    const published = async () =>
      ((await (await fetch(`${op.issuer}/.well-known/jwks.json`)).json()) as JSONWebKeySet).keys;

    /** A full openid-client login (PKCE, nonce) for a client registered with `alg`. */
    async function login(clientId: string, alg: string) {
      const config = await oidc.discovery(
        new URL(op.issuer),
        clientId,
        { id_token_signed_response_alg: alg },
        oidc.ClientSecretBasic(secrets.get(clientId)!),
        { execute: [oidc.allowInsecureRequests] },
      );
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
      });
      const { callback } = await signIn(new TestBrowser(), url.href);
      // openid-client checks the ID token's alg against the registered one (OIDC Core 3.1.3.7 step 7).
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      return { config, tokens };
    }

    test('issue 31 item 5 / OIDC Discovery 3: id_token_signing_alg_values_supported lists exactly the algorithms with keys; the JWKS publishes one key each with alg, use and kid', async () => {
      const discovery = (await (
        await fetch(`${op.issuer}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>;
      assert.deepEqual(discovery.id_token_signing_alg_values_supported, [...ALGORITHMS]);
      const keys = await published();
      assert.deepEqual(keys.map((k) => k.alg).sort(), [...ALGORITHMS].sort());
      const expected: Record<string, string[]> = {
        RS256: ['e', 'n'],
        PS256: ['e', 'n'],
        ES256: ['crv', 'x', 'y'],
        EdDSA: ['crv', 'x'],
      };
      for (const key of keys) {
        assert.equal(key.use, 'sig');
        assert.match(key.kid!, /^[A-Za-z0-9_-]{43}$/, 'kid is an RFC 7638 thumbprint');
        assert.deepEqual(
          Object.keys(key)
            .filter((m) => !['kty', 'use', 'alg', 'kid'].includes(m))
            .sort(),
          expected[key.alg!],
          `${key.alg}: public members only`,
        );
      }
      assert.equal(keys.find((k) => k.alg === 'ES256')!.crv, 'P-256');
      assert.equal(keys.find((k) => k.alg === 'EdDSA')!.crv, 'Ed25519');
    });

    for (const [clientId, alg] of [
      ['es-app', 'ES256'],
      ['ed-app', 'EdDSA'],
    ] as const) {
      test(`oidcc-idtoken-signature, issue 31 item 5 / OIDC Registration 2: an openid-client login for a client with id_token_signed_response_alg ${alg} gets an ID token that verifies against the JWKS`, async () => {
        const { tokens } = await login(clientId, alg);
        const idToken = tokens.id_token!;
        assert.equal(decodeProtectedHeader(idToken).alg, alg);
        const { payload } = await jwtVerify(idToken, jwks, {
          algorithms: [alg],
          issuer: op.issuer,
          audience: clientId,
        });
        assert.equal(payload.sub, tokens.claims()!.sub);
        // OIDC Core 3.1.3.6: at_hash with the hash of the ID token's alg (SHA-512 for Ed25519).
        const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
          .update(tokens.access_token)
          .digest();
        assert.equal(payload.at_hash, digest.subarray(0, digest.length / 2).toString('base64url'));
      });
    }

    test('issue 31 item 5 / RFC 9068 4: a resource server verifies the access token (IDP_TOKEN_SIGNING_ALG=ES256) against the JWKS; userinfo and refresh accept it', async () => {
      const { config, tokens } = await login('es-app', 'ES256');
      assert.equal(decodeProtectedHeader(tokens.access_token).alg, 'ES256');
      const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
        algorithms: ['ES256'],
        typ: 'at+jwt',
        issuer: op.issuer,
        // A client without registered resources gets the issuer as its tokens' audience.
        audience: op.issuer,
      });
      assert.equal(protectedHeader.typ, 'at+jwt');
      assert.equal(payload.client_id, 'es-app');
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
      assert.equal(userinfo.sub, tokens.claims()!.sub);
      assert.equal(decodeProtectedHeader(tokens.refresh_token!).alg, 'ES256');
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
      assert.equal(
        decodeProtectedHeader(refreshed.id_token!).alg,
        'ES256',
        "the refreshed ID token keeps the client's alg",
      );
      await jwtVerify(refreshed.access_token, jwks, { algorithms: ['ES256'], typ: 'at+jwt' });
    });

    test('issue 31 item 5: rotating one algorithm (CLI --alg ES256, admin API alg EdDSA) keeps earlier tokens verifiable and leaves the other keys alone', async () => {
      const before = Object.fromEntries((await published()).map((k) => [k.alg, k.kid]));
      const es = await login('es-app', 'ES256');
      const ed = await login('ed-app', 'EdDSA');

      const rotated = await idp(['keys', 'rotate', '--alg', 'ES256', '--now'], op.env);
      assert.equal(rotated.code, 0, rotated.stderr);
      const esKid = /new key (\S+) signs ES256 from/.exec(rotated.stdout)![1]!;
      const viaApi = await fetch(`${op.issuer}/admin/keys/rotate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: '{"alg":"EdDSA","now":true}',
      });
      assert.equal(viaApi.status, 201);
      const edKid = ((await viaApi.json()) as { kid: string; alg: string }).kid;

      // The CLI ran in another process: this server learns the key on its next refresh.
      await waitFor(
        async () => (await published()).some((k) => k.kid === esKid),
        'the CLI-rotated ES256 key in the JWKS',
      );
      const after = await published();
      for (const alg of ['RS256', 'PS256'] as const)
        assert.ok(
          after.some((k) => k.kid === before[alg]),
          `${alg} key untouched`,
        );
      assert.ok(
        after.some((k) => k.kid === before.ES256) && after.some((k) => k.kid === before.EdDSA),
        'retired keys stay published',
      );

      // Tokens signed before the rotation still verify against the JWKS.
      await jwtVerify(es.tokens.id_token!, jwks, {
        algorithms: ['ES256'],
        issuer: op.issuer,
        audience: 'es-app',
      });
      await jwtVerify(ed.tokens.id_token!, jwks, {
        algorithms: ['EdDSA'],
        issuer: op.issuer,
        audience: 'ed-app',
      });
      await jwtVerify(es.tokens.access_token, jwks, { algorithms: ['ES256'], typ: 'at+jwt' });
      assert.equal(
        (await oidc.fetchUserInfo(es.config, es.tokens.access_token, oidc.skipSubjectCheck)).sub,
        es.tokens.claims()!.sub,
      );

      // New tokens come from the new keys.
      const esAfter = await login('es-app', 'ES256');
      assert.equal(decodeProtectedHeader(esAfter.tokens.id_token!).kid, esKid);
      assert.equal(
        decodeProtectedHeader(esAfter.tokens.access_token).kid,
        esKid,
        'access tokens (ES256) too',
      );
      const edAfter = await login('ed-app', 'EdDSA');
      assert.equal(decodeProtectedHeader(edAfter.tokens.id_token!).kid, edKid);
      const list = JSON.parse((await idp(['keys', 'list', '--json'], op.env)).stdout) as {
        kid: string;
        alg: string;
        state: string;
      }[];
      for (const alg of ALGORITHMS)
        assert.equal(
          list.filter((k) => k.alg === alg && k.state === 'active').length,
          1,
          `exactly one active ${alg} key`,
        );
    });

    test('issue 31 item 5: a client asking for an algorithm without a key is refused by the CLI and the seed import, naming id_token_signed_response_alg', async () => {
      const narrow = { ...op.env, IDP_SIGNING_ALGORITHMS: 'RS256,ES256' };
      const cli = await idp(
        [
          'clients',
          'add',
          'ps-app',
          '--redirect-uri',
          CALLBACK,
          '--id-token-signed-response-alg',
          'PS256',
        ],
        narrow,
      );
      assert.equal(cli.code, 1);
      assert.match(
        cli.stderr,
        /id_token_signed_response_alg: this server has no PS256 signing key; use one of RS256, ES256, or add PS256 to IDP_SIGNING_ALGORITHMS/,
      );
      const unknown = await idp(
        [
          'clients',
          'add',
          'hs-app',
          '--redirect-uri',
          CALLBACK,
          '--id-token-signed-response-alg',
          'HS256',
        ],
        op.env,
      );
      assert.equal(unknown.code, 1);
      assert.match(
        unknown.stderr,
        /id_token_signed_response_alg: must be one of RS256, PS256, ES256, EdDSA/,
      );
      const updated = await idp(
        ['clients', 'update', 'es-app', '--id-token-signed-response-alg', 'EdDSA'],
        narrow,
      );
      assert.equal(updated.code, 1);
      assert.match(
        updated.stderr,
        /id_token_signed_response_alg: this server has no EdDSA signing key/,
      );

      const seedFile = join(tmpdir(), `seed-${randomBytes(6).toString('hex')}.json`);
      await writeFile(
        seedFile,
        JSON.stringify({
          clients: [
            { client_id: 'ok-app', redirect_uris: [CALLBACK] },
            {
              client_id: 'ed-too',
              redirect_uris: [CALLBACK],
              id_token_signed_response_alg: 'EdDSA',
            },
          ],
        }),
      );
      const imported = await idp(['import', seedFile], narrow);
      assert.equal(imported.code, 1);
      assert.match(
        imported.stderr,
        /clients\[1\]\.id_token_signed_response_alg: this server has no EdDSA signing key/,
      );
      const list = await idp(['clients', 'list', '--json'], op.env);
      for (const id of ['ps-app', 'hs-app', 'ok-app', 'ed-too'])
        assert.ok(!list.stdout.includes(`"${id}"`), `${id} was not stored`);
      const es = (
        JSON.parse(list.stdout) as {
          clients: { client_id: string; id_token_signed_response_alg: string }[];
        }
      ).clients.find((c) => c.client_id === 'es-app');
      assert.equal(
        es?.id_token_signed_response_alg,
        'ES256',
        'the refused update changed nothing; the export carries the field',
      );
    });

    test('issue 31 item 5: keys rotate refuses an algorithm the server keeps no keys for (CLI and admin API), and rotates nothing', async () => {
      const before = await published();
      const narrow = { ...op.env, IDP_SIGNING_ALGORITHMS: 'RS256,ES256' };
      const cli = await idp(['keys', 'rotate', '--alg', 'PS256'], narrow);
      assert.equal(cli.code, 1);
      assert.match(
        cli.stderr,
        /PS256 is not among the signing algorithms of this server \(RS256, ES256\); add it to IDP_SIGNING_ALGORITHMS/,
      );
      const usage = await idp(['keys', 'rotate', '--alg', 'HS256'], op.env);
      assert.notEqual(usage.code, 0);
      assert.match(usage.stderr, /--alg must be one of RS256, PS256, ES256, EdDSA/);
      const api = await fetch(`${op.issuer}/admin/keys/rotate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: '{"alg":"HS256"}',
      });
      assert.equal(api.status, 400);
      assert.match(
        ((await api.json()) as { error_description: string }).error_description,
        /^alg: must be one of RS256, PS256, ES256, EdDSA/,
      );
      assert.deepEqual(await published(), before);
    });
  });
}
