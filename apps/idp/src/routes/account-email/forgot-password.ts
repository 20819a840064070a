import { sha256Hex } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { csrfToken } from '../../http/browser-session.js';
import { sendHtml } from '../../http/html-reply.js';
import { FORGOT_PASSWORD_PATH, sendEmailLink } from '../../email/email-links.js';
import {
  openLoginResume,
  rememberLoginResume,
  resumeHref,
} from '../../interaction/login-resume.js';
import { forgotPasswordPage, messagePage } from '../../views/index.js';
import { pageContext, useUiLocales } from '../../http/page-locale.js';
import { messages } from '../../i18n/index.js';
import {
  csrfAccepted,
  emailFormTexts,
  emailAddress,
  field,
  sendEmailUnavailable,
  sendTooMany,
} from './email-forms.js';

/**
 * "Forgot your password?": GET asks for the address, POST answers the same page whatever the
 * address, after the same work (throttle, one account lookup) on either path; for an account
 * the token is stored and the mail sent after the response (app.outbox), so neither the page
 * nor its timing says whether the address has an account. Limited per network address (the
 * person is told) and per mailbox (quietly, so it tells nothing either).
 */
export async function forgotPasswordRoutes(app: FastifyInstance) {
  const { config, clock, users, emailTokens, mailer, emailThrottle, outbox, audit } = app;

  app.get<{ Querystring: { resume?: unknown } }>(FORGOT_PASSWORD_PATH, async (request, reply) => {
    const opened = await openLoginResume(app, request.query.resume);
    // Linked from the login page: in the language the client asked for there.
    useUiLocales(request, opened?.request.uiLocales);
    const resume = opened ? field(request.query.resume, 16_384) : undefined;
    if (!mailer) return sendEmailUnavailable(reply, resumeHref(resume));
    return sendHtml(
      reply,
      200,
      forgotPasswordPage({
        csrf: csrfToken(request, reply, app),
        action: FORGOT_PASSWORD_PATH,
        backHref: resumeHref(resume),
        ...(resume ? { resume } : {}),
        ...pageContext(request),
      }),
    );
  });

  app.post<{ Body: { email?: unknown; csrf?: unknown; resume?: unknown } }>(
    FORGOT_PASSWORD_PATH,
    async (request, reply) => {
      const form = request.body ?? {};
      const opened = await openLoginResume(app, form.resume);
      useUiLocales(request, opened?.request.uiLocales);
      const resume = opened ? field(form.resume, 16_384) : undefined;
      if (!mailer) return sendEmailUnavailable(reply, resumeHref(resume));
      if (!csrfAccepted(request, reply, app, form)) return reply;
      const email = emailAddress(form.email);
      if (!email)
        return sendHtml(
          reply,
          400,
          forgotPasswordPage({
            csrf: field(form.csrf),
            action: FORGOT_PASSWORD_PATH,
            backHref: resumeHref(resume),
            email: field(form.email),
            error: emailFormTexts(request.locale).notAnEmail,
            ...(resume ? { resume } : {}),
            ...pageContext(request),
          }),
        );
      const wait = await emailThrottle.refuseAddress('reset', request.ip);
      if (wait !== undefined) {
        request.log.warn(
          { event: 'password_reset.throttled', ip: request.ip, retryAfter: wait },
          'password reset requests throttled',
        );
        return sendTooMany(reply, wait);
      }
      // The same steps whatever the address: the mailbox count and the lookup.
      const [mayMail, user] = await Promise.all([
        emailThrottle.mayMail(email),
        users.findByEmail(email),
      ]);
      const { ip, locale } = request;
      if (user && !user.disabled && mayMail) {
        outbox.post('password_reset', () =>
          sendEmailLink(
            { config, clock, emailTokens, mailer },
            'password_reset',
            user,
            { ip },
            locale,
          ),
        );
      } else {
        const reason = !user ? 'unknown_address' : user.disabled ? 'disabled' : 'mailbox_limit';
        outbox.post('password_reset.not_sent', () =>
          audit.record(
            {
              type: 'password_reset.not_sent',
              ...(user ? { userId: user.id } : {}),
              ip,
              data: { reason, ...(user ? {} : { account: sha256Hex(email) }) },
            },
            clock.now(),
          ),
        );
      }
      if (resume) rememberLoginResume(reply, app, resume);
      return sendHtml(
        reply,
        200,
        messagePage({
          title: messages(locale).forgotPassword.sentTitle,
          message: messages(locale).forgotPassword.sent(email),
          link: { href: resumeHref(resume), text: messages(locale).forgotPassword.back },
          ...pageContext(request),
        }),
      );
    },
  );
}
