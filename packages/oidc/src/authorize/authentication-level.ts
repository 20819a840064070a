import type { RegisteredClient } from '../clients/registered-client.js';
import type { AuthorizationRequest } from './authorization-request.js';

/**
 * The authentication context classes this server knows (OIDC Core 2 `acr`), advertised as
 * `acr_values_supported`. Our own URNs, since no registry names "a password" and "a password
 * and a one-time code": clients compare them as opaque strings.
 */
export const ACR_PASSWORD = 'urn:idp:acr:pwd';
export const ACR_MFA = 'urn:idp:acr:mfa';
export const ACR_VALUES_SUPPORTED: readonly string[] = [ACR_PASSWORD, ACR_MFA];

/** RFC 8176 2: `amr` after a password alone, and after a password and a one-time code. */
export const AMR_PASSWORD: readonly string[] = ['pwd'];
export const AMR_PASSWORD_AND_CODE: readonly string[] = ['pwd', 'otp', 'mfa'];
/**
 * RFC 8176 2: a password, then a passkey as the second factor: proof of possession of a
 * hardware-secured key (`hwk`), whose assertion carries the user-present flag (`user`, "user
 * presence test"; the passkey is also user-verified), and two factors (`mfa`).
 */
export const AMR_PASSWORD_AND_PASSKEY: readonly string[] = ['pwd', 'hwk', 'user', 'mfa'];

/**
 * Whether a sign-in used two factors: a password and a one-time code (`mfa`), or a passkey with
 * user verification (`hwk` + `user`: possession of the key and the PIN or biometric that unlocks
 * it, RFC 8176 2), which NIST SP 800-63B counts as a multi-factor cryptographic authenticator.
 */
export function reachedMfa(amr: readonly string[]): boolean {
  return amr.includes('mfa') || (amr.includes('hwk') && amr.includes('user'));
}

/** The `acr` a session's authentication reached, from its RFC 8176 `amr`. */
export function acrOf(amr: readonly string[]): string {
  return reachedMfa(amr) ? ACR_MFA : ACR_PASSWORD;
}

/**
 * The acr values that govern a request: the request's `acr_values` (OIDC Core 3.1.2.1), else an
 * essential `acr` claim's values (5.5.1.1), else the client's `default_acr_values` (OIDC
 * Registration 2).
 */
export function requestedAcrValues(
  request: Pick<AuthorizationRequest, 'acrValues' | 'claims'>,
  client: Pick<RegisteredClient, 'defaultAcrValues'>,
): readonly string[] {
  // `?? []`: requests built by hand (device flow, tests) may leave it out.
  if ((request.acrValues ?? []).length > 0) return request.acrValues;
  const claim = request.claims?.id_token?.acr;
  if (claim?.essential === true) {
    const values = claim.values ?? (claim.value === undefined ? [] : [claim.value]);
    const strings = values.filter((v): v is string => typeof v === 'string');
    if (strings.length > 0) return strings;
  }
  return client.defaultAcrValues ?? [];
}

/**
 * Whether the request needs a second factor: the client's `require_mfa` switch, or acr values
 * of which every one this server knows is the two-factor class. A list that also accepts one
 * factor (`urn:idp:acr:pwd urn:idp:acr:mfa`, in order of preference) is met by a password, and
 * values this server does not know are ignored, as OIDC Core 3.1.2.1 makes acr_values voluntary.
 */
export function needsSecondFactor(
  request: Pick<AuthorizationRequest, 'acrValues' | 'claims'>,
  client: Pick<RegisteredClient, 'defaultAcrValues' | 'requireMfa'>,
): boolean {
  if (client.requireMfa === true) return true;
  const known = requestedAcrValues(request, client).filter((v) => ACR_VALUES_SUPPORTED.includes(v));
  return known.length > 0 && known.every((v) => v === ACR_MFA);
}
