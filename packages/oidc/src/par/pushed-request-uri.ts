import { AuthorizationError } from '../authorize/authorization-error.js';
import { sha256Hex } from '../hash.js';
import type { RawParameters } from '../parameters/raw-parameters.js';
import type { PushedRequestStore } from '../ports/pushed-request-store.js';
import { randomId } from '../tokens/build-claims.js';

/** RFC 9126 2.2: the URN namespace of request URIs issued by a pushed authorization request endpoint. */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';

/** A fresh request_uri (256 bits of randomness after the URN prefix) and the hash it is stored under. */
export function newRequestUri(): { requestUri: string; requestUriHash: string } {
  const requestUri = `${REQUEST_URI_PREFIX}${randomId(32)}`;
  return { requestUri, requestUriHash: sha256Hex(requestUri) };
}

/**
 * The parameters an authorization request with `request_uri` stands for (RFC 9126 4): those of
 * the pushed request it names, which must be unused, unexpired and pushed by the client named
 * by `client_id`. Anything else in the query is ignored (RFC 9126 4, RFC 9101 5). Failures are
 * shown to the person, not redirected: no redirect_uri is trusted yet.
 */
export async function resolvePushedRequest(
  raw: RawParameters,
  store: Pick<PushedRequestStore, 'find'>,
  now: number,
): Promise<{ parameters: RawParameters; requestUriHash: string }> {
  const requestUri = raw.request_uri;
  const clientId = raw.client_id;
  if (typeof requestUri !== 'string' || typeof clientId !== 'string') {
    throw new AuthorizationError(
      'invalid_request',
      'request_uri and client_id must each be sent once (RFC 9126 4).',
    );
  }
  if (clientId === '')
    throw new AuthorizationError(
      'invalid_request',
      'The request does not say which application it is for (client_id is missing).',
    );
  if (!requestUri.startsWith(REQUEST_URI_PREFIX)) {
    throw new AuthorizationError(
      'request_uri_not_supported',
      "Only request_uri values from this server's pushed authorization request endpoint are accepted.",
    );
  }
  const requestUriHash = sha256Hex(requestUri);
  const found = await store.find(requestUriHash);
  // Another client's request_uri reads as unknown: a client learns nothing about others' requests.
  if (!found || found.clientId !== clientId) {
    throw new AuthorizationError(
      'invalid_request_uri',
      'This sign-in link is unknown to the sign-in service (request_uri not found).',
    );
  }
  if (found.consumedAt !== null)
    throw new AuthorizationError(
      'invalid_request_uri',
      'This sign-in link has been used already (request_uri is single-use).',
    );
  if (now >= found.expiresAt)
    throw new AuthorizationError(
      'invalid_request_uri',
      'This sign-in link has expired (request_uri); start again from the application.',
    );
  return { parameters: found.parameters, requestUriHash };
}
