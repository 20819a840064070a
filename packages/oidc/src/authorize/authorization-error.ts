import { OAuthError, type OAuthErrorCode, type ProfileRefusal } from '../errors/oauth-error.js';
import type { ResponseTarget } from './authorization-request.js';

/**
 * An authorization request failure. With a `target` it goes back to the client's registered
 * redirect_uri (RFC 6749 4.1.2.1); without one (unknown client, unregistered redirect_uri) it
 * must be shown to the person, never redirected.
 */
export class AuthorizationError extends OAuthError {
  readonly target: ResponseTarget | undefined;

  constructor(
    error: OAuthErrorCode,
    description: string,
    target?: ResponseTarget,
    detail?: string,
    profileRefusal?: ProfileRefusal,
  ) {
    super(error, description, { ...(detail === undefined ? {} : { detail }), profileRefusal });
    this.name = 'AuthorizationError';
    this.target = target;
  }
}
