import type { RegisteredClient } from '../clients/registered-client.js';
import { OAuthError } from '../errors/oauth-error.js';
import { inspectToken, type InspectionDeps } from './token-inspection.js';

/**
 * Token revocation (RFC 7009 2.1): a refresh token revokes its whole family, an access token goes
 * on the revocation list, each recorded in the audit log by the store in the same write. Unknown,
 * invalid or foreign tokens change nothing and still answer 200 (2.2), so a client cannot probe
 * other clients' tokens.
 */
export async function revokeToken(
  params: Readonly<Record<string, string | undefined>>,
  client: RegisteredClient,
  deps: InspectionDeps,
): Promise<{ revoked: 'family' | 'access_token' | 'nothing'; familyId?: string }> {
  if (!params.token) throw new OAuthError('invalid_request', 'token is required');
  const live = await inspectToken(params.token, params.token_type_hint, deps, 'revocation');
  if (!live || live.payload.client_id !== client.clientId) return { revoked: 'nothing' };
  if (live.kind === 'refresh_token') {
    await deps.families.revokeFamily(
      live.family.id,
      deps.now,
      'revoked_by_client',
      client.clientId,
    );
    return { revoked: 'family', familyId: live.family.id };
  }
  await deps.families.revokeAccessToken(
    live.payload.jti as string,
    (live.payload.exp as number) * 1000,
    client.clientId,
    deps.now,
  );
  return { revoked: 'access_token' };
}
