import type { EndedSession } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import type { AccountDeps } from '../../operations/account-operations.js';

/**
 * The account operations' dependencies on the server: the clients of sessions ended from the
 * account page are told off the request path (Back-Channel Logout 1.0 2.5), as for the admin API.
 */
export function accountDeps(app: FastifyInstance): AccountDeps {
  return {
    users: app.users,
    sessions: app.sessions,
    consents: app.consents,
    clock: app.clock,
    notifyEndedSessions: async (ended: readonly EndedSession[]) =>
      app.backchannelLogout.notifyInBackground(ended),
  };
}
