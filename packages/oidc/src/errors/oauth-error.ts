/**
 * Error codes of RFC 6749 (4.1.2.1, 5.2), RFC 6750 3.1, RFC 7009 2.2.1, RFC 8628 3.5, OIDC Core 3.1.2.6,
 * RFC 9101 6.2 (`invalid_request_uri`), RFC 9449 (`invalid_dpop_proof`, `use_dpop_nonce`) and
 * RFC 7591 3.2.2 (`invalid_redirect_uri`, `invalid_client_metadata`).
 * A closed union, so that handlers can switch exhaustively.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'unsupported_token_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
  | 'unmet_authentication_requirements'
  | 'invalid_request_object'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'invalid_request_uri'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'invalid_target'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'server_error'
  | 'temporarily_unavailable';

const DEFAULT_STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  unsupported_token_type: 400,
  invalid_scope: 400,
  access_denied: 403,
  invalid_token: 401,
  insufficient_scope: 403,
  login_required: 400,
  consent_required: 400,
  interaction_required: 400,
  unmet_authentication_requirements: 400,
  invalid_request_object: 400,
  request_not_supported: 400,
  request_uri_not_supported: 400,
  invalid_request_uri: 400,
  invalid_dpop_proof: 400,
  use_dpop_nonce: 400,
  invalid_target: 400,
  invalid_redirect_uri: 400,
  invalid_client_metadata: 400,
  authorization_pending: 400,
  slow_down: 400,
  expired_token: 400,
  server_error: 500,
  temporarily_unavailable: 503,
};

/**
 * A request refused by a rule of the client's security profile (FAPI 2.0 SP), carried by the
 * error so that the server can audit it: which profile, which rule, which client.
 */
export interface ProfileRefusal {
  readonly profile: 'fapi2';
  /** A short name of the rule, e.g. `par_required` (see profiles/fapi2.ts). */
  readonly rule: string;
  readonly clientId: string;
}

/**
 * An error a client caused or must hear about, in the protocol's words. `description` is sent
 * to the client; `detail` only to the logs (it may say more than a client should learn).
 */
export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly status: number;
  readonly description: string;
  readonly detail: string | undefined;
  /** Response headers the error needs (a `DPoP-Nonce` with `use_dpop_nonce`, RFC 9449 8). */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Set when a security profile's rule refused the request (audited by the server). */
  readonly profileRefusal: ProfileRefusal | undefined;

  constructor(
    error: OAuthErrorCode,
    description: string,
    options: {
      status?: number;
      detail?: string;
      cause?: unknown;
      headers?: Record<string, string>;
      profileRefusal?: ProfileRefusal | undefined;
    } = {},
  ) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OAuthError';
    this.error = error;
    this.status = options.status ?? DEFAULT_STATUS[error];
    this.description = description;
    this.detail = options.detail;
    this.headers = options.headers;
    this.profileRefusal = options.profileRefusal;
  }

  /** The JSON body of RFC 6749 5.2. */
  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

/** Anything that is not an OAuthError becomes `server_error`, with no detail leaked. */
export function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  return new OAuthError('server_error', 'The server could not complete the request.', {
    cause: error,
  });
}
