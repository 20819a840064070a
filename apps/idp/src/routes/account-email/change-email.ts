import { sha256Hex } from '@idp/oidc';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { csrfToken } from '../../http/browser-session.js';
import { sendHtml } from '../../http/html-reply.js';
import { CHANGE_EMAIL_PATH } from '../../email/email-links.js';
import { postSecurityNotice } from '../../email/security-notice.js';
import { changeEmailPage, messagePage } from '../../views/index.js';
import { pageContext, useLinkLocale } from '../../http/page-locale.js';
import { messages } from '../../i18n/index.js';
import { csrfAccepted, field, inLinkLocale, type MailedLinkQuery } from './email-forms.js';

/**
 * The page behind an address-change link (mailed to the new address from the account page):
 * GET shows one button (opening a link changes nothing), POST uses the token once and moves the
 * account to the new address, confirmed, through `EmailTokenStore.changeEmail`; then the old
 * address is told (a security notice), so that a stolen session cannot move the account quietly.
 */
export async function changeEmailRoutes(app: FastifyInstance) {
  const { clock, emailTokens } = app;

  const refused = (reply: FastifyReply, why: 'invalid' | 'taken') => {
    const t = messages(reply.request.locale).changeEmail;
    const title = why === 'taken' ? t.takenTitle : t.invalidTitle;
    const status = why === 'taken' ? 409 : 400;
    return sendHtml(
      reply,
      status,
      messagePage({ title, message: t[why], ...pageContext(reply.request) }),
    );
  };

  app.get<{ Querystring: MailedLinkQuery }>(CHANGE_EMAIL_PATH, async (request, reply) => {
    useLinkLocale(request, request.query.ui_locales);
    const token = field(request.query.token, 128);
    const live = token
      ? await emailTokens.findLive(sha256Hex(token), 'email_change', clock.now())
      : null;
    if (!live?.newEmail) return refused(reply, 'invalid');
    return sendHtml(
      reply,
      200,
      changeEmailPage({
        email: live.newEmail,
        token,
        csrf: csrfToken(request, reply, app),
        action: inLinkLocale(CHANGE_EMAIL_PATH, request.locale),
        ...pageContext(request),
      }),
    );
  });

  app.post<{ Querystring: MailedLinkQuery; Body: { token?: unknown; csrf?: unknown } }>(
    CHANGE_EMAIL_PATH,
    async (request, reply) => {
      useLinkLocale(request, request.query.ui_locales);
      const form = request.body ?? {};
      if (!csrfAccepted(request, reply, app, form)) return reply;
      const token = field(form.token, 128);
      const tokenHash = sha256Hex(token);
      const now = clock.now();
      // The token's record names the address it was asked from, which a live token's user still
      // has: the address the change moves away from, and the one the notice goes to.
      const live = token ? await emailTokens.findLive(tokenHash, 'email_change', now) : null;
      const result = live
        ? await emailTokens.changeEmail(tokenHash, now, { ip: request.ip })
        : null;
      if (!live || result === null) return refused(reply, 'invalid');
      if (result === 'taken') return refused(reply, 'taken');
      const { user } = result;
      request.log.info(
        { event: 'user.email_changed', userId: user.id, ip: request.ip },
        'e-mail address changed',
      );
      postSecurityNotice(app, 'emailChanged', {
        user,
        locale: request.locale,
        to: live.email,
        newEmail: user.email,
      });
      const t = messages(request.locale).changeEmail;
      return sendHtml(
        reply,
        200,
        messagePage({
          title: t.doneTitle,
          message: t.done(user.email),
          link: { href: '/account', text: messages(request.locale).account.page.title },
          ...pageContext(request),
        }),
      );
    },
  );
}
