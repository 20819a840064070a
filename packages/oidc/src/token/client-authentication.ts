import type { ClientAuthMethod, RegisteredClient } from '../clients/registered-client.js';
import { clientSecretMatches } from '../clients/client-secret.js';
import { OAuthError } from '../errors/oauth-error.js';

/** What the request carried for client authentication (RFC 6749 2.3.1). */
export interface PresentedClientCredentials {
  readonly authorization: string | undefined;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
}

/** RFC 6749 5.2: invalid_client is 401 with a challenge for the scheme the client may use. */
export class InvalidClient extends OAuthError {
  constructor(description: string) {
    super('invalid_client', description);
    this.name = 'InvalidClient';
  }
}

function decodeBasic(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    // RFC 6749 2.3.1: both parts are form-urlencoded before base64.
    const formDecode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/**
 * Authenticates the client of a token, revocation or introspection request with the one method
 * it is registered for. Every failure looks the same to the caller (no hint whether the client
 * exists); the detail goes to the logs.
 */
export async function authenticateClient(
  presented: PresentedClientCredentials,
  findClient: (clientId: string) => Promise<RegisteredClient | null>,
): Promise<RegisteredClient> {
  let method: ClientAuthMethod;
  let clientId: string | undefined;
  let secret: string | undefined;
  const basic = presented.authorization?.toLowerCase().startsWith('basic ') ? presented.authorization : undefined;
  if (basic) {
    const decoded = decodeBasic(basic);
    if (!decoded) throw new InvalidClient('malformed HTTP Basic credentials');
    if (presented.clientSecret !== undefined) {
      throw new OAuthError('invalid_request', 'use only one client authentication method');
    }
    if (presented.clientId !== undefined && presented.clientId !== decoded.id) {
      throw new OAuthError('invalid_request', 'client_id in the body differs from the authenticated client');
    }
    method = 'client_secret_basic';
    ({ id: clientId, secret } = decoded);
  } else if (presented.clientSecret !== undefined) {
    method = 'client_secret_post';
    clientId = presented.clientId;
    secret = presented.clientSecret;
  } else {
    method = 'none';
    clientId = presented.clientId;
  }
  if (!clientId) throw new InvalidClient('client authentication is required');

  const client = await findClient(clientId);
  const authenticated =
    client !== null &&
    client.tokenEndpointAuthMethod === method &&
    (method === 'none' || (client.secretHash !== null && clientSecretMatches(secret ?? '', client.secretHash)));
  // One answer for every failure; the error (and its stack) is built only when needed.
  if (!authenticated) throw new InvalidClient('client authentication failed');
  return client;
}
