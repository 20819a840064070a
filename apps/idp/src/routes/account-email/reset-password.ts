import { sha256Hex } from '@idp/oidc';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { csrfToken } from '../../http/browser-session.js';
import { sendHtml } from '../../http/html-reply.js';
import { FORGOT_PASSWORD_PATH, RESET_PASSWORD_PATH } from '../../email/email-links.js';
import { postSecurityNotice } from '../../email/security-notice.js';
import { continueLink } from '../../interaction/login-resume.js';
import { hashPassword } from '../../passwords.js';
import { messagePage, newPasswordPage } from '../../views/index.js';
import { pageContext, useLinkLocale } from '../../http/page-locale.js';
import { messages } from '../../i18n/index.js';
import {
  csrfAccepted,
  emailFormTexts,
  field,
  inLinkLocale,
  passwordProblem,
  type MailedLinkQuery,
} from './email-forms.js';

/**
 * The page behind a password-reset link. GET shows the form if the link's token is live (it
 * changes nothing: mail scanners open links too); POST checks the password rules, then uses
 * the token once (store: new argon2id hash, the user's other reset links void, every session
 * ended and token family revoked, audited, in one transaction), and tells the account's address
 * afterwards (a security notice).
 */
export async function resetPasswordRoutes(app: FastifyInstance) {
  const { clock, emailTokens } = app;

  const invalidLink = (reply: FastifyReply) => {
    const t = messages(reply.request.locale).newPassword;
    return sendHtml(
      reply,
      400,
      messagePage({
        title: t.invalidTitle,
        message: t.invalid,
        link: { href: FORGOT_PASSWORD_PATH, text: t.askAgain },
        ...pageContext(reply.request),
      }),
    );
  };

  app.get<{ Querystring: MailedLinkQuery }>(RESET_PASSWORD_PATH, async (request, reply) => {
    useLinkLocale(request, request.query.ui_locales);
    const token = field(request.query.token, 128);
    const live = token
      ? await emailTokens.findLive(sha256Hex(token), 'password_reset', clock.now())
      : null;
    if (!live) return invalidLink(reply);
    return sendHtml(
      reply,
      200,
      newPasswordPage({
        email: live.email,
        token,
        csrf: csrfToken(request, reply, app),
        action: inLinkLocale(RESET_PASSWORD_PATH, request.locale),
        ...pageContext(request),
      }),
    );
  });

  app.post<{
    Querystring: MailedLinkQuery;
    Body: { token?: unknown; csrf?: unknown; password?: unknown; password_confirmation?: unknown };
  }>(RESET_PASSWORD_PATH, async (request, reply) => {
    useLinkLocale(request, request.query.ui_locales);
    const form = request.body ?? {};
    if (!csrfAccepted(request, reply, app, form)) return reply;
    const token = field(form.token, 128);
    const tokenHash = sha256Hex(token);
    const live = token
      ? await emailTokens.findLive(tokenHash, 'password_reset', clock.now())
      : null;
    if (!live) return invalidLink(reply);
    const password = field(form.password, 4096);
    const problem = passwordProblem(
      password,
      field(form.password_confirmation, 4096),
      request.locale,
    );
    if (problem)
      return sendHtml(
        reply,
        400,
        newPasswordPage({
          email: live.email,
          token,
          csrf: field(form.csrf),
          action: inLinkLocale(RESET_PASSWORD_PATH, request.locale),
          error: problem,
          ...pageContext(request),
        }),
      );
    const user = await emailTokens.resetPassword(
      tokenHash,
      await hashPassword(password),
      clock.now(),
      { ip: request.ip },
    );
    if (!user) return invalidLink(reply);
    request.log.info(
      { event: 'user.password_reset', userId: user.id, ip: request.ip },
      'password reset',
    );
    postSecurityNotice(app, 'passwordReset', { user, locale: request.locale });
    return sendHtml(
      reply,
      200,
      messagePage({
        title: messages(request.locale).newPassword.doneTitle,
        message: messages(request.locale).newPassword.done,
        ...continueLink(request, app, emailFormTexts(request.locale).continue),
        ...pageContext(request),
      }),
    );
  });
}
