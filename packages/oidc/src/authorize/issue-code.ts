import { sha256Hex } from '../hash.js';
import { wantsLogoutNotice, type RegisteredClient } from '../clients/registered-client.js';
import type {
  AuthorizationCodeStore,
  BrowserSessionStore,
  PushedRequestStore,
} from '../ports/index.js';
import { AuthorizationError } from './authorization-error.js';
import { randomId } from '../tokens/build-claims.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { authorizationResponse, type AuthorizationResponse } from './authorization-response.js';
import type { AuthenticatedSession } from './next-step.js';
import { acrOf } from './authentication-level.js';

/** What issuing a code needs besides the request and the session. */
export interface IssueCodeDeps {
  readonly codes: Pick<AuthorizationCodeStore, 'save'>;
  /** The time of the decision, in milliseconds. */
  readonly now: number;
  /** How long the code may be exchanged (DESIGN: at most 60 s). */
  readonly codeTtlSeconds: number;
  readonly issuer: string;
  /** Where a pushed request's request_uri is used up (RFC 9126 4), when the request was pushed. */
  readonly pushedRequests?: Pick<PushedRequestStore, 'consume'>;
  /**
   * Where the client is recorded as taking part in the session, when it registered a back- or
   * front-channel logout URI, so that it hears when the session ends (Back-Channel Logout 1.0
   * 2.5). Clients without one cost no write.
   */
  readonly participation?: {
    readonly sessions: Pick<BrowserSessionStore, 'addClient'>;
    readonly client: Pick<RegisteredClient, 'backchannelLogoutUri' | 'frontchannelLogoutUri'>;
  };
}

/**
 * The `acr` the code's ID token will carry (OIDC Core 2): the class the session's sign-in
 * reached, `urn:idp:acr:pwd` or `urn:idp:acr:mfa` (authentication-level.ts), always sent so that
 * a client can check what happened whether or not it asked.
 */
export function acrFor(session: Pick<AuthenticatedSession, 'amr'>): string {
  return acrOf(session.amr);
}

/**
 * Issues an authorization code for a request the signed-in person may be given one for (RFC 6749
 * 4.1.2): stores its record, bound to client, redirect_uri, PKCE challenge and session, and
 * returns the response that carries it. Only the code's hash is stored.
 */
export async function issueAuthorizationCode(
  request: AuthorizationRequest,
  session: AuthenticatedSession,
  deps: IssueCodeDeps,
): Promise<AuthorizationResponse> {
  // RFC 9126 4: a request_uri is used once. Consumed here, not when /authorize first reads it,
  // so that a reload of the login page still works; a second authorization with it fails.
  if (
    request.pushedRequestUriHash !== undefined &&
    !(await deps.pushedRequests?.consume(request.pushedRequestUriHash, deps.now))
  ) {
    throw new AuthorizationError(
      'invalid_request_uri',
      'This sign-in request (request_uri) has been used already.',
      request,
    );
  }
  // Recorded before the code exists, so a client holding a code is always told of the logout.
  if (deps.participation && wantsLogoutNotice(deps.participation.client))
    await deps.participation.sessions.addClient(session.sessionId, request.clientId, deps.now);
  const code = randomId(32);
  await deps.codes.save(
    {
      codeHash: sha256Hex(code),
      clientId: request.clientId,
      userId: session.userId,
      sessionId: session.sessionId,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      nonce: request.nonce ?? null,
      codeChallenge: request.codeChallenge ?? null,
      claims: request.claims ?? null,
      resources: request.resources,
      authTime: session.authTime,
      amr: session.amr,
      acr: acrFor(session),
      dpopJkt: request.dpopJkt ?? null,
      expiresAt: deps.now + deps.codeTtlSeconds * 1000,
      consumedAt: null,
      familyId: null,
    },
    deps.now,
  );
  return authorizationResponse(request, deps.issuer, { code });
}
