import { createHash, timingSafeEqual } from 'node:crypto';
import { ADMIN_SCOPE, inspectToken } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inspectionDeps } from '../oauth/client-authenticated-form.js';

export { ADMIN_SCOPE };

/**
 * Who calls the admin API. `bootstrap`: the static IDP_ADMIN_TOKEN, for first setup (granting
 * the first admin role has the CLI, so it is optional). `client`: an access token of this server,
 * issued by the client credentials grant to a client registered with the `idp:admin` scope.
 * `user`: a person's access token with that scope, issued at sign-in (the console's, or any
 * client registered with the scope) to a user holding the admin role.
 */
export type AdminPrincipal =
  | { readonly kind: 'bootstrap' }
  | { readonly kind: 'client'; readonly clientId: string }
  | {
      readonly kind: 'user';
      readonly sub: string;
      readonly email: string;
      readonly clientId: string;
      /** The token's expiry, in milliseconds: the console's session ends with it. */
      readonly expiresAt: number;
    };

/** How the principal is named in the audit trail. */
export function actorOf(principal: AdminPrincipal): string {
  switch (principal.kind) {
    case 'bootstrap':
      return 'admin-token';
    case 'client':
      return `client:${principal.clientId}`;
    case 'user':
      return `user:${principal.sub}`;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the admin API's authentication before any handler runs; null elsewhere. */
    adminPrincipal: AdminPrincipal | null;
  }
}

/** The authenticated principal of an admin request (its preHandler ran). */
export function principalOf(request: FastifyRequest): AdminPrincipal {
  if (!request.adminPrincipal) throw new Error('admin route without admin authentication');
  return request.adminPrincipal;
}

/** The actor of an admin request, for the stores' audit events. */
export function actor(request: FastifyRequest): string {
  return actorOf(principalOf(request));
}

type AuthApp = Pick<
  FastifyInstance,
  'config' | 'clock' | 'keyRing' | 'families' | 'refreshTokens' | 'clients' | 'users'
>;

export type Refusal = { status: 401 | 403; error: string; description: string };

const NOT_AN_ADMIN: Refusal = {
  status: 403,
  error: 'insufficient_scope',
  description: `The admin API needs an access token with the ${ADMIN_SCOPE} scope, issued to a client registered with it (client credentials) or to a user holding the admin role.`,
};

/**
 * Decides who presents `token`: the bootstrap token (both sides hashed first, so the comparison
 * is constant-time whatever the length), or a live access token of ours (signature, `typ`,
 * issuer, expiry, revocation list and family, as introspection checks) whose audience is this
 * issuer, whose scope holds `idp:admin`, whose subject is the client itself (client credentials)
 * and whose client still exists and is still registered with that scope.
 */
async function authenticate(
  app: AuthApp,
  bootstrapHash: Buffer | undefined,
  token: string,
): Promise<AdminPrincipal | Refusal> {
  if (bootstrapHash) {
    const presented = createHash('sha256').update(token).digest();
    if (timingSafeEqual(presented, bootstrapHash)) return { kind: 'bootstrap' };
  }
  return authenticateAccessToken(app, token);
}

/**
 * Decides whether an access token of ours opens the admin API, and for whom; every check reads
 * the database, so a client losing the scope or a user losing the role (or being disabled) stops
 * their tokens at their next call, not at expiry. Used by the API and by the console.
 */
export async function authenticateAccessToken(
  app: AuthApp,
  token: string,
): Promise<AdminPrincipal | Refusal> {
  const live = await inspectToken(token, 'access_token', inspectionDeps(app), 'introspection');
  if (!live || live.kind !== 'access_token')
    return {
      status: 401,
      error: 'invalid_token',
      description: 'The access token is not valid: unknown, expired or revoked.',
    };
  const { payload } = live;
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(app.config.issuer))
    return {
      status: 401,
      error: 'invalid_token',
      description: `The access token is not meant for this server (aud must include ${app.config.issuer}).`,
    };
  // RFC 9449: a DPoP-bound token is no bearer token; the admin API does not take DPoP proofs.
  if (payload.cnf !== undefined)
    return {
      status: 401,
      error: 'invalid_token',
      description: 'The admin API takes bearer tokens, not DPoP-bound ones.',
    };
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
  const clientId = typeof payload.client_id === 'string' ? payload.client_id : '';
  // Read fresh, not from the client cache: taking the scope away or removing the client stops
  // its tokens at once.
  const client = clientId ? await app.clients.findById(clientId) : null;
  if (!scopes.includes(ADMIN_SCOPE) || !client?.scopes.includes(ADMIN_SCOPE)) return NOT_AN_ADMIN;
  // Client credentials: no family (no person signed in), the client is the subject.
  if (live.family === null && payload.sub === clientId) return { kind: 'client', clientId };
  if (live.family === null || typeof payload.sub !== 'string') return NOT_AN_ADMIN;
  // A person's token: the role is read on every call, so revoke-admin acts at once.
  const user = await app.users.findById(payload.sub);
  if (!user || user.disabled || !user.admin) return NOT_AN_ADMIN;
  return {
    kind: 'user',
    sub: user.id,
    email: user.email,
    clientId,
    expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : app.clock.now(),
  };
}

/**
 * A preHandler that admits admin principals only, and records which one on the request.
 * Refusals are JSON (`error`, `error_description`) with a Bearer challenge (RFC 6750 3).
 */
export function requireAdmin(app: AuthApp, bootstrapToken: string | undefined) {
  const bootstrapHash = bootstrapToken
    ? createHash('sha256').update(bootstrapToken).digest()
    : undefined;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const token = /^Bearer +(\S+) *$/i.exec(header)?.[1];
    const result: AdminPrincipal | Refusal = token
      ? await authenticate(app, bootstrapHash, token)
      : {
          status: 401,
          error: 'invalid_token',
          description: 'The admin API needs Authorization: Bearer <access token with idp:admin>.',
        };
    if ('kind' in result) {
      request.adminPrincipal = result;
      return;
    }
    request.log.info({ error: result.error }, 'admin request refused');
    const challenge =
      result.status === 403
        ? `Bearer realm="admin", error="insufficient_scope", scope="${ADMIN_SCOPE}"`
        : 'Bearer realm="admin"';
    return reply
      .status(result.status)
      .header('www-authenticate', challenge)
      .header('cache-control', 'no-store')
      .send({ error: result.error, error_description: result.description });
  };
}
