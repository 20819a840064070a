import type { RegisteredClient } from '../clients/registered-client.js';
import type { EndedSession } from '../ports/browser-session-store.js';
import type { JwsSigningAlgorithm } from '../tokens/signing-algorithms.js';

/** Back-Channel Logout 1.0 2.4: the JWT `typ` header of a logout token (RFC 8725 3.11). */
export const LOGOUT_TOKEN_TYP = 'logout+jwt';

/** Back-Channel Logout 1.0 2.4: the one member of the `events` claim. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** One logout token to deliver: to whom, where, signed how, about which session. */
export interface LogoutNotice {
  readonly clientId: string;
  /** The client's backchannel_logout_uri. */
  readonly uri: string;
  /** The client's id_token_signed_response_alg (Back-Channel Logout 1.0 2.4). */
  readonly alg: JwsSigningAlgorithm;
  readonly sessionId: string;
  readonly subject: string;
}

/**
 * The logout tokens an ended session calls for (Back-Channel Logout 1.0 2.5): one per client
 * that took part in it and registered a backchannel_logout_uri. `clients` are the lookups of
 * `ended.clientIds` (a client removed since is null, and skipped).
 */
export function logoutNotices(
  ended: EndedSession,
  clients: readonly (RegisteredClient | null)[],
): LogoutNotice[] {
  return clients.flatMap((client) =>
    client?.backchannelLogoutUri && ended.clientIds.includes(client.clientId)
      ? [
          {
            clientId: client.clientId,
            uri: client.backchannelLogoutUri,
            alg: client.idTokenSignedResponseAlg,
            sessionId: ended.sessionId,
            subject: ended.userId,
          },
        ]
      : [],
  );
}

/**
 * The claims of a logout token (Back-Channel Logout 1.0 2.4): `iss`, `aud` (the client), `iat`,
 * a short `exp`, a fresh `jti`, the back-channel logout event, and both `sub` and `sid`, so an
 * RP can end the one session (as its ID token's `sid` names it) whether or not it registered
 * backchannel_logout_session_required. Never a `nonce` (2.4: it MUST NOT carry one, so a
 * logout token cannot pass for an ID token). `now` in milliseconds.
 */
export function logoutTokenClaims(
  notice: LogoutNotice,
  input: {
    readonly issuer: string;
    readonly now: number;
    readonly ttlSeconds: number;
    readonly jti: string;
  },
): Record<string, unknown> {
  const iat = Math.floor(input.now / 1000);
  return {
    iss: input.issuer,
    aud: notice.clientId,
    iat,
    exp: iat + input.ttlSeconds,
    jti: input.jti,
    sub: notice.subject,
    sid: notice.sessionId,
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  };
}

/**
 * The pages the logout page loads in iframes (Front-Channel Logout 1.0 3): each client of the
 * ended session that registered a frontchannel_logout_uri, with `iss` and `sid` added to its
 * query (always: both are sent together, and a client that required them gets them).
 */
export function frontchannelLogoutUrls(
  ended: EndedSession,
  clients: readonly (RegisteredClient | null)[],
  issuer: string,
): string[] {
  return clients.flatMap((client) => {
    if (!client?.frontchannelLogoutUri || !ended.clientIds.includes(client.clientId)) return [];
    const url = new URL(client.frontchannelLogoutUri);
    url.searchParams.set('iss', issuer);
    url.searchParams.set('sid', ended.sessionId);
    return [url.href];
  });
}
