import { AuthorizationError } from '../authorize/authorization-error.js';
import { validateAuthorizationRequest } from '../authorize/validate-authorization-request.js';
import type { RegisteredClient } from '../clients/registered-client.js';
import type { DpopNonces } from '../dpop/dpop-nonce.js';
import { checkDpopProof } from '../dpop/dpop-proof.js';
import { OAuthError } from '../errors/oauth-error.js';
import { readRawParameters, type RawParameters } from '../parameters/raw-parameters.js';
import type { PushedRequestStore } from '../ports/pushed-request-store.js';
import type { SingleUseStore } from '../ports/single-use-store.js';
import { newRequestUri } from './pushed-request-uri.js';

/** What pushing needs besides the parameters and the authenticated client. */
export interface PushDeps {
  readonly store: Pick<PushedRequestStore, 'save'>;
  readonly now: number;
  /** How long the request_uri may be used (IDP_PAR_LIFETIME, at most 600 s). */
  readonly lifetimeSeconds: number;
  /**
   * Signed request objects (RFC 9101, `request` at /par): turns the object into the parameters
   * it carries, after checking its signature against the client's keys, or throws. Without it a
   * `request` parameter is refused with `request_not_supported`.
   */
  readonly requestObject?: (request: string, client: RegisteredClient) => Promise<RawParameters>;
  /** The algorithms the server signs ID tokens with now (see validateAuthorizationRequest). */
  readonly signingAlgorithms?: readonly string[];
  /** The request's DPoP proof, if any (RFC 9449 10.1: it binds the code as `dpop_jkt` would). */
  readonly dpop?: {
    readonly proof: string | undefined;
    readonly url: string;
    readonly replay: Pick<SingleUseStore, 'consume'>;
    readonly nonces?: DpopNonces | undefined;
  };
}

/** The 201 body of RFC 9126 2.2. */
export interface PushedAuthorizationResponse {
  readonly request_uri: string;
  readonly expires_in: number;
}

/**
 * The pushed authorization request endpoint (RFC 9126 2): the authenticated client's request is
 * validated now, exactly as /authorize would (2.1), and stored under a fresh, single-use
 * request_uri. Errors are the authorization endpoint's codes in a JSON body (2.3).
 */
export async function pushAuthorizationRequest(
  input: unknown,
  client: RegisteredClient,
  deps: PushDeps,
): Promise<PushedAuthorizationResponse> {
  let parameters = readRawParameters(input);
  // RFC 9126 2.1: request_uri MUST NOT be provided at this endpoint.
  if (parameters.request_uri !== undefined)
    throw new OAuthError(
      'invalid_request',
      'request_uri must not be sent to the pushed authorization request endpoint',
    );
  if (parameters.client_id !== undefined && parameters.client_id !== client.clientId) {
    throw new OAuthError('invalid_request', 'client_id differs from the authenticated client');
  }
  if (parameters.request !== undefined) {
    if (!deps.requestObject)
      throw new OAuthError('request_not_supported', 'request objects are not supported');
    if (typeof parameters.request !== 'string')
      throw new OAuthError('invalid_request', 'request must not be repeated');
    parameters = await deps.requestObject(parameters.request, client);
  }
  if (deps.dpop?.proof !== undefined) {
    const { proof, url, replay, nonces } = deps.dpop;
    const { jkt } = await checkDpopProof({
      proof,
      method: 'POST',
      url,
      now: deps.now,
      replay,
      nonces,
    });
    if (parameters.dpop_jkt !== undefined && parameters.dpop_jkt !== jkt) {
      throw new OAuthError(
        'invalid_dpop_proof',
        "dpop_jkt differs from the thumbprint of the DPoP proof's key (RFC 9449 10.1)",
      );
    }
    parameters = { ...parameters, dpop_jkt: jkt };
  }
  const pushed = { ...parameters, client_id: client.clientId };
  try {
    await validateAuthorizationRequest(
      pushed,
      async (id) => (id === client.clientId ? client : null),
      deps.signingAlgorithms === undefined ? {} : { signingAlgorithms: deps.signingAlgorithms },
    );
  } catch (error) {
    if (error instanceof AuthorizationError)
      throw new OAuthError(error.error, error.description, {
        status: 400,
        profileRefusal: error.profileRefusal,
      });
    throw error;
  }
  const { requestUri, requestUriHash } = newRequestUri();
  await deps.store.save(
    {
      requestUriHash,
      clientId: client.clientId,
      parameters: Object.fromEntries(
        Object.entries(pushed).filter(([, value]) => value !== undefined),
      ) as Record<string, string | readonly string[]>,
      expiresAt: deps.now + deps.lifetimeSeconds * 1000,
    },
    deps.now,
  );
  return { request_uri: requestUri, expires_in: deps.lifetimeSeconds };
}
