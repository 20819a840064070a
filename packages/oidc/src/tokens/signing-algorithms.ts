/**
 * JWS algorithms a client may ask its ID tokens to be signed with (OIDC Registration 2,
 * `id_token_signed_response_alg`), as JOSE spells them (RFC 7518 3.1, RFC 8037 3.1). Which of
 * them a server actually signs with is its configuration; the keys package keeps the keys.
 */
export const JWS_SIGNING_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

export type JwsSigningAlgorithm = (typeof JWS_SIGNING_ALGORITHMS)[number];

/** OIDC Registration 2: "The default, if omitted, is RS256." */
export const DEFAULT_ID_TOKEN_ALG: JwsSigningAlgorithm = 'RS256';
