import {
  acceptedClientAlgs,
  type ClientSigningAlg,
  type RegisteredClient,
} from '../clients/registered-client.js';
import { OAuthError, type ProfileRefusal } from '../errors/oauth-error.js';

/**
 * The FAPI 2.0 Security Profile (final), for the clients it applies to: one place for its rules,
 * so that the endpoints ask this module rather than each knowing the profile. A client follows
 * it when its `security_profile` is `fapi2`, or when it registered none and the server's
 * `IDP_SECURITY_PROFILE` is `fapi2` (the client cache resolves that into `securityProfile`).
 *
 * What the profile asks of an authorization server (FAPI 2.0 SP 5.3.2), and where it is enforced:
 * - PAR for every authorization request (5.3.2.2-1): `fapi2AuthorizationRequestProblem`;
 * - PKCE with S256 (5.3.2.2-3): the same;
 * - confidential clients only, authenticating with `private_key_jwt` (5.3.2.1-4, 5.3.2.2-5):
 *   registration (`fapi2MetadataProblems`) and `fapi2ClientAuthenticationProblem`;
 * - sender-constrained access tokens, here DPoP (5.3.2.1-5): `fapi2TokenRequestProblem`;
 * - PS256, ES256 or EdDSA for every signature (5.4.1): `fapi2SigningAlgs`, applied to client
 *   assertions, request objects and ID tokens;
 * - authorization codes of at most 60 s (5.3.2.1-12): every code here (IDP_AUTHORIZATION_CODE_TTL
 *   is capped at 60 s);
 * - `iss` in the authorization response (5.3.2.2-4, RFC 9207): every response here;
 * - no refresh token rotation "except in extraordinary circumstances" (5.3.2.1-10):
 *   `rotatesRefreshTokens`.
 */

/**
 * The profile's rules that refuse requests, by the short name audit events carry
 * (`security_profile.refused`, data.rule), with the section each comes from.
 */
export const FAPI2_RULES = {
  /** 5.3.2.2-1: authorization requests only through PAR. */
  par_required: '5.3.2.2-1',
  /** 5.3.2.2-3: PKCE with S256. */
  pkce_required: '5.3.2.2-3',
  /** 5.3.2.1-4: confidential clients authenticating with private_key_jwt (or mTLS). */
  private_key_jwt_required: '5.3.2.1-4',
  /** 5.3.2.1-5: sender-constrained access tokens (DPoP here). */
  sender_constrained_tokens: '5.3.2.1-5',
  /** 5.4.1: PS256, ES256 or EdDSA only. */
  signing_algorithm: '5.4.1',
} as const;
export type Fapi2Rule = keyof typeof FAPI2_RULES;

/** What an error raised by `rule` carries for the audit trail. */
export function fapi2Refusal(
  client: Pick<RegisteredClient, 'clientId'>,
  rule: Fapi2Rule,
): ProfileRefusal {
  return { profile: 'fapi2', rule, clientId: client.clientId };
}

/** Values of the `security_profile` client metadata and of `IDP_SECURITY_PROFILE`. */
export const SECURITY_PROFILES = ['none', 'fapi2'] as const;
export type SecurityProfile = (typeof SECURITY_PROFILES)[number];

/**
 * The client as the endpoints judge it: its own `security_profile`, or the server's default
 * (IDP_SECURITY_PROFILE) when it registered none. The server's client lookup applies this once
 * per load, so every check reads `securityProfile` only.
 */
export function withSecurityProfile(
  client: RegisteredClient,
  serverDefault: SecurityProfile,
): RegisteredClient {
  const profile = client.securityProfile ?? serverDefault;
  return profile === client.securityProfile ? client : { ...client, securityProfile: profile };
}

/** FAPI 2.0 SP 5.4.1: the only JWS algorithms (RS256 and HMACs are out). */
export const FAPI2_SIGNING_ALGS = ['PS256', 'ES256', 'EdDSA'] as const;

/** Whether `client` follows the FAPI 2.0 Security Profile (its profile resolved). */
export function isFapi2(client: Pick<RegisteredClient, 'securityProfile'>): boolean {
  return client.securityProfile === 'fapi2';
}

const isFapi2Alg = (alg: string): boolean =>
  (FAPI2_SIGNING_ALGS as readonly string[]).includes(alg) || alg === 'Ed25519';

/**
 * The `alg` values a signature of `client` may carry (client assertions, request objects), for
 * its registered algorithm or for any: for a FAPI 2.0 client without RS256 (FAPI 2.0 SP 5.4.1).
 */
export function clientSignatureAlgs(
  client: Pick<RegisteredClient, 'securityProfile'>,
  registered: ClientSigningAlg | null | undefined,
): readonly string[] {
  const algs = acceptedClientAlgs(registered);
  return isFapi2(client) ? algs.filter(isFapi2Alg) : algs;
}

/** The client metadata the profile constrains, by its RFC 7591 names. */
export interface Fapi2Metadata {
  readonly token_endpoint_auth_method: string;
  readonly token_endpoint_auth_signing_alg?: string | undefined;
  readonly request_object_signing_alg?: string | undefined;
  readonly id_token_signed_response_alg: string;
  readonly require_pkce: boolean;
  readonly response_types?: readonly string[] | undefined;
}

/**
 * Registration-time problems of a client that is to follow the profile, each as the metadata
 * field at fault and why: refused at registration (seed import, `idp clients add`) rather than
 * met at the first request.
 */
