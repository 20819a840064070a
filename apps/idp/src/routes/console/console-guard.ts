import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendHtml } from '../../http/html-reply.js';
import { CONSOLE_CSP, type ConsoleFrame } from '../../views/console/console-layout.js';
import { actorOf, authenticateAccessToken, type AdminPrincipal } from '../admin/admin-auth.js';
import { notAnAdministrator, signInProblem } from './console-sign-in.js';
import { csrfMatches, endConsoleSession, readConsoleSession } from './console-session.js';

/** Who is using the console on this request, set by the guard. */
export interface ConsoleUser {
  readonly principal: Extract<AdminPrincipal, { kind: 'user' }>;
  readonly actor: string;
  readonly frame: ConsoleFrame;
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleUser: ConsoleUser | null;
  }
}

export function consoleUser(request: FastifyRequest): ConsoleUser {
  if (!request.consoleUser) throw new Error('console route without the console guard');
  return request.consoleUser;
}

/** A submitted console form: `one` for a single field (the first if repeated), `all` for checkboxes. */
export interface ConsoleForm {
  one(name: string): string | undefined;
  all(name: string): string[];
}

export function formOf(request: FastifyRequest): ConsoleForm {
  const body =
    request.body !== null && typeof request.body === 'object'
      ? (request.body as Record<string, unknown>)
      : {};
  const all = (name: string): string[] => {
    const value = Object.hasOwn(body, name) ? body[name] : undefined;
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return list.filter((item): item is string => typeof item === 'string');
  };
  return { all, one: (name) => all(name)[0] };
}

/**
 * Admits administrators only, on every console request: the session cookie's access token is
 * checked as the admin API checks it (the role read from the database each time). Without a
 * live session a page view goes to the sign-in, a form post gets a page saying the session ended
 * (its input cannot be replayed after signing in). Every POST must carry this session's CSRF
 * token; one from an earlier session or another browser is refused with a plain-words page.
 */
export function installConsoleGuard(app: FastifyInstance, open: ReadonlySet<string>): void {
  app.decorateRequest('consoleUser', null);
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url ?? '';
    if (open.has(route)) return;
    const session = await readConsoleSession(request, app);
    const principal = session ? await authenticateAccessToken(app, session.accessToken) : undefined;
    if (principal && 'kind' in principal && principal.kind === 'user' && session) {
      if (request.method === 'POST' && !csrfMatches(session, formOf(request).one('csrf'))) {
        request.log.info('console form refused: stale or missing CSRF token');
        return sendHtml(
          reply,
          403,
          signInProblem(request.locale, (t) => ({
            title: t.formExpiredTitle,
            message: t.formExpired,
          })),
          CONSOLE_CSP,
        );
      }
      request.consoleUser = {
        principal,
        actor: actorOf(principal),
        frame: { email: principal.email, csrf: session.csrf, locale: request.locale },
      };
      return;
    }
    endConsoleSession(reply, app);
    if (principal && 'status' in principal && principal.status === 403)
      return sendHtml(reply, 403, notAnAdministrator(request.locale), CONSOLE_CSP);
    if (request.method === 'GET')
      return reply
        .header('cache-control', 'no-store')
        .redirect(`/admin/login?return=${encodeURIComponent(request.url)}`, 303);
    return sendHtml(
      reply,
      401,
      signInProblem(request.locale, (t) => ({
        title: t.sessionEndedTitle,
        message: t.sessionEnded,
      })),
      CONSOLE_CSP,
    );
  });
}
