import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  accountReturnPath,
  openAccountLogin,
  sealAccountLogin,
} from '../../account/account-login-state.js';
import { csrfToken } from '../../http/browser-session.js';
import { sendErrorPage, sendHtml } from '../../http/html-reply.js';
import { makePasswordSignIn, WRONG_CREDENTIALS } from '../../interaction/password-sign-in.js';
import { issueChallenge } from '../../passkeys/passkey-challenge.js';
import { authenticationOptions } from '../../passkeys/passkey-ceremony.js';
import { refusePasskeyOptions, sendPasskeyOptions } from '../../passkeys/passkey-options-reply.js';
import { passkeyScriptUrls } from '../../passkeys/passkey-assets.js';
import { passkeySignIn } from '../../passkeys/passkey-sign-in.js';
import { relyingPartyOf } from '../../passkeys/relying-party.js';
import { contentSecurityPolicy, loginPage } from '../../views/index.js';
import { ACCOUNT_LOGIN_PATH, accountSession, sameCsrf } from './account-session.js';

const PASSKEY_OPTIONS_PATH = `${ACCOUNT_LOGIN_PATH}/passkey/options`;
const PASSKEY_PATH = `${ACCOUNT_LOGIN_PATH}/passkey`;

interface AccountLoginForm {
  account_login?: string;
  csrf?: string;
  username?: string;
  password?: string;
  state?: string;
  credential?: string;
}

/**
 * Signing in to the account page itself, with no application involved: the same password check
 * (throttles included) and passkeys as the login page of an authorization request, and then back
 * to the account page. `reauth=1` asks even when signed in (like prompt=login, OIDC Core
 * 3.1.2.1), for changes that want a fresh sign-in.
 */
export async function accountLoginRoutes(app: FastifyInstance) {
  const passwords = await makePasswordSignIn(app);
  const rp = relyingPartyOf(app.config.issuer);
  const csp = contentSecurityPolicy({ scriptUrls: passkeyScriptUrls(app.config.issuer) });

  const showLogin = async (
    request: FastifyRequest,
    reply: FastifyReply,
    returnTo: string,
    details: { error?: string; username?: string } = {},
  ) => {
    const csrf = csrfToken(request, reply, app);
    const accountLogin = await sealAccountLogin(app, csrf, returnTo);
    const page = loginPage({
      clientName: 'your account',
      lead: 'to manage your account',
      ...(details.username ? { loginHint: details.username } : {}),
      ...(details.error ? { error: details.error } : {}),
      interaction: '',
      csrf,
      fields: { account_login: accountLogin, csrf },
      action: ACCOUNT_LOGIN_PATH,
      passkey: { optionsUrl: PASSKEY_OPTIONS_PATH, action: PASSKEY_PATH },
    });
    return sendHtml(reply, details.error ? 401 : 200, page, csp);
  };

  /** The sealed page state, checked against the CSRF cookie and used up; undefined after an error page. */
  const acceptForm = async (
    request: FastifyRequest<{ Body: AccountLoginForm }>,
    reply: FastifyReply,
  ) => {
    const form = request.body ?? {};
    const state = await openAccountLogin(app, form.account_login);
    if (!state) {
      void sendErrorPage(
        reply,
        400,
        'This page has expired',
        'Open your account page and sign in again.',
      );
      return undefined;
    }
    if (!sameCsrf(request, app, form.csrf) || state.csrf !== form.csrf) {
      void sendErrorPage(
        reply,
        403,
        'This form could not be accepted',
        "It did not come from this browser's sign-in page. Open your account page and try again.",
      );
      return undefined;
    }
    if (!(await app.singleUseIds.consume(`account-login:${state.id}`, state.expiresAt))) {
      void sendErrorPage(
        reply,
        400,
        'This page was already used',
        'Each sign-in page can be sent only once. Open your account page and sign in again.',
      );
      return undefined;
    }
    return state;
  };

  app.get<{ Querystring: { return?: string; reauth?: string } }>(
    ACCOUNT_LOGIN_PATH,
    async (request, reply) => {
      const returnTo = accountReturnPath(request.query.return);
      const signedIn = await accountSession(request, app);
      if (signedIn && request.query.reauth !== '1') return reply.redirect(returnTo, 303);
      return showLogin(request, reply, returnTo, signedIn ? { username: signedIn.user.email } : {});
    },
  );

  app.post<{ Body: AccountLoginForm }>(ACCOUNT_LOGIN_PATH, async (request, reply) => {
    const state = await acceptForm(request, reply);
    if (!state) {
      await passwords.countMalformed(request, 'form_rejected');
      return reply;
    }
    const form = request.body ?? {};
    const username = typeof form.username === 'string' ? form.username.trim().toLowerCase() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    return passwords.signIn(
      request,
      reply,
      { username, password, clientId: undefined },
      {
        retry: () =>
          showLogin(request, reply, state.returnTo, { error: WRONG_CREDENTIALS, username }),
        succeed: () => reply.redirect(state.returnTo, 303),
      },
    );
  });

  app.post<{ Body: AccountLoginForm }>(PASSKEY_OPTIONS_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const state = await openAccountLogin(app, form.account_login);
    if (!state || !sameCsrf(request, app, form.csrf) || state.csrf !== form.csrf)
      return refusePasskeyOptions(reply);
    const { challenge, sealed } = await issueChallenge(
      app,
      'authentication',
      `account-login:${state.id}`,
    );
    return sendPasskeyOptions(reply, await authenticationOptions(rp, challenge), sealed);
  });

  app.post<{ Body: AccountLoginForm }>(PASSKEY_PATH, async (request, reply) => {
    const state = await acceptForm(request, reply);
    if (!state) return reply;
    const form = request.body ?? {};
    return passkeySignIn(
      request,
      reply,
      app,
      {
        state: form.state,
        credential: form.credential,
        binding: `account-login:${state.id}`,
        clientId: undefined,
      },
      {
        retry: (message) => showLogin(request, reply, state.returnTo, { error: message }),
        succeed: () => reply.redirect(state.returnTo, 303),
      },
    );
  });
}
