import type { AuthorizationRequest } from '../authorize/authorization-request.js';
import type { DeviceAuthorizationRecord } from '../ports/device-authorization-store.js';

/** Why a user code entered on the verification page cannot go on to consent. */
export type UserCodeProblem = 'unknown' | 'expired' | 'answered';

/**
 * Whether an entered code's record may be decided now: it must exist, be pending and not have
 * expired (RFC 8628 3.3). A code already approved or denied cannot be answered again.
 */
export function userCodeProblem(
  record: DeviceAuthorizationRecord | null,
  now: number,
): UserCodeProblem | undefined {
  if (!record) return 'unknown';
  if (now >= record.expiresAt) return 'expired';
  if (record.status !== 'pending') return 'answered';
  return undefined;
}

/**
 * The device request as the login and consent interaction sees it: an authorization request
 * for the device's scopes and resources, with no redirect_uri (the decision ends on a page of
 * ours) and no prompt, nonce or PKCE (the device proves itself at the token endpoint instead).
 */
export function deviceInteractionRequest(record: DeviceAuthorizationRecord): AuthorizationRequest {
  return {
    clientId: record.clientId,
    redirectUri: '',
    responseMode: 'query',
    state: undefined,
    scopes: record.scopes,
    nonce: undefined,
    codeChallenge: undefined,
    prompt: [],
    maxAge: undefined,
    loginHint: undefined,
    idTokenHint: undefined,
    acrValues: [],
    claims: undefined,
    resources: record.resources,
  };
}
