import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { TOKEN_PATH } from '../routes/oauth/token.js';
import { USERINFO_PATH } from '../routes/oauth/userinfo.js';
import { REVOCATION_PATH } from '../routes/oauth/revocation.js';
import { JWKS_PATH } from '../routes/well-known/jwks.js';

/**
 * The endpoints a browser application on another origin calls with `fetch`: discovery, the JWKS,
 * the token endpoint and userinfo. The interactive endpoints (/authorize, /login, /consent) are
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
 * Any origin, never with credentials: these endpoints authenticate with what the request carries
 * (client credentials, a code verifier, a bearer token), not with cookies, so `*` is safe and
 * `Access-Control-Allow-Credentials` stays off. Preflights may ask for `Authorization` (userinfo's
 * bearer token, or a confidential client's Basic credentials) and `Content-Type`.
 */
const OPTIONS: FastifyCorsOptions = {
  origin: '*',
  credentials: false,
  methods: ['GET', 'POST'],
  allowedHeaders: ['Authorization', 'Content-Type'],
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
    for (const path of CORS_PATHS) {
      app.options(path, (_request, reply) =>
        reply
          .status(204)
          .header('access-control-allow-methods', 'GET, POST')
          .header('access-control-allow-headers', 'Authorization, Content-Type')
          .header('access-control-max-age', '600')
          .send(),
      );
    }
  },
  { name: 'idp-public-endpoints-cors', fastify: '5.x' },
);
