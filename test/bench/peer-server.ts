/**
 * node-oidc-provider (v9) configured like our server, for the side-by-side numbers: RS256 key,
 * JWT access tokens for the API resource (resource indicators), refresh token rotation,
 * client_credentials, introspection and revocation, PKCE S256 required, the default in-memory
 * adapter, client_secret_basic clients; plus, as on ours, a `private_key_jwt` client (ES256, its
 * public key from the driver in BENCH_ASSERTION_JWK), a client whose access tokens are DPoP-bound,
 * DPoP without server nonces, and pushed authorization requests. Started by peer.ts with an IPC channel; listens on the
 * port given as the first argument and sends { ready: true } once it does.
 *
 * Items the scenarios consume are minted through the Provider API on request over IPC (see
 * `mint`), not by driving its devInteractions pages: that is what a login would store, made
 * in microseconds instead of six HTTP round trips each, and it keeps the server idle between
 * windows. Minted codes are not tied to a browser session, so their exchange skips one
 * in-memory session lookup that a real login's code would cost.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { JWK } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';
import LRU from 'oidc-provider/lib/helpers/lru.js';
import { BENCH } from './fixture.js';

// tsx (which runs this file) turns source maps on, making every Error's stack dearer; our
// server runs compiled JavaScript without them.
process.setSourceMapsEnabled(false);

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const SUBJECT = 'bench-user';
// The default adapter, in memory, but its store is an LRU of 1000 entries: a window's codes or
// tokens would evict each other (and their grants) long before they are used. Same adapter and
// store classes, with room for every item a run makes.
const store = new LRU({ maxSize: 10_000_000 });

const assertionJwk = JSON.parse(process.env.BENCH_ASSERTION_JWK ?? 'null') as JWK | null;
if (!assertionJwk) throw new Error('BENCH_ASSERTION_JWK is not set (peer.ts passes it)');

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const resourceServer = {
  scope: BENCH.service.scope,
  accessTokenFormat: 'jwt',
  jwt: { sign: { alg: 'RS256' } },
} as const;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: BENCH.web.id,
      client_secret: BENCH.web.secret,
      redirect_uris: [BENCH.callback],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: BENCH.scope,
    },
    {
      client_id: BENCH.service.id,
      client_secret: BENCH.service.secret,
      redirect_uris: [],
      response_types: [],
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: BENCH.service.scope,
    },
    {
      client_id: BENCH.keyed.id,
      redirect_uris: [],
      response_types: [],
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [assertionJwk] },
      scope: BENCH.service.scope,
    },
    {
      client_id: BENCH.dpop.id,
      client_secret: BENCH.dpop.secret,
      redirect_uris: [],
      response_types: [],
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      dpop_bound_access_tokens: true,
      scope: BENCH.service.scope,
    },
  ],
  jwks: {
    keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' }],
  },
  findAccount: (_ctx: KoaContextWithOIDC, sub: string) => ({
    accountId: sub,
    claims: () => ({ sub, email: BENCH.user.email, email_verified: true, name: BENCH.user.name }),
  }),
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // The defaults plus the API's scope, so that the service client may register it.
  scopes: ['openid', 'offline_access', BENCH.service.scope],
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    // Nonces off, as on ours (IDP_DPOP_NONCE defaults to false): no nonceSecret, none required.
    dPoP: { enabled: true },
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
    resourceIndicators: {
      enabled: true,
      // Every token request without a resource parameter is for the API, as a JWT.
      defaultResource: () => BENCH.resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => resourceServer,
    },
  },
  pkce: { required: () => true },
  rotateRefreshToken: true,
  adapter: (model: string) => new MemoryAdapter(model, store),
  cookies: { keys: [randomBytes(32).toString('base64url')] },
});

/** Requests from peer.ts: `count` fresh codes, or opaque access tokens (userinfo, introspection, revocation). */
export interface MintRequest {
  readonly id: number;
  readonly kind: 'codes' | 'opaqueAccessTokens';
  readonly count: number;
  readonly codeChallenge: string;
}

/**
 * A grant like the one a login with consent to the bench scopes leaves behind. One per item, as
 * one per login: the adapter rewrites a grant's whole member list on every token it stores, so
 * a grant shared by thousands of items would make each request cost more than it should.
 */
async function benchGrant(): Promise<string> {
  const grant = new provider.Grant({ accountId: SUBJECT, clientId: BENCH.web.id });
  grant.addOIDCScope(BENCH.scope);
  grant.addOIDCClaims(['sub', 'email', 'email_verified', 'name']);
  grant.addResourceScope(BENCH.resource, BENCH.service.scope);
  return grant.save();
}

async function mint(request: MintRequest): Promise<string[]> {
  const client = await provider.Client.find(BENCH.web.id);
  if (!client) throw new Error('bench client missing');
  const now = Math.floor(Date.now() / 1000);
  const one = async () => {
    const grantId = await benchGrant();
    return request.kind === 'codes'
      ? new provider.AuthorizationCode({
          accountId: SUBJECT,
          grantId,
          client,
          scope: BENCH.scope,
          resource: BENCH.resource,
          redirectUri: BENCH.callback,
          codeChallenge: request.codeChallenge,
          codeChallengeMethod: 'S256',
          authTime: now,
          // Not stored with a code; the typings ask for it.
          gty: 'authorization_code',
        }).save()
      : new provider.AccessToken({
          accountId: SUBJECT,
          grantId,
          client,
          scope: 'openid profile email',
          gty: 'authorization_code',
        }).save();
  };
  return Promise.all(Array.from({ length: request.count }, one));
}

process.on('message', (message: MintRequest) => {
  mint(message).then(
    (items) => process.send!({ id: message.id, items }),
    (error: unknown) => process.send!({ id: message.id, error: String(error) }),
  );
});
// Loopback only, like our server in the bench.
const server = createServer(provider.callback()).listen(port, '127.0.0.1', () =>
  process.send!({ ready: true }),
);
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
// The IPC channel closes when the driver dies: do not outlive it.
process.once('disconnect', () => process.exit(0));
