import type { FastifyInstance } from 'fastify';
import { messages } from '../../i18n/index.js';
import { revokeOwnConsent } from '../../operations/account-operations.js';
import { OperationError } from '../../operations/operation-error.js';
import { REVOKE_APP_PATH } from '../../views/account/apps-section.js';
import { accountDeps } from './account-deps.js';
import { sendAccountPage } from './account-page.js';
import { acceptAccountForm, backToAccount, formField } from './account-session.js';

/**
 * POST /account/apps/revoke: takes back the consent given to `client_id` and revokes that
 * application's refresh-token families for the person (offline ones too), audited as
 * consent.revoked in the same transaction.
 */
export async function appRoutes(app: FastifyInstance) {
  const deps = accountDeps(app);
  app.post<{ Body: { client_id?: unknown; csrf?: unknown } }>(
    REVOKE_APP_PATH,
    async (request, reply) => {
      const form = request.body ?? {};
      const actor = await acceptAccountForm(request, reply, app, form);
      if (!actor) return reply;
      try {
        await revokeOwnConsent(deps, actor, formField(form.client_id, 2048));
      } catch (error) {
        if (!(error instanceof OperationError) || error.code !== 'not_found') throw error;
        return sendAccountPage(request, reply, app, actor, {
          status: 404,
          error: messages(request.locale).account.apps.notConnected,
        });
      }
      return backToAccount(reply, 'app', 'apps');
    },
  );
}
