import { randomBytes } from 'node:crypto';
import type { AuthenticatedSession, EndedSession } from '@idp/oidc';
import { acrOf, AMR_PASSWORD, sha256Hex } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isHttpsIssuer } from './security-headers.js';

/** What this module reads from the instance's decorators (plugins/stores.ts). */
type SessionDeps = Pick<FastifyInstance, 'config' | 'clock' | 'sessions' | 'users'>;
type CookieDeps = Pick<FastifyInstance, 'config'>;

export const SESSION_COOKIE = 'idp_session';
export const CSRF_COOKIE = 'idp_csrf';

/**
 * The cookie's name as sent: on an https issuer with the `__Host-` prefix, which browsers accept
 * only with Secure, Path=/ and no Domain, so no subdomain or plain-http page can set or shadow it
 * (RFC 6265bis 4.1.3.2). On an http issuer (local development) browsers would refuse such a
 * cookie, so the plain name stays.
 */
function cookieName(app: CookieDeps, name: string): string {
  return isHttpsIssuer(app.config.issuer) ? `__Host-${name}` : name;
}

/** Attributes shared by setting and clearing a cookie: a browser drops a cookie only when they match. */
function cookieAttributes(app: CookieDeps) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: isHttpsIssuer(app.config.issuer),
  };
}

function cookieOptions(app: CookieDeps, maxAgeSeconds: number) {
  return { ...cookieAttributes(app), signed: true, maxAge: maxAgeSeconds };
}

function readSignedCookie(
  request: FastifyRequest,
  app: CookieDeps,
  name: string,
): string | undefined {
  const raw = request.cookies[cookieName(app, name)];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : undefined;
}

/**
 * The session behind the request's cookie, if it is live: not ended, not expired, and its user
 * still enabled. The cookie holds a random id; the database only its hash.
 */
export async function currentSession(
  request: FastifyRequest,
  app: SessionDeps,
): Promise<AuthenticatedSession | undefined> {
  const id = readSignedCookie(request, app, SESSION_COOKIE);
  if (!id) return undefined;
  const row = await app.sessions.find(sha256Hex(id));
  const now = app.clock.now();
  if (!row || row.endedAt !== null || row.expiresAt <= now) return undefined;
  const user = await app.users.findById(row.userId);
  if (!user || user.disabled) return undefined;
  return { sessionId: row.id, userId: row.userId, authTime: row.authTime, amr: row.amr };
}

/**
 * Starts a session after a successful login, with the RFC 8176 methods used (a password alone
 * by default). A new id every time (no session fixation); the previous session of this browser,
 * if any, ends: a step-up replaces the one-factor session with a two-factor one.
 */
export async function startSession(
  request: FastifyRequest,
  reply: FastifyReply,
  app: SessionDeps,
  userId: string,
  amr: readonly string[] = AMR_PASSWORD,
): Promise<AuthenticatedSession> {
  const now = app.clock.now();
  const previous = readSignedCookie(request, app, SESSION_COOKIE);
  if (previous) await app.sessions.end(sha256Hex(previous), now);
  const id = randomBytes(32).toString('base64url');
  const session = {
    id: sha256Hex(id),
    userId,
    authTime: now,
    amr: [...amr],
    acr: acrOf(amr),
    expiresAt: now + app.config.sessionTtl * 1000,
  };
  await app.sessions.create(session, now);
  void reply.setCookie(
    cookieName(app, SESSION_COOKIE),
    id,
    cookieOptions(app, app.config.sessionTtl),
  );
  return { sessionId: session.id, userId, authTime: now, amr: session.amr };
}

/**
 * The browser's CSRF token (double-submit: a signed cookie whose value must come back in the
 * form and inside the sealed interaction). Created on first use.
 */
export function csrfToken(request: FastifyRequest, reply: FastifyReply, app: CookieDeps): string {
  const existing = readSignedCookie(request, app, CSRF_COOKIE);
  if (existing) return existing;
  const token = randomBytes(24).toString('base64url');
  void reply.setCookie(
    cookieName(app, CSRF_COOKIE),
    token,
    cookieOptions(app, app.config.sessionTtl),
  );
  return token;
}

/** The CSRF token the browser's cookie holds, for comparison with a submitted form. */
export function csrfCookie(request: FastifyRequest, app: CookieDeps): string | undefined {
  return readSignedCookie(request, app, CSRF_COOKIE);
}

/**
 * Signs the browser out: the session ends, its cookie is cleared, and the token families born
 * in it are revoked unless they were granted offline_access (OIDC Core 11). `ended` names the
 * session with its clients when this call ended it, for the logout notices.
 */
export async function endSession(
  request: FastifyRequest,
  reply: FastifyReply,
  app: SessionDeps,
): Promise<{ revokedFamilies: number; ended: EndedSession | null }> {
  const id = readSignedCookie(request, app, SESSION_COOKIE);
  void reply.clearCookie(cookieName(app, SESSION_COOKIE), cookieAttributes(app));
  if (!id) return { revokedFamilies: 0, ended: null };
  return app.sessions.end(sha256Hex(id), app.clock.now(), {
    revokeFamilies: true,
    reason: 'logout',
  });
}

/** Sets a signed, http-only cookie of this server's own (name prefixed as the others are). */
export function setSignedCookie(
  reply: FastifyReply,
  app: CookieDeps,
  name: string,
  value: string,
  maxAgeSeconds: number,
): void {
  void reply.setCookie(cookieName(app, name), value, cookieOptions(app, maxAgeSeconds));
}

/** The value of a signed cookie set by `setSignedCookie`, if it is there and intact. */
export function signedCookie(
  request: FastifyRequest,
  app: CookieDeps,
  name: string,
): string | undefined {
  return readSignedCookie(request, app, name);
}
