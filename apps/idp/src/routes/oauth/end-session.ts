import { DatabaseUnavailable } from '@idp/db';
import { readIdTokenHint, type IdTokenHint, type RegisteredClient } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfCookie, csrfToken, currentSession, endSession } from '../../http/browser-session.js';
import { sendErrorPage, sendHtml } from '../../http/html-reply.js';
import { singleValuedForm } from '../../http/single-valued-form.js';
import { seal, unseal } from '../../interaction/interaction-state.js';
import type { Services } from '../../services.js';
import { contentSecurityPolicy, logoutPage, messagePage } from '../../views/index.js';

export const END_SESSION_PATH = '/logout';
const CONFIRM_PATH = '/logout/confirm';
const SEALED_KIND = 'idp-logout';

/** A validated logout request: where to send the person afterwards, if anywhere. */
interface LogoutRequest {
  readonly postLogoutRedirectUri: string | undefined;
  readonly state: string | undefined;
  readonly expiresAt: number;
}

class InvalidLogoutRequest extends Error {}

/**
 * RP-Initiated Logout 1.0 (GET and POST): a post_logout_redirect_uri is honoured only if
 * registered for the client named by client_id or the id_token_hint; a request that does not
 * prove it comes from the signed-in person's client is confirmed with them first.
 */
export async function endSessionRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const finish = async (reply: FastifyReply, logout: { postLogoutRedirectUri: string | undefined; state: string | undefined }) => {
    if (logout.postLogoutRedirectUri) {
      const url = new URL(logout.postLogoutRedirectUri);
      if (logout.state !== undefined) url.searchParams.set('state', logout.state);
      return reply.header('cache-control', 'no-store').redirect(url.href, 303);
    }
    return sendHtml(reply, 200, messagePage({ title: 'You are signed out', message: 'You can close this window.' }));
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply, raw: unknown) => {
    let params: Record<string, string | undefined>;
    let logout: LogoutRequest;
    let hint: IdTokenHint | undefined;
    try {
      params = singleValuedForm(raw);
      hint = params.id_token_hint ? await readIdTokenHint(params.id_token_hint, { verifier: services.keyRing, issuer: services.config.issuer }) : undefined;
      if (params.id_token_hint && !hint) throw new InvalidLogoutRequest('The sign-out request carries an ID token this server did not issue.');
      if (params.client_id && hint && params.client_id !== hint.clientId) {
        throw new InvalidLogoutRequest('The sign-out request names two different applications.');
      }
      const clientId = params.client_id ?? hint?.clientId;
      const client: RegisteredClient | null = clientId ? await services.clientCache.findById(clientId) : null;
      if (clientId && !client) throw new InvalidLogoutRequest('The application that sent you here is not registered.');
      const target = params.post_logout_redirect_uri;
      if (target && (!client || !client.postLogoutRedirectUris.includes(target))) {
        throw new InvalidLogoutRequest('The address to return to after signing out is not registered for this application.');
      }
      logout = { postLogoutRedirectUri: target, state: params.state, expiresAt: services.clock.now() + 15 * 60_000 };
    } catch (error) {
      if (error instanceof InvalidLogoutRequest) return sendErrorPage(reply, 400, 'This sign-out link is not valid', error.message);
      // The link may be fine: the database (the client lookup) did not answer; the error handler says so.
      if (error instanceof DatabaseUnavailable) throw error;
      return sendErrorPage(reply, 400, 'This sign-out link is not valid', 'Its parameters could not be read.');
    }

    const session = await currentSession(request, services);
    if (!session) return finish(reply, logout);
    if (hint?.subject === session.userId) {
      const { revokedFamilies } = await endSession(request, reply, services);
      await services.audit.record({ type: 'logout', userId: session.userId, clientId: hint.clientId, ip: request.ip, data: { revokedFamilies } }, services.clock.now());
      return finish(reply, logout);
    }
    const user = await services.users.findById(session.userId);
    const csrf = csrfToken(request, reply, services);
    const sealed = await seal(SEALED_KIND, logout, services.secrets.interactionKey);
    const csp = contentSecurityPolicy(logout.postLogoutRedirectUri ? { formActions: [logout.postLogoutRedirectUri] } : {});
    return sendHtml(reply, 200, logoutPage({ userEmail: user?.email ?? '', logout: sealed, csrf, action: CONFIRM_PATH }), csp);
  };

  app.get(END_SESSION_PATH, (request, reply) => handle(request, reply, request.query));
  app.post(END_SESSION_PATH, (request, reply) => handle(request, reply, request.body));

  app.post<{ Body: { logout?: string; csrf?: string; decision?: string } }>(CONFIRM_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const logout = typeof form.logout === 'string'
      ? await unseal<LogoutRequest>(SEALED_KIND, form.logout, services.secrets.interactionKey, services.clock.now())
      : undefined;
    const cookie = csrfCookie(request, services);
    if (!logout || !cookie || form.csrf !== cookie) {
      return sendErrorPage(reply, 400, 'This sign-out page has expired', 'Start signing out again from the application.');
    }
    if (form.decision !== 'logout') {
      return sendHtml(reply, 200, messagePage({ title: 'You are still signed in', message: 'Nothing was changed. You can close this window.' }));
    }
    const session = await currentSession(request, services);
    const { revokedFamilies } = await endSession(request, reply, services);
    if (session) await services.audit.record({ type: 'logout', userId: session.userId, ip: request.ip, data: { revokedFamilies, confirmed: true } }, services.clock.now());
    return finish(reply, logout);
  });
}
