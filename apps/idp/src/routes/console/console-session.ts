import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { seal, unseal } from '../../interaction/interaction-state.js';
import { isHttpsIssuer } from '../../http/security-headers.js';

type Deps = Pick<FastifyInstance, 'config' | 'secrets' | 'clock'>;

/**
 * The console's session cookie holds, sealed (A256GCM, unreadable and unalterable by the
 * browser), the admin's access token from the console's own sign-in and the CSRF token of this
 * session. No server-side row: each request checks the token as the admin API does (signature,
 * expiry, revocation, the user's role read from the database), so the session lasts no longer
 * than the token (IDP_ACCESS_TOKEN_TTL) and a revoked role or a disabled user ends it at once.
 */
export interface ConsoleSession {
  readonly accessToken: string;
  readonly csrf: string;
  readonly expiresAt: number;
}

/** What the sign-in carries from /admin/login to /admin/callback (RFC 7636, RFC 6749 10.12). */
export interface ConsoleLogin {
  readonly state: string;
  readonly codeVerifier: string;
  readonly nonce: string;
  /** A console path to return to (never an absolute URL: no open redirect). */
  readonly returnTo: string;
  readonly expiresAt: number;
}

const SESSION = 'idp_admin';
const LOGIN = 'idp_admin_login';
const LOGIN_TTL_MS = 15 * 60_000;

/** `__Host-` on https (no subdomain can set or shadow it), plain on http development issuers. */
function name(app: Deps, base: string): string {
  return isHttpsIssuer(app.config.issuer) ? `__Host-${base}` : base;
}

function attributes(app: Deps, maxAgeSeconds: number) {
  // Lax, not Strict: the sign-in ends in a redirect chain that may start on another site (a
  // link to the console in an e-mail); the CSRF token guards every POST regardless.
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: isHttpsIssuer(app.config.issuer),
    maxAge: maxAgeSeconds,
  };
}

export async function readConsoleSession(
  request: FastifyRequest,
  app: Deps,
): Promise<ConsoleSession | undefined> {
  const sealed = request.cookies[name(app, SESSION)];
  if (!sealed) return undefined;
  return unseal<ConsoleSession>(
    'idp-admin-console',
    sealed,
    app.secrets.interactionKey,
    app.clock.now(),
  );
}

export async function startConsoleSession(
  reply: FastifyReply,
  app: Deps,
  accessToken: string,
  expiresAt: number,
): Promise<void> {
  const session: ConsoleSession = {
    accessToken,
    csrf: randomBytes(24).toString('base64url'),
    expiresAt,
  };
  const sealed = await seal('idp-admin-console', session, app.secrets.interactionKey);
  const seconds = Math.max(1, Math.ceil((expiresAt - app.clock.now()) / 1000));
  void reply.setCookie(name(app, SESSION), sealed, attributes(app, seconds));
}

export function endConsoleSession(reply: FastifyReply, app: Deps): void {
  void reply.clearCookie(name(app, SESSION), attributes(app, 0));
}

export async function saveConsoleLogin(
  reply: FastifyReply,
  app: Deps,
  login: Omit<ConsoleLogin, 'expiresAt'>,
): Promise<void> {
  const state = { ...login, expiresAt: app.clock.now() + LOGIN_TTL_MS };
  const sealed = await seal('idp-admin-login', state, app.secrets.interactionKey);
  void reply.setCookie(name(app, LOGIN), sealed, attributes(app, LOGIN_TTL_MS / 1000));
}

/** The pending sign-in, used up: its cookie is cleared whatever the outcome. */
export async function takeConsoleLogin(
  request: FastifyRequest,
  reply: FastifyReply,
  app: Deps,
): Promise<ConsoleLogin | undefined> {
  const sealed = request.cookies[name(app, LOGIN)];
  void reply.clearCookie(name(app, LOGIN), attributes(app, 0));
  if (!sealed) return undefined;
  return unseal<ConsoleLogin>(
    'idp-admin-login',
    sealed,
    app.secrets.interactionKey,
    app.clock.now(),
  );
}

/** Constant-time comparison of a submitted CSRF token with the session's (hashed first). */
export function csrfMatches(session: ConsoleSession, submitted: unknown): boolean {
  if (typeof submitted !== 'string' || submitted === '') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(session.csrf), digest(submitted));
}

/** A path inside the console to come back to after signing in; anything else is the start page. */
export function consolePath(candidate: unknown): string {
  return typeof candidate === 'string' &&
    /^\/admin(\/[A-Za-z0-9\-._~%/?=&+]*)?$/.test(candidate) &&
    !candidate.startsWith('/admin/api/') &&
    !candidate.includes('//')
    ? candidate
    : '/admin/clients';
}
