import { ADMIN_SCOPE } from '@idp/oidc';
import { consoleMessages, type ConsoleMessages, type Locale } from '../../i18n/index.js';
import type { FastifyInstance } from 'fastify';
import * as oauth from 'oauth4webapi';
import { sendHtml } from '../../http/html-reply.js';
import { consolePage } from '../../views/console/console-layout.js';
import { CONSOLE_CSP } from '../../views/console/console-layout.js';
import { html } from '../../views/html.js';
import { authenticateAccessToken } from '../admin/admin-auth.js';
import { AUTHORIZE_PATH } from '../oauth/authorize.js';
import { TOKEN_PATH } from '../oauth/token.js';
import { CONSOLE_CALLBACK_PATH, CONSOLE_CLIENT_ID } from './console-client.js';
import {
  consolePath,
  endConsoleSession,
  saveConsoleLogin,
  startConsoleSession,
  takeConsoleLogin,
} from './console-session.js';

type SignInTexts = ConsoleMessages['signIn'];

/**
 * A plain-words page for the console's sign-in, with a way onwards: `title` and `message` name
 * texts of the console catalogue, in `locale`.
 */
export function signInProblem(
  locale: Locale,
  pick: (t: SignInTexts) => { title: string; message: string },
  retry = true,
): string {
  const t = consoleMessages(locale).signIn;
  const { title, message } = pick(t);
  return consolePage({
    title,
    locale,
    body: html`<p class="lead">${message}</p>${retry ? html`<p><a href="/admin/login">${t.again}</a></p>` : ''}`,
  });
}

/** The page for a signed-in person without the administrator role. */
export function notAnAdministrator(locale: Locale): string {
  return signInProblem(locale, (t) => ({ title: t.notAdminTitle, message: t.notAdmin }), false);
}

/**
 * The console's sign-in: an OIDC authorization code flow with PKCE against this same issuer, as
 * any relying party would do it, so the login page with its passkeys, second factors and
 * throttling protects administrators too. The code is exchanged with oauth4webapi (it validates
 * the token response and the ID token's claims: iss, aud, nonce, expiry), its HTTP requests
 * sent to our own /token in-process by `inject`: the full token endpoint runs, while no loopback
 * connection is needed, which a server whose issuer lies behind a proxy or TLS terminator could
 * not count on reaching.
 */
export async function consoleSignInRoutes(app: FastifyInstance) {
  const issuer = app.config.issuer;
  const redirectUri = `${issuer}${CONSOLE_CALLBACK_PATH}`;
  const as: oauth.AuthorizationServer = {
    issuer,
    authorization_endpoint: `${issuer}${AUTHORIZE_PATH}`,
    token_endpoint: `${issuer}${TOKEN_PATH}`,
    authorization_response_iss_parameter_supported: true,
  };
  const client: oauth.Client = { client_id: CONSOLE_CLIENT_ID };
  const inProcess: typeof fetch = async (url, init) => {
    const target = new URL(url instanceof Request ? url.url : String(url));
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
    const response = await app.inject({
      method: (init?.method ?? 'GET') as 'POST',
      url: `${target.pathname}${target.search}`,
      headers,
      ...(init?.body === undefined || init.body === null ? {} : { payload: String(init.body) }),
    });
    const answer = new Headers();
    for (const [key, value] of Object.entries(response.headers))
      if (value !== undefined)
        answer.set(key, Array.isArray(value) ? value.join(', ') : String(value));
    return new Response(response.rawPayload, { status: response.statusCode, headers: answer });
  };
  const options = {
    [oauth.customFetch]: inProcess,
    [oauth.allowInsecureRequests]: issuer.startsWith('http:'),
  };

  app.get('/login', async (request, reply) => {
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const returnTo = consolePath((request.query as Record<string, unknown>).return);
    await saveConsoleLogin(reply, app, { state, codeVerifier, nonce, returnTo });
    const target = new URL(as.authorization_endpoint!);
    target.search = new URLSearchParams({
      response_type: 'code',
      client_id: CONSOLE_CLIENT_ID,
      redirect_uri: redirectUri,
      scope: `openid email ${ADMIN_SCOPE}`,
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    return reply.header('cache-control', 'no-store').redirect(target.href, 303);
  });

  app.get('/callback', async (request, reply) => {
    const login = await takeConsoleLogin(request, reply, app);
    if (!login)
      return sendHtml(
        reply,
        400,
        signInProblem(request.locale, (t) => ({ title: t.expiredTitle, message: t.expired })),
        CONSOLE_CSP,
      );
    const current = new URL(request.url, redirectUri);
    let parameters: URLSearchParams;
    try {
      parameters = oauth.validateAuthResponse(as, client, current.searchParams, login.state);
    } catch (error) {
      request.log.info({ err: error }, 'console sign-in refused');
      const denied = error instanceof oauth.AuthorizationResponseError;
      return sendHtml(
        reply,
        400,
        signInProblem(request.locale, (t) => ({
          title: t.failedTitle,
          message: denied ? t.refused(error.error) : t.invalid,
        })),
        CONSOLE_CSP,
      );
    }
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      parameters,
      redirectUri,
      login.codeVerifier,
      options,
    );
    let tokens: oauth.TokenEndpointResponse;
    try {
      tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
        expectedNonce: login.nonce,
        requireIdToken: true,
      });
    } catch (error) {
      request.log.warn({ err: error }, 'console code exchange failed');
      return sendHtml(
        reply,
        400,
        signInProblem(request.locale, (t) => ({ title: t.failedTitle, message: t.unfinished })),
        CONSOLE_CSP,
      );
    }
    // Only a user holding the role is given the scope (authorization-flow.ts); the same check
    // the admin API makes decides here, so console and API can never disagree.
    const principal = await authenticateAccessToken(app, tokens.access_token);
    if (!('kind' in principal) || principal.kind !== 'user')
      return sendHtml(reply, 403, notAnAdministrator(request.locale), CONSOLE_CSP);
    await startConsoleSession(reply, app, tokens.access_token, principal.expiresAt);
    request.log.info({ sub: principal.sub }, 'console sign-in');
    return reply.header('cache-control', 'no-store').redirect(login.returnTo, 303);
  });

  app.get('/signed-out', async (request, reply) =>
    sendHtml(
      reply,
      200,
      signInProblem(request.locale, (t) => ({ title: t.signedOutTitle, message: t.signedOut })),
      CONSOLE_CSP,
    ),
  );

  /** Clears the console's cookie (the CSRF check runs first, in the guard). */
  app.post('/logout', async (_request, reply) => {
    endConsoleSession(reply, app);
    return reply.redirect('/admin/signed-out', 303);
  });
}
