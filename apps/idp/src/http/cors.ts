import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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
const ALLOWED: FastifyCorsOptions = {
  origin: '*',
  credentials: false,
  methods: ['GET', 'POST'],
  allowedHeaders: ['Authorization', 'Content-Type'],
  maxAge: 600,
};
const DISABLED: FastifyCorsOptions = { origin: false };

function corsOptionsFor(request: FastifyRequest): FastifyCorsOptions {
  // The path as requested: a preflight is routed to @fastify/cors's `OPTIONS *`, so the route's
  // own URL is no guide. Anything not spelled exactly like an allowed path fails closed.
  const path = request.url.split('?', 1)[0] ?? '';
  return CORS_PATHS.has(path) ? ALLOWED : DISABLED;
}

/** Registers @fastify/cors for the whole application, enabled only on `CORS_PATHS`. */
export const publicEndpointsCors = fp(
  async (app: FastifyInstance) => {
    await app.register(cors, {
      hook: 'onRequest',
      delegator: (request, callback) => callback(null, corsOptionsFor(request)),
    });
  },
  { name: 'idp-public-endpoints-cors', fastify: '5.x' },
);
