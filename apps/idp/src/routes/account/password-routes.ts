import type { FastifyInstance } from 'fastify';
import { postSecurityNotice } from '../../email/security-notice.js';
import { changeOwnPassword } from '../../operations/account-operations.js';
import { PASSWORD_PATH } from '../../views/account/password-section.js';
import { messages } from '../../i18n/index.js';
import { passwordProblem } from '../account-email/email-forms.js';
import { accountDeps } from './account-deps.js';
import { sendAccountPage } from './account-page.js';
import { acceptAccountForm, backToAccount, formField } from './account-session.js';
import { currentPasswordAttempt } from './current-password.js';

/**
 * POST /account/password: the current password, checked like a sign-in (argon2id, and counted by
 * the login throttle, so a borrowed session cannot be used to guess it), then the new one under
 * the reset page's rules. The change ends every other session and revokes every refresh-token
 * family (operations/account-operations.ts); the session it was made from stays. The account's
 * address is told afterwards (a security notice).
 */
export async function passwordRoutes(app: FastifyInstance) {
  const deps = accountDeps(app);
  const { loginThrottle: throttle, audit, clock } = app;
  app.post<{
    Body: {
      current_password?: unknown;
      password?: unknown;
      password_confirmation?: unknown;
      csrf?: unknown;
    };
  }>(PASSWORD_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const actor = await acceptAccountForm(request, reply, app, form);
    if (!actor) return reply;
    const { user } = actor;
    const t = messages(request.locale).account.password;
    const attempt = await currentPasswordAttempt(request, reply, app, user);
    if (!attempt) return reply;

    const next = formField(form.password, 4096);
    const problem = passwordProblem(
      next,
      formField(form.password_confirmation, 4096),
      request.locale,
    );
    if (problem)
      return sendAccountPage(request, reply, app, actor, {
        status: 400,
        error: t.notChanged,
        password: { field: 'next', message: problem },
      });
    const result = await changeOwnPassword(
      deps,
      actor,
      formField(form.current_password, 4096),
      next,
    );
    if ('refused' in result) {
      await throttle.recordFailure(attempt);
      await audit.record(
        {
          type: 'password_change.failed',
          actor: user.id,
          userId: user.id,
          ip: request.ip,
          data: { reason: result.refused },
        },
        clock.now(),
      );
      return sendAccountPage(request, reply, app, actor, {
        status: 400,
        error: t.notChanged,
        password: { field: 'current', message: t.wrongCurrent },
      });
    }
    request.log.info(
      {
        event: 'account.password_changed',
        userId: user.id,
        ip: request.ip,
        endedSessions: result.ended.length,
      },
      'password changed by its owner',
    );
    postSecurityNotice(app, 'passwordChanged', { user, locale: request.locale });
    return backToAccount(reply, 'password', 'password');
  });
}
