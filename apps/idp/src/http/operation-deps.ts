import type { EndedSession, UserAccount } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { postSecurityNotice, type NoticeKind } from '../email/security-notice.js';
import { DEFAULT_LOCALE } from '../i18n/index.js';

/**
 * What the user and account operations need of the running server, for every route that calls
 * them (admin API, console, account page). The clients of ended sessions are told off the
 * request path, retries included (Back-Channel Logout 1.0 2.5): the answer does not wait for
 * them; failures are logged and audited.
 */
export function serverOperationDeps(app: FastifyInstance) {
  return {
    users: app.users,
    sessions: app.sessions,
    consents: app.consents,
    audit: app.audit,
    clock: app.clock,
    oneTimeCodes: app.oneTimeCodes,
    passkeys: app.passkeys,
    notifyEndedSessions: (ended: readonly EndedSession[]) =>
      app.backchannelLogout.notifyInBackground(ended),
    // After the response, as every security notice; in the account's language, else the default.
    tellOwner: async (user: UserAccount, kind: NoticeKind) =>
      postSecurityNotice(app, kind, { user, locale: DEFAULT_LOCALE }),
  };
}
