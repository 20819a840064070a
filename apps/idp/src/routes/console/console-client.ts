import type { Config } from '@idp/config';
import { ADMIN_SCOPE, StoreError, type ClientStore, type Clock } from '@idp/oidc';
import type { Logger } from 'pino';
import { clientDocument } from '../../cli/client-document.js';
import { registeredClient, validClientMetadata } from '../../operations/client-operations.js';
import { CONSOLE_CLIENT_ID } from '../../operations/reserved-clients.js';

export { CONSOLE_CLIENT_ID };
export const CONSOLE_CALLBACK_PATH = '/admin/callback';

/**
 * The console as a client of its own issuer: public (the code is exchanged inside the server,
 * so there is no secret to keep, and PKCE binds the code to the browser that started), first
 * party (no consent page), the authorization code grant only (no refresh token: a console
 * session lasts as long as its access token, then signs in again, silently while the person's
 * session with this server lives), and the admin scope, which only users with the role get.
 */
export function consoleClientMetadata(config: Pick<Config, 'issuer' | 'signingAlgorithms'>) {
  return {
    client_id: CONSOLE_CLIENT_ID,
    client_name: 'Admin console',
    token_endpoint_auth_method: 'none',
    redirect_uris: [`${config.issuer}${CONSOLE_CALLBACK_PATH}`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    scope: `openid email ${ADMIN_SCOPE}`,
    first_party: true,
    id_token_signed_response_alg: config.signingAlgorithms[0] ?? 'RS256',
    // A public client by design (see above), so it opts out of a server-wide FAPI 2.0 profile,
    // which would demand private_key_jwt; its admins still sign in through the same login page.
    security_profile: 'none',
  };
}

/**
 * Creates the console's client at start, or brings it back to what this server's configuration
 * says (a changed issuer moves its redirect URI). Unchanged, it is left alone, so restarts leave
 * no audit events. Several instances starting together may race to create it: the loser's
 * conflict means the winner created the same thing.
 */
export async function ensureConsoleClient(
  deps: { clients: ClientStore; clock: Clock; config: Config },
  logger: Pick<Logger, 'info'>,
): Promise<void> {
  const metadata = validClientMetadata(consoleClientMetadata(deps.config), deps.config);
  const wanted = registeredClient(metadata, null);
  const existing = await deps.clients.findById(CONSOLE_CLIENT_ID);
  const now = deps.clock.now();
  if (!existing) {
    try {
      await deps.clients.create(wanted, 'system', now);
      logger.info({ client_id: CONSOLE_CLIENT_ID }, 'registered the admin console client');
    } catch (error) {
      if (!(error instanceof StoreError && error.code === 'conflict')) throw error;
    }
    return;
  }
  const before = JSON.stringify(clientDocument(existing));
  if (before === JSON.stringify(clientDocument(wanted))) return;
  await deps.clients.update(wanted, 'system', Object.keys(metadata), now);
  logger.info({ client_id: CONSOLE_CLIENT_ID }, 'updated the admin console client');
}
