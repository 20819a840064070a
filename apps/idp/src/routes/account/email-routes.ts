import type { FastifyInstance } from 'fastify';
import { sendEmailChangeNotice, sendEmailLink } from '../../email/email-links.js';
import { messages } from '../../i18n/index.js';
import { verifyPassword } from '../../passwords.js';
import { EMAIL_PATH, type EmailSectionOptions } from '../../views/account/email-section.js';
import { emailAddress } from '../account-email/email-forms.js';
import { sendAccountPage } from './account-page.js';
import { acceptAccountForm, backToAccount, formField } from './account-session.js';
import { currentPasswordAttempt } from './current-password.js';

/**
 * POST /account/email: asks to move the account to another address. The current password is
 * checked like a sign-in (argon2id, counted by the login throttle, so a borrowed session cannot
 * guess it); then a single-use `email_change` link goes to the new address, and the old one is
 * told, so a stolen session cannot move the account quietly. Nothing changes until the link is
 * used (routes/account-email/change-email.ts). The page answers the same whether or not the new
 * address belongs to another account, and the mail is sent after the response (app.outbox), so
 * neither says which addresses have accounts.
 */
export async function emailRoutes(app: FastifyInstance) {
  const { config, clock, users, emailTokens, mailer, emailThrottle, outbox, audit } = app;
  const throttle = app.loginThrottle;
  app.post<{ Body: { email?: unknown; current_password?: unknown; csrf?: unknown } }>(
    EMAIL_PATH,
    async (request, reply) => {
      const form = request.body ?? {};
      const actor = await acceptAccountForm(request, reply, app, form);
      if (!actor) return reply;
      const { user } = actor;
      const t = messages(request.locale).account.email;
      const typed = formField(form.email, 320);
      const refuse = (status: number, problem?: EmailSectionOptions['problem']) =>
        sendAccountPage(request, reply, app, actor, {
          status,
          error: problem ? t.notChanged : t.noMail,
          email: { typed, problem },
        });
      if (!mailer) return refuse(503);
      const next = emailAddress(form.email);
      if (!next) return refuse(400, { field: 'email', message: t.notAnEmail });
      if (next === user.email) return refuse(400, { field: 'email', message: t.same });

      const attempt = await currentPasswordAttempt(request, reply, app, user);
      if (!attempt) return reply;
      const { ip, locale } = request;
      if (!(await verifyPassword(user.passwordHash, formField(form.current_password, 4096)))) {
        await throttle.recordFailure(attempt);
        await audit.record(
          {
            type: 'email_change.failed',
            actor: user.id,
            userId: user.id,
            ip,
            data: { reason: 'wrong_current' },
          },
          clock.now(),
        );
        return refuse(400, { field: 'current', message: t.wrongCurrent });
      }

      const [mayMail, owner] = await Promise.all([
        emailThrottle.mayMail(next),
        users.findByEmail(next),
      ]);
      if (!owner && mayMail) {
        outbox.post('email_change', () =>
          sendEmailLink(
            { config, clock, emailTokens, mailer },
            'email_change',
            user,
            { ip },
            locale,
            next,
          ),
        );
      } else {
        // An address that has an account gets no mail at all: its owner did not ask for
        // anything, and a note would let anyone mail any account holder through us. The old
        // address still hears of the attempt (below).
        const reason = owner ? 'taken' : 'mailbox_limit';
        outbox.post('email_change.not_sent', () =>
          audit.record(
            { type: 'email_change.not_sent', userId: user.id, ip, data: { reason } },
            clock.now(),
          ),
        );
      }
      if (await emailThrottle.mayMail(user.email))
        outbox.post('email_change.notice', () =>
          sendEmailChangeNotice({ config, mailer }, user.email, locale),
        );
      return backToAccount(reply, 'email-sent', 'email');
    },
  );
}
