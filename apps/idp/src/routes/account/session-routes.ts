import type { FastifyInstance } from 'fastify';
import { messages } from '../../i18n/index.js';
import { endSession } from '../../http/browser-session.js';
import { sendAccountPage } from './account-page.js';
import { endOtherSessions, endOwnSession } from '../../operations/account-operations.js';
import { OperationError } from '../../operations/operation-error.js';
import { END_OTHER_SESSIONS_PATH, END_SESSION_PATH } from '../../views/account/sessions-section.js';
import { accountDeps } from './account-deps.js';
import {
  acceptAccountForm,
  ACCOUNT_SIGN_IN_PATH,
  backToAccount,
  formField,
} from './account-session.js';

/**
 * POST /account/sessions/end (one session, by `session_id`) and /account/sessions/end-others
 * ("Sign out everywhere else"). Only the person's own live sessions can be named; each ends with
 * the token families born in it (offline ones stay), audited, and its clients are told.
 */
export async function sessionRoutes(app: FastifyInstance) {
  const deps = accountDeps(app);

  app.post<{ Body: { session_id?: unknown; csrf?: unknown } }>(
    END_SESSION_PATH,
    async (request, reply) => {
      const form = request.body ?? {};
      const actor = await acceptAccountForm(request, reply, app, form);
      if (!actor) return reply;
      const sessionId = formField(form.session_id, 128);
      try {
        await endOwnSession(deps, actor, sessionId);
      } catch (error) {
        if (!(error instanceof OperationError) || error.code !== 'not_found') throw error;
        request.log.warn(
          { event: 'account.session_end_refused', userId: actor.user.id, ip: request.ip },
          'a session that is not the user’s own was named',
        );
        return sendAccountPage(request, reply, app, actor, {
          status: 404,
          error: messages(request.locale).account.sessions.notYours,
        });
      }
      if (sessionId === actor.sessionId) {
        // This very browser: its cookie goes too, and the person lands on the sign-in page.
        await endSession(request, reply, app);
        return reply.redirect(ACCOUNT_SIGN_IN_PATH, 303);
      }
      return backToAccount(reply, 'session', 'sessions');
    },
  );

  app.post<{ Body: { csrf?: unknown } }>(END_OTHER_SESSIONS_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const actor = await acceptAccountForm(request, reply, app, form);
    if (!actor) return reply;
    await endOtherSessions(deps, actor);
    return backToAccount(reply, 'others', 'sessions');
  });
}
