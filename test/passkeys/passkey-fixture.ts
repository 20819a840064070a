import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@idp/config';
import { ManualClock } from '@idp/keys/testing';
import { createLogger, startServer, type RunningServer } from '@idp/server';
import * as oidc from 'openid-client';
import { scratchDatabase, type Provider } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { freePort } from '../support/free-port.js';
import { idp } from '../support/processes.js';
import { seed, WEB_SECRET } from '../support/provider-fixture.js';

export interface PasskeyServer {
  /** `http://localhost:<port>`: a WebAuthn RP id must be a domain, never an IP address. */
  readonly issuer: string;
  readonly clock: ManualClock;
  readonly server: RunningServer;
  /** openid-client's view of the server, as the `web` client. */
  readonly config: oidc.Configuration;
  close(): Promise<void>;
}

/**
 * The server in-process on a scratch database of `provider`, seeded with the login tests' users
 * and clients. Time stands still unless a test moves it.
 */
export async function startPasskeyServer(provider: Provider): Promise<PasskeyServer> {
  const clock = new ManualClock(Date.now());
  const database = await scratchDatabase(provider);
  const port = await freePort();
  const issuer = `http://localhost:${port}`;
  const env = await isolatedEnvironment({
    DATABASE_URL: database.url,
    IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
    IDP_ISSUER: issuer,
    PORT: String(port),
    // Fastify binds every loopback address of "localhost", so both 127.0.0.1 and ::1 answer.
    HOST: 'localhost',
  });
  const seedFile = join(tmpdir(), `passkey-seed-${randomBytes(6).toString('hex')}.json`);
  await writeFile(seedFile, JSON.stringify(seed));
  const imported = await idp(['import', seedFile], env);
  assert.equal(imported.code, 0, imported.stderr);
  const server = await startServer(loadConfig(env), { clock, logger: createLogger('silent') });
  const config = await oidc.discovery(
    new URL(issuer),
    'web',
    undefined,
    oidc.ClientSecretBasic(WEB_SECRET),
    { execute: [oidc.allowInsecureRequests] },
  );
  return {
    issuer,
    clock,
    server,
    config,
    close: async () => {
      await server.app.close();
      await database.drop();
    },
  };
}

/**
 * An authorization request of `web` (code + PKCE) built by openid-client, with what redeems it;
 * `params` adds to it (`acr_values`, ...).
 */
export async function authorizationRequest(
  config: oidc.Configuration,
  params: Record<string, string> = {},
) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: 'http://127.0.0.1:9/callback',
    scope: 'openid email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return {
    url,
    redeem: (callback: URL) =>
      oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      }),
  };
}
