import type { ClientAuthMethod, RegisteredClient } from '../clients/registered-client.js';
import { clientSecretMatches } from '../clients/client-secret.js';
import { OAuthError, type ProfileRefusal } from '../errors/oauth-error.js';
import { fapi2ClientAuthenticationProblem, fapi2Refusal } from '../profiles/fapi2.js';
import { ClientJwtRejected } from '../ports/client-jwt-verifier.js';
import {
  checkClientAssertion,
  JWT_BEARER_ASSERTION_TYPE,
  type ClientAssertionDeps,
} from './client-assertion.js';

/** What the request carried for client authentication (RFC 6749 2.3.1). */
export interface PresentedClientCredentials {
  readonly authorization: string | undefined;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  /** RFC 7521 4.2 / RFC 7523 2.2: `client_assertion_type` and `client_assertion`. */
  readonly clientAssertionType?: string | undefined;
  readonly clientAssertion?: string | undefined;
}

/** What client authentication needs besides the request: the clients, and for assertions the rest. */
export interface ClientAuthenticationDeps extends ClientAssertionDeps {
  findClient(clientId: string): Promise<RegisteredClient | null>;
}

/**
 * RFC 6749 5.2: invalid_client is 401 with a challenge for the scheme the client may use.
 * `reason` goes to the operator's log only (never a secret): why authentication failed.
 */
export class InvalidClient extends OAuthError {
  constructor(description: string, reason: string, profileRefusal?: ProfileRefusal) {
    super('invalid_client', description, { detail: reason, profileRefusal });
    this.name = 'InvalidClient';
  }
}

/** What a client learns of any failure but a wrong method: nothing about whether it exists. */
const FAILED = 'client authentication failed';

function decodeBasic(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    // RFC 6749 2.3.1: both parts are form-urlencoded before base64.
    const formDecode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
    return {
      id: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}

/**
 * Authenticates the client of a token, PAR, revocation or introspection request with the one
 * method it is registered for (RFC 7591 2: a client uses the method it registered). Failures
 * look the same to the caller (no hint whether the client exists or the secret or signature was
 * wrong), except that a wrong method names the registered one; the reason goes to the logs.
 */
export async function authenticateClient(
  presented: PresentedClientCredentials,
  deps: ClientAuthenticationDeps,
): Promise<RegisteredClient> {
  let method: ClientAuthMethod;
  let clientId: string | undefined;
  let secret: string | undefined;
  let assertion: string | undefined;
  const basic = presented.authorization?.toLowerCase().startsWith('basic ')
    ? presented.authorization
    : undefined;
  const assertionSent =
    presented.clientAssertion !== undefined || presented.clientAssertionType !== undefined;
  if (basic) {
    const decoded = decodeBasic(basic);
    if (!decoded)
      throw new InvalidClient(
        'malformed HTTP Basic credentials',
        'malformed HTTP Basic credentials',
      );
    if (presented.clientSecret !== undefined || assertionSent) {
      throw new OAuthError('invalid_request', 'use only one client authentication method');
    }
    if (presented.clientId !== undefined && presented.clientId !== decoded.id) {
      throw new OAuthError(
        'invalid_request',
        'client_id in the body differs from the authenticated client',
      );
    }
    method = 'client_secret_basic';
    ({ id: clientId, secret } = decoded);
  } else if (assertionSent) {
    if (presented.clientSecret !== undefined)
      throw new OAuthError('invalid_request', 'use only one client authentication method');
    if (presented.clientAssertionType !== JWT_BEARER_ASSERTION_TYPE) {
      throw new InvalidClient(
        `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`,
        'unsupported client_assertion_type',
      );
    }
    if (!presented.clientAssertion)
      throw new InvalidClient('client_assertion is required', 'client_assertion missing');
    method = 'private_key_jwt';
    assertion = presented.clientAssertion;
    // RFC 7523 3: client_id is optional beside an assertion; the assertion's sub names the client
    // (read unverified here only to find whose keys verify it, and checked against it after).
    const claimed = deps.clientJwts.peek(assertion)?.sub;
    if (typeof claimed !== 'string')
      throw new InvalidClient(FAILED, 'client_assertion is not a JWT with a sub');
    if (presented.clientId !== undefined && presented.clientId !== claimed) {
      throw new InvalidClient(FAILED, "client_id in the body differs from the assertion's sub");
    }
    clientId = claimed;
  } else if (presented.clientSecret !== undefined) {
    method = 'client_secret_post';
    clientId = presented.clientId;
    secret = presented.clientSecret;
  } else {
    method = 'none';
    clientId = presented.clientId;
  }
  if (!clientId) throw new InvalidClient('client authentication is required', 'no credentials');

  const client = await deps.findClient(clientId);
  if (client === null) throw new InvalidClient(FAILED, 'unknown client');
  if (client.tokenEndpointAuthMethod !== method) {
    // The registered method is all a client learns: enough for its developer to fix the
    // library's setting (openid-client's short form sends client_secret_post, for one).
    const registered = client.tokenEndpointAuthMethod;
    throw new InvalidClient(
      `${FAILED}: this client is registered for ${registered}`,
      `client ${client.clientId} is registered for ${registered} but sent ${method}`,
    );
  }
  const profileProblem = fapi2ClientAuthenticationProblem(client, method);
  if (profileProblem)
    throw new InvalidClient(
      `${FAILED}: ${profileProblem}`,
      profileProblem,
      fapi2Refusal(client, 'private_key_jwt_required'),
    );
  if (assertion !== undefined) {
    try {
      await checkClientAssertion(assertion, client, deps);
    } catch (error) {
      if (error instanceof ClientJwtRejected)
        throw new InvalidClient(
          FAILED,
          `client ${client.clientId}: ${error.message}`,
          error.profileRule && fapi2Refusal(client, error.profileRule),
        );
      throw error;
    }
    return client;
  }
  if (
    method !== 'none' &&
    (client.secretHash === null || !clientSecretMatches(secret ?? '', client.secretHash))
  ) {
    throw new InvalidClient(FAILED, `wrong secret for client ${client.clientId}`);
  }
  return client;
}
