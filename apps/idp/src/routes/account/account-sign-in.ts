import type { FastifyInstance } from 'fastify';
import { sendErrorPage } from '../../http/html-reply.js';
import { messages } from '../../i18n/index.js';
import { PasswordSignInCheck } from '../../interaction/password-sign-in.js';
import { hasSecondFactor, secondFactorMethods } from '../../interaction/second-factor-methods.js';
import { signInWithCode } from '../../interaction/second-factor-sign-in.js';
import {
  ACCOUNT_SIGN_IN_PATH,
  accountReturnPath,
  formField,
  liveSession,
  opensAccount,
} from './account-session.js';
import {
  ACCOUNT_SIGN_IN_PATHS,
  sendAccountSecondFactor,
  sendAccountSignInForm,
} from './account-sign-in-pages.js';
import { acceptAccountSignIn } from './account-sign-in-state.js';

/**
 * Signing in to the account page itself, with no application involved: the same login page and
 * the same password check (throttle, `users unlock`, timing, audit) as an authorization's sign-in,
 * then, for a user with one-time codes or a passkey, the same second step (a code or a recovery
 * code when they are on, one of their passkeys when they have any), then back to the account
 * page that sent the person here. A password alone is enough only for a user with neither.
 * Passkeys alone: see account-sign-in-passkeys.ts.
 */
export async function accountSignInRoutes(app: FastifyInstance) {
  const check = new PasswordSignInCheck(app);

  // `reauth=1` asks even when signed in (like prompt=login, OIDC Core 3.1.2.1), for changes that
  // want a fresh sign-in (adding a passkey); the signed-in address is filled in.
  app.get<{ Querystring: { return_to?: unknown; reauth?: unknown } }>(
    ACCOUNT_SIGN_IN_PATH,
    async (request, reply) => {
      const returnTo = accountReturnPath(request.query.return_to);
      const signedIn = await liveSession(request, app);
      if (signedIn && request.query.reauth !== '1' && (await opensAccount(app, signedIn.session)))
        return reply.redirect(returnTo, 303);
      return sendAccountSignInForm({ request, reply }, app, returnTo, {
        loginHint: signedIn?.user.email,
      });
    },
  );

  app.post<{
    Body: { username?: unknown; password?: unknown; interaction?: unknown; csrf?: unknown };
  }>(ACCOUNT_SIGN_IN_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const state = await acceptAccountSignIn(request, reply, app, form);
    if (!state) return reply;
    const { returnTo } = state;
    const username = formField(form.username, 320).trim().toLowerCase();
    const password = formField(form.password, 4096);
    const retry = () =>
      sendAccountSignInForm({ request, reply }, app, returnTo, {
        error: messages(request.locale).login.wrongCredentials,
        loginHint: username,
      });
    // Nothing to check: no account lookup, so the answer reveals nothing about accounts.
    if (!username || !password) return retry();
    const result = await check.signIn(request, reply, {
      username,
      password,
      // A password alone must not open the account page of someone who has another factor
      // (one-time codes or a passkey): from there a passkey could be added or the password or
      // e-mail address changed. They give a code, or use one of their passkeys, on the next page.
      needsSecondFactor: async (user) => hasSecondFactor(await secondFactorMethods(app, user.id)),
    });
    if (result.outcome === 'refused') return result.reply;
    if (result.outcome === 'wrong') return retry();
    if (result.outcome === 'second_factor')
      return sendAccountSecondFactor({ request, reply }, app, {
        returnTo,
        userId: result.user.id,
      });
    return reply.redirect(returnTo, 303);
  });

  app.post<{
    Body: { code?: unknown; recovery_code?: unknown; interaction?: unknown; csrf?: unknown };
  }>(ACCOUNT_SIGN_IN_PATHS.code, async (request, reply) => {
    const form = request.body ?? {};
    const state = await acceptAccountSignIn(request, reply, app, form);
    if (!state) return reply;
    const t = messages(request.locale).accountSignIn;
    const userId = state.pending?.userId;
    const user = userId ? await app.users.findById(userId) : null;
    if (!userId || !user || user.disabled) return sendErrorPage(reply, 400, t.goneTitle, t.gone);
    const result = await signInWithCode(
      { request, reply },
      app,
      { userId },
      {
        code: typeof form.code === 'string' ? form.code : undefined,
        recoveryCode: typeof form.recovery_code === 'string' ? form.recovery_code : undefined,
      },
    );
    if (result.outcome === 'sent') return result.reply;
    if (result.outcome === 'wrong')
      return sendAccountSecondFactor({ request, reply }, app, {
        returnTo: state.returnTo,
        userId,
        error: result.message,
      });
    return reply.redirect(state.returnTo, 303);
  });
}
