import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { TOKEN_PATH } from '../routes/oauth/token.js';
import { USERINFO_PATH } from '../routes/oauth/userinfo.js';
import { REVOCATION_PATH } from '../routes/oauth/revocation.js';
import { REGISTRATION_PATH } from '../routes/oauth/registration.js';
import { JWKS_PATH } from '../routes/well-known/jwks.js';

/**
 * The endpoints a browser application on another origin calls with `fetch`: discovery, the JWKS,
 * the token endpoint and userinfo (and registration, below). The interactive endpoints (/authorize, /login, /consent) are
 * top-level navigations and /admin is for operators: none of them gets CORS headers, and a
 * preflight to them is answered 404 like any unknown route.
 */
export const CORS_PATHS: ReadonlySet<string> = new Set([
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
  JWKS_PATH,
  TOKEN_PATH,
  USERINFO_PATH,
  // Browser apps revoke their tokens on sign-out (RFC 7009 via e.g. oidc-client-ts revokeTokens).
  REVOCATION_PATH,
]);

/**
 * Dynamic client registration (RFC 7591 3, RFC 7592 2), when IDP_REGISTRATION is not `closed`:
 * browser-based clients register themselves with `fetch` and read, update or delete their
 * registration with its access token. Each path with the methods its preflight grants.
 */
const REGISTRATION_PREFLIGHTS: ReadonlyMap<string, string> = new Map([
  [REGISTRATION_PATH, 'POST'],
  [`${REGISTRATION_PATH}/:clientId`, 'GET, PUT, DELETE'],
]);

/**
 * Request headers a preflight may ask for: `Authorization` (userinfo's access token, or a
 * confidential client's Basic credentials), `Content-Type`, and `DPoP` (RFC 9449 4.1: the proof a
 * browser app sends to /token and /userinfo).
 */
const ALLOWED_HEADERS = 'Authorization, Content-Type, DPoP';

/**
 * Response headers a script on another origin may read: `DPoP-Nonce` (RFC 9449 8, 9: the nonce a
 * browser app must put in its next proof) and `WWW-Authenticate` (the error of a refused access
 * token at userinfo, RFC 6750 3, and the DPoP nonce challenge, RFC 9449 9).
 */
const EXPOSED_HEADERS = 'DPoP-Nonce, WWW-Authenticate';

/**
 * Any origin, never with credentials: these endpoints authenticate with what the request carries
 * (client credentials, a code verifier, a bearer token, a DPoP proof), not with cookies, so `*` is
 * safe and `Access-Control-Allow-Credentials` stays off.
 */
const OPTIONS: FastifyCorsOptions = {
  origin: '*',
  credentials: false,
  methods: ['GET', 'POST'],
  allowedHeaders: ALLOWED_HEADERS,
  exposedHeaders: EXPOSED_HEADERS,
  maxAge: 600,
  // Preflights are answered by the routes below, one per CORS path, so that a preflight to any
  // other path (/login, /admin, ...) finds no route: @fastify/cors's own `OPTIONS *` would
  // answer every path.
  preflight: false,
};

/**
 * CORS for the context it is registered in (register it inside the plugin holding the
 * `CORS_PATHS` routes). Options are fixed, so @fastify/cors normalises them once, not per request.
 */
export const publicEndpointsCors = fp(
  async (app: FastifyInstance) => {
    await app.register(cors, OPTIONS);
    const preflights = new Map([...CORS_PATHS].map((path) => [path, 'GET, POST']));
    // No preflight for an endpoint that is not there: with registration closed, /register is 404.
    if (app.config.registration !== 'closed')
      for (const [path, methods] of REGISTRATION_PREFLIGHTS) preflights.set(path, methods);
    for (const [path, methods] of preflights) {
      app.options(path, (_request, reply) =>
        reply
          .status(204)
          .header('access-control-allow-methods', methods)
          .header('access-control-allow-headers', ALLOWED_HEADERS)
          .header('access-control-max-age', '600')
          .send(),
      );
    }
  },
  { name: 'idp-public-endpoints-cors', fastify: '5.x' },
);