export function fapi2MetadataProblems(
  metadata: Fapi2Metadata,
): { field: keyof Fapi2Metadata; message: string }[] {
  const problems: { field: keyof Fapi2Metadata; message: string }[] = [];
  const algs = FAPI2_SIGNING_ALGS.join(', ');
  if (metadata.token_endpoint_auth_method !== 'private_key_jwt') {
    problems.push({
      field: 'token_endpoint_auth_method',
      message:
        'must be private_key_jwt for security_profile fapi2 (FAPI 2.0 SP 5.3.2.1: confidential clients, no shared secrets)',
    });
  }
  for (const field of [
    'token_endpoint_auth_signing_alg',
    'request_object_signing_alg',
    'id_token_signed_response_alg',
  ] as const) {
    const alg = metadata[field];
    if (alg !== undefined && !isFapi2Alg(alg)) {
      problems.push({
        field,
        message: `must be one of ${algs} for security_profile fapi2 (FAPI 2.0 SP 5.4.1; ${alg} is not allowed)${
          field === 'id_token_signed_response_alg' ? '; it defaults to RS256, so set it' : ''
        }`,
      });
    }
  }
  if (!metadata.require_pkce) {
    problems.push({
      field: 'require_pkce',
      message: 'must be true for security_profile fapi2 (FAPI 2.0 SP 5.3.2.2: PKCE with S256)',
    });
  }
  return problems;
}

/**
 * Why an authorization request of a FAPI 2.0 client breaks the profile, or undefined: it did not
 * come through `/par` (5.3.2.2-1; checked at /authorize only), or carries no S256 PKCE challenge
 * (5.3.2.2-3).
 */
export function fapi2AuthorizationRequestProblem(
  client: Pick<RegisteredClient, 'securityProfile' | 'clientId'>,
  request: {
    readonly atAuthorizeEndpoint: boolean;
    readonly pushed: boolean;
    readonly codeChallenge: string | undefined;
  },
): { description: string; refusal: ProfileRefusal } | undefined {
  if (!isFapi2(client)) return undefined;
  if (request.atAuthorizeEndpoint && !request.pushed)
    return {
      description:
        'this client follows the FAPI 2.0 Security Profile: push the authorization request to the pushed authorization request endpoint first (FAPI 2.0 SP 5.3.2.2, RFC 9126)',
      refusal: fapi2Refusal(client, 'par_required'),
    };
  if (request.codeChallenge === undefined)
    return {
      description:
        'this client follows the FAPI 2.0 Security Profile: code_challenge with S256 is required (FAPI 2.0 SP 5.3.2.2)',
      refusal: fapi2Refusal(client, 'pkce_required'),
    };
  return undefined;
}

/**
 * Refuses a client authentication the profile does not allow: anything but `private_key_jwt`
 * (5.3.2.1-4). Matters for clients registered before the server's default became `fapi2`.
 */
export function fapi2ClientAuthenticationProblem(
  client: Pick<RegisteredClient, 'securityProfile'>,
  method: string,
): string | undefined {
  if (!isFapi2(client) || method === 'private_key_jwt') return undefined;
  return `this client follows the FAPI 2.0 Security Profile, which allows only private_key_jwt client authentication (it used ${method})`;
}

/**
 * Refuses a token request of a FAPI 2.0 client without a DPoP proof: its access tokens must be
 * sender-constrained (FAPI 2.0 SP 5.3.2.1-5; RFC 9449 5.2 as for `dpop_bound_access_tokens`).
 */
export function fapi2TokenRequestProblem(
  client: Pick<RegisteredClient, 'securityProfile' | 'clientId'>,
  binding: { readonly jkt?: string | undefined },
): OAuthError | undefined {
  if (!isFapi2(client) || binding.jkt !== undefined) return undefined;
  return new OAuthError(
    'invalid_dpop_proof',
    'this client follows the FAPI 2.0 Security Profile: every token request needs a DPoP proof (sender-constrained access tokens, FAPI 2.0 SP 5.3.2.1)',
    { profileRefusal: fapi2Refusal(client, 'sender_constrained_tokens') },
  );
}

/**
 * Whether a refresh of `client` returns a new refresh token and retires the old one. FAPI 2.0 SP
 * 5.3.2.1-10: no rotation for FAPI clients (their refresh tokens are bound to their key-based
 * client authentication; rotation only strands clients that lose a response); others rotate.
 */
export function rotatesRefreshTokens(client: Pick<RegisteredClient, 'securityProfile'>): boolean {
  return !isFapi2(client);
}

/**
 * Why the ID tokens of `client` cannot be signed, or undefined: its registered
 * `id_token_signed_response_alg` has no active key on this server (an algorithm taken out of
 * IDP_SIGNING_ALGORITHMS after the client registered), or it is RS256 for a FAPI 2.0 client.
 * Answered as `unauthorized_client`: the request is fine, the client's registration is not.
 */
export function idTokenAlgProblem(
  client: Pick<RegisteredClient, 'securityProfile' | 'idTokenSignedResponseAlg' | 'clientId'>,
  signable: readonly string[],
): OAuthError | undefined {
  const alg = client.idTokenSignedResponseAlg;
  if (isFapi2(client) && !isFapi2Alg(alg)) {
    return new OAuthError(
      'unauthorized_client',
      `this client follows the FAPI 2.0 Security Profile but its id_token_signed_response_alg is ${alg}; register ${FAPI2_SIGNING_ALGS.join(', ')} (FAPI 2.0 SP 5.4.1)`,
      { profileRefusal: fapi2Refusal(client, 'signing_algorithm') },
    );
  }
  if (!signable.includes(alg)) {
    return new OAuthError(
      'unauthorized_client',
      `this server does not sign ID tokens with ${alg}, the id_token_signed_response_alg registered for this client; it signs with ${signable.join(', ')}`,
    );
  }
  return undefined;
}
