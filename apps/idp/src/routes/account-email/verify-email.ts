import { sha256Hex } from '@idp/oidc';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { csrfToken } from '../../http/browser-session.js';
import { sendHtml } from '../../http/html-reply.js';
import { VERIFY_EMAIL_PATH } from '../../email/email-links.js';
import { continueLink } from '../../interaction/login-resume.js';
import { messagePage, verifyEmailPage } from '../../views/index.js';
import { pageContext, useLinkLocale } from '../../http/page-locale.js';
import { messages } from '../../i18n/index.js';
import {
  csrfAccepted,
  emailFormTexts,
  field,
  inLinkLocale,
  type MailedLinkQuery,
} from './email-forms.js';

/**
 * The page behind an address-verification link: GET shows one button (opening a link changes
 * nothing), POST uses the token once and sets the user's `email_verified` claim.
 */
export async function verifyEmailRoutes(app: FastifyInstance) {
  const { clock, emailTokens } = app;

  const invalidLink = (reply: FastifyReply) => {
    const t = messages(reply.request.locale).verifyEmail;
    const context = pageContext(reply.request);
    return sendHtml(
      reply,
      400,
      messagePage({ title: t.invalidTitle, message: t.invalid, ...context }),
    );
  };

  app.get<{ Querystring: MailedLinkQuery }>(VERIFY_EMAIL_PATH, async (request, reply) => {
    useLinkLocale(request, request.query.ui_locales);
    const token = field(request.query.token, 128);
    const live = token
      ? await emailTokens.findLive(sha256Hex(token), 'email_verification', clock.now())
      : null;
    if (!live) return invalidLink(reply);
    return sendHtml(
      reply,
      200,
      verifyEmailPage({
        email: live.email,
        token,
        csrf: csrfToken(request, reply, app),
        action: inLinkLocale(VERIFY_EMAIL_PATH, request.locale),
        ...pageContext(request),
      }),
    );
  });

  app.post<{ Querystring: MailedLinkQuery; Body: { token?: unknown; csrf?: unknown } }>(
    VERIFY_EMAIL_PATH,
    async (request, reply) => {
      useLinkLocale(request, request.query.ui_locales);
      const form = request.body ?? {};
      if (!csrfAccepted(request, reply, app, form)) return reply;
      const token = field(form.token, 128);
      const user = token
        ? await emailTokens.verifyEmail(sha256Hex(token), clock.now(), { ip: request.ip })
        : null;
      if (!user) return invalidLink(reply);
      request.log.info(
        { event: 'user.email_verified', userId: user.id, ip: request.ip },
        'e-mail address verified',
      );
      return sendHtml(
        reply,
        200,
        messagePage({
          title: messages(request.locale).verifyEmail.doneTitle,
          message: messages(request.locale).verifyEmail.done(user.email),
          ...continueLink(request, app, emailFormTexts(request.locale).continue),
          ...pageContext(request),
        }),
      );
    },
  );
}
