import { randomUUID } from 'node:crypto';
import { StoreError } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { csrfToken } from '../../http/browser-session.js';
import { sendErrorPage, sendHtml } from '../../http/html-reply.js';
import { sendAlreadyRegistered, sendEmailLink, SIGN_UP_PATH } from '../../email/email-links.js';
import {
  openLoginResume,
  rememberLoginResume,
  resumeHref,
} from '../../interaction/login-resume.js';
import { hashPassword } from '../../passwords.js';
import { messagePage, signUpPage } from '../../views/index.js';
import { pageContext, useUiLocales } from '../../http/page-locale.js';
import { messages } from '../../i18n/index.js';
import {
  csrfAccepted,
  emailFormTexts,
  emailAddress,
  field,
  passwordProblem,
  sendEmailUnavailable,
  sendTooMany,
} from './email-forms.js';

/** Who the audit trail names as having created a self-registered account. */
const ACTOR = 'self-registration';

/**
 * Self-registration (IDP_SELF_REGISTRATION=true): a form for address, name and password. The
 * answer is the same page whether or not the address already has an account, after the same
 * work (throttle, password hash); the account is then created unverified and the confirmation
 * link mailed after the response, or the address's owner is told that they already have an
 * account. Limited per network address and per mailbox, like the password-reset page.
 */
export async function signUpRoutes(app: FastifyInstance) {
  const { config, clock, users, emailTokens, mailer, emailThrottle, outbox } = app;

  app.get<{ Querystring: { resume?: unknown } }>(SIGN_UP_PATH, async (request, reply) => {
    const opened = await openLoginResume(app, request.query.resume);
    // Linked from the login page: in the language the client asked for there.
    useUiLocales(request, opened?.request.uiLocales);
    const t = messages(request.locale).signUp;
    if (!config.selfRegistration) return sendErrorPage(reply, 404, t.offTitle, t.off);
    const resume = opened ? field(request.query.resume, 16_384) : undefined;
    if (!mailer) return sendEmailUnavailable(reply, resumeHref(resume));
    return sendHtml(
      reply,
      200,
      signUpPage({
        csrf: csrfToken(request, reply, app),
        action: SIGN_UP_PATH,
        backHref: resumeHref(resume),
        ...(resume ? { resume } : {}),
        ...pageContext(request),
      }),
    );
  });

  app.post<{
    Body: {
      email?: unknown;
      name?: unknown;
      password?: unknown;
      password_confirmation?: unknown;
      csrf?: unknown;
      resume?: unknown;
    };
  }>(SIGN_UP_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const opened = await openLoginResume(app, form.resume);
    useUiLocales(request, opened?.request.uiLocales);
    const t = messages(request.locale).signUp;
    if (!config.selfRegistration) return sendErrorPage(reply, 404, t.offTitle, t.off);
    const resume = opened ? field(form.resume, 16_384) : undefined;
    if (!mailer) return sendEmailUnavailable(reply, resumeHref(resume));
    if (!csrfAccepted(request, reply, app, form)) return reply;
    const wait = await emailThrottle.refuseAddress('signup', request.ip);
    if (wait !== undefined) {
      request.log.warn(
        { event: 'signup.throttled', ip: request.ip, retryAfter: wait },
        'sign-ups throttled',
      );
      return sendTooMany(reply, wait);
    }
    const email = emailAddress(form.email);
    const name = field(form.name, 200).trim();
    const password = field(form.password, 4096);
    const problem = email
      ? passwordProblem(password, field(form.password_confirmation, 4096), request.locale)
      : emailFormTexts(request.locale).notAnEmail;
    if (problem || !email)
      return sendHtml(
        reply,
        400,
        signUpPage({
          csrf: field(form.csrf),
          action: SIGN_UP_PATH,
          backHref: resumeHref(resume),
          email: field(form.email),
          name,
          error: problem ?? emailFormTexts(request.locale).notAnEmail,
          ...(resume ? { resume } : {}),
          ...pageContext(request),
        }),
      );

    // The same work for a new and a taken address; what differs happens after the response.
    const [passwordHash, mayMail] = await Promise.all([
      hashPassword(password),
      emailThrottle.mayMail(email),
    ]);
    const { ip, locale } = request;
    outbox.post('signup', async () => {
      const existing = await users.findByEmail(email);
      if (existing) {
        request.log.info(
          { event: 'signup.existing', userId: existing.id, ip },
          'sign-up for a taken address',
        );
        if (mayMail) await sendAlreadyRegistered({ config, mailer }, email, locale);
        return;
      }
      const user = await users
        .create(
          {
            id: randomUUID(),
            email,
            passwordHash,
            claims: { ...(name ? { name } : {}), email_verified: false },
          },
          ACTOR,
          clock.now(),
        )
        .catch((error: unknown) => {
          // Taken meanwhile by a concurrent sign-up: that one mails its owner.
          if (error instanceof StoreError && error.code === 'conflict') return undefined;
          throw error;
        });
      if (!user) return;
      request.log.info(
        { event: 'signup.created', userId: user.id, ip },
        'account created by sign-up',
      );
      if (mayMail)
        await sendEmailLink(
          { config, clock, emailTokens, mailer },
          'email_verification',
          user,
          { ip },
          locale,
        );
    });
    if (resume) rememberLoginResume(reply, app, resume);
    return sendHtml(
      reply,
      200,
      messagePage({
        title: t.sentTitle,
        message: t.sent(email),
        link: { href: resumeHref(resume), text: emailFormTexts(locale).continue },
        ...pageContext(request),
      }),
    );
  });
}
