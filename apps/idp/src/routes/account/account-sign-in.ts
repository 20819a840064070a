import { randomId } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfCookie, csrfToken } from '../../http/browser-session.js';
import { sendErrorPage, sendHtml } from '../../http/html-reply.js';
import { FORGOT_PASSWORD_PATH } from '../../email/email-links.js';
import { seal, unseal } from '../../interaction/interaction-state.js';
import { PasswordSignInCheck } from '../../interaction/password-sign-in.js';
import { pageContext } from '../../http/page-locale.js';
import { messages } from '../../i18n/index.js';
import { loginPage } from '../../views/index.js';
import {
  ACCOUNT_SIGN_IN_PATH,
  accountReturnPath,
  formField,
  signedInActor,
} from './account-session.js';

/**
 * What the account sign-in form carries, sealed like a login interaction but of its own kind (it
 * can never stand in for an authorization's login form): the page to go back to, the CSRF token
 * it is bound to, and an id that accepting the form consumes.
 */
interface AccountSignInState {
  readonly id: string;
  readonly csrf: string;
  readonly returnTo: string;
  readonly expiresAt: number;
}

const KIND = 'idp-account-sign-in';
const TTL_MS = 15 * 60_000;

/** The page's words in the reader's language (i18n `account.signIn`). */
const texts = (request: FastifyRequest) => messages(request.locale).account.signIn;

/**
 * Signing in to the account page itself, with no application involved: the same login page and
 * the same password check (throttle, `users unlock`, timing, audit) as an authorization's sign-in,
 * then back to the account page that sent the person here.
 */
export async function accountSignInRoutes(app: FastifyInstance) {
  const check = new PasswordSignInCheck(app);

  const showForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    returnTo: string,
    details: { failed?: boolean; loginHint?: string } = {},
  ) => {
    const { failed = false, loginHint } = details;
    const csrf = csrfToken(request, reply, app);
    const state: AccountSignInState = {
      id: randomId(),
      csrf,
      returnTo,
      expiresAt: app.clock.now() + TTL_MS,
    };
    const page = loginPage({
      clientName: texts(request).destination,
      interaction: await seal(KIND, state, app.secrets.interactionKey),
      csrf,
      action: ACCOUNT_SIGN_IN_PATH,
      forgotPasswordHref: FORGOT_PASSWORD_PATH,
      ...(failed ? { error: messages(request.locale).login.wrongCredentials } : {}),
      ...(loginHint ? { loginHint } : {}),
      ...pageContext(request),
    });
    return sendHtml(reply, failed ? 401 : 200, page);
  };

  // `reauth=1` asks even when signed in (like prompt=login, OIDC Core 3.1.2.1), for changes that
  // want a fresh sign-in (adding a passkey); the signed-in address is filled in.
  app.get<{ Querystring: { return_to?: unknown; reauth?: unknown } }>(
    ACCOUNT_SIGN_IN_PATH,
    async (request, reply) => {
      const returnTo = accountReturnPath(request.query.return_to);
      const actor = await signedInActor(request, app);
      if (actor && request.query.reauth !== '1') return reply.redirect(returnTo, 303);
      return showForm(request, reply, returnTo, actor ? { loginHint: actor.user.email } : {});
    },
  );

  app.post<{
    Body: { username?: unknown; password?: unknown; interaction?: unknown; csrf?: unknown };
  }>(ACCOUNT_SIGN_IN_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const sealed = formField(form.interaction, 4096);
    const state = sealed
      ? await unseal<AccountSignInState>(KIND, sealed, app.secrets.interactionKey, app.clock.now())
      : undefined;
    if (!state)
      return sendErrorPage(reply, 400, texts(request).expiredTitle, texts(request).expired);
    const cookie = csrfCookie(request, app);
    if (!cookie || form.csrf !== cookie || state.csrf !== cookie)
      return sendErrorPage(reply, 403, texts(request).csrfTitle, texts(request).csrf);
    if (!(await app.singleUseIds.consume(`account-sign-in:${state.id}`, state.expiresAt)))
      return sendErrorPage(reply, 400, texts(request).usedTitle, texts(request).used);
    const returnTo = accountReturnPath(state.returnTo);

    const username = formField(form.username, 320).trim().toLowerCase();
    const password = formField(form.password, 4096);
    // Nothing to check: no account lookup, so the answer reveals nothing about accounts.
    if (!username || !password)
      return showForm(request, reply, returnTo, { failed: true, loginHint: username });
    const result = await check.signIn(request, reply, {
      username,
      password,
      // A password alone must not open the account page of someone who set up a second factor:
      // from there a passkey could be added or the password changed.
      needsSecondFactor: async (user) =>
        (await app.oneTimeCodes.find(user.id, app.clock.now()))?.confirmed === true,
    });
    if (result.outcome === 'refused') return result.reply;
    if (result.outcome === 'second_factor')
      return sendErrorPage(
        reply,
        403,
        texts(request).secondFactorTitle,
        texts(request).secondFactor,
      );
    if (result.outcome === 'wrong')
      return showForm(request, reply, returnTo, { failed: true, loginHint: username });
    return reply.redirect(returnTo, 303);
  });
}
