import { ACR_VALUES_SUPPORTED } from '../authorize/authentication-level.js';
import { z } from 'zod';
import { fapi2MetadataProblems, SECURITY_PROFILES } from '../profiles/fapi2.js';
import { JWS_SIGNING_ALGORITHMS } from '../tokens/signing-algorithms.js';
import { redirectUriProblem } from './redirect-uri.js';
import { CLIENT_SIGNING_ALGS } from './registered-client.js';
import { responseTypesFor, responseTypesProblem } from './response-types.js';

const redirectUri = z.string().superRefine((uri, ctx) => {
  const problem = redirectUriProblem(uri);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 3.3 scope-token

/**
 * JWK members that carry private or symmetric key material (RFC 7518 6.2.2, 6.3.2, 6.4.1,
 * RFC 8037 2): a client registers its public keys only.
 */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

const publicJwk = z
  .looseObject({
    kty: z.enum(['RSA', 'EC', 'OKP'], {
      message: 'must be RSA, EC or OKP (a public key; symmetric "oct" keys are refused)',
    }),
    kid: z.string().min(1).optional(),
    use: z
      .literal('sig', { message: 'must be "sig" (or absent): client keys verify signatures' })
      .optional(),
    alg: z.string().optional(),
  })
  .superRefine((jwk, ctx) => {
    for (const member of PRIVATE_JWK_MEMBERS) {
      if (member in jwk)
        ctx.addIssue({
          code: 'custom',
          path: [member],
          message: 'is private key material: register public keys only',
        });
    }
  });

/** RFC 7517 5: `{ "keys": [...] }`, kids unique so that a `kid` header names one key. */
const clientJwks = z
  .object({
    keys: z
      .array(publicJwk)
      .min(1, 'must hold at least one key')
      .max(20, 'must hold at most 20 keys'),
  })
  .superRefine((jwks, ctx) => {
    const seen = new Set<string>();
    jwks.keys.forEach((key, index) => {
      if (key.kid === undefined) return;
      if (seen.has(key.kid))
        ctx.addIssue({
          code: 'custom',
          path: ['keys', index, 'kid'],
          message: 'must be unique within the set',
        });
      seen.add(key.kid);
    });
  });

const jwksUri = z.string().superRefine((uri, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    // Reported below.
  }
  if (
    !url ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== ''
  ) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an absolute https URL without credentials or fragment',
    });
  }
});

/**
 * Back- and Front-Channel Logout 1.0 (2.2): an absolute http(s) URL without fragment (and
 * without credentials, which would leak into logs). https is enforced where the server calls
 * it: the outbound module admits plain http only for hosts in IDP_OUTBOUND_ALLOWED_HOSTS, and
 * callers that know the configuration refuse it up front (`logoutUriProblem`).
 */
const logoutUri = z.string().superRefine((uri, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    // Reported below.
  }
  if (
    !url ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.hash !== '' ||
    uri.includes('#') ||
    url.username !== '' ||
    url.password !== ''
  ) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an absolute https URL without credentials or fragment',
    });
  }
});

/**
 * Why a logout URI that passed the schema cannot be used by this server: plain http to a host
 * the operator did not list in IDP_OUTBOUND_ALLOWED_HOSTS. Undefined when it can.
 */
export function logoutUriProblem(uri: string, allowedHosts: readonly string[]): string | undefined {
  const url = new URL(uri);
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (url.protocol === 'https:' || allowedHosts.includes(host)) return undefined;
  return `must be https (plain http only for hosts in IDP_OUTBOUND_ALLOWED_HOSTS, and ${host} is not one)`;
}

const signingAlg = z.enum(CLIENT_SIGNING_ALGS, {
  message: `must be one of ${CLIENT_SIGNING_ALGS.join(', ')}`,
});

/** Whether a client registered for `method` holds a client secret (the two secret methods do). */
export function usesClientSecret(method: string): boolean {
  return method === 'client_secret_basic' || method === 'client_secret_post';
}

/** Minimum length of a client secret supplied by an operator (generated ones are 256-bit). */
export const MIN_CLIENT_SECRET_LENGTH = 32;

/**
 * The members of client metadata one by one, without the rules that relate them and with
 * `response_types` still optional (`clientMetadataSchema` derives it): for listing the known
 * names and describing documents.
 */
export const clientMetadataMembers = z.object({
  client_id: z
    .string()
    .regex(/^[A-Za-z0-9._~-]{1,128}$/, 'must be 1-128 characters of letters, digits and . _ ~ -'),
  client_secret: z
    .string()
    .min(
      MIN_CLIENT_SECRET_LENGTH,
      `must be at least ${MIN_CLIENT_SECRET_LENGTH} characters (or leave it out to have one generated)`,
    )
    .optional(),
  client_name: z.string().min(1).max(200).optional(),
  redirect_uris: z.array(redirectUri).default([]),
  post_logout_redirect_uris: z.array(redirectUri).default([]),
  grant_types: z
    .array(
      z.enum([
        'authorization_code',
        'refresh_token',
        'client_credentials',
        'urn:ietf:params:oauth:grant-type:device_code',
        'urn:ietf:params:oauth:grant-type:token-exchange',
      ]),
    )
    .min(1)
    .default(['authorization_code']),
  /** Left out, it follows grant_types (`responseTypesFor`); given, it must agree with them. */
  response_types: z.array(z.literal('code')).optional(),
  token_endpoint_auth_method: z
    .enum([
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
      'client_secret_jwt',
      'none',
    ])
    .default('client_secret_basic'),
  jwks: clientJwks.optional(),
  jwks_uri: jwksUri.optional(),
  token_endpoint_auth_signing_alg: signingAlg.optional(),
  request_object_signing_alg: signingAlg.optional(),
  scope: z
    .string()
    .default('openid profile email')
    .refine(
      (s) => s.split(' ').every((t) => scopeToken.test(t)),
      'must be scope tokens separated by single spaces',
    ),
  resources: z.array(z.url({ message: 'must be an absolute URI' })).default([]),
  first_party: z.boolean().default(false),
  /** Our own (DESIGN.md): false lets a confidential client leave PKCE out if it sends a nonce. */
  require_pkce: z.boolean().default(true),
  /**
   * OIDC Registration 2: the ID token's JWS algorithm, RS256 when omitted. Whether this server
   * keeps a key for it is its configuration: callers check that (`unsignableIdTokenAlg`).
   */
  id_token_signed_response_alg: z
    .enum(JWS_SIGNING_ALGORITHMS, {
      error: `must be one of ${JWS_SIGNING_ALGORITHMS.join(', ')}`,
    })
    .default('RS256'),
  /**
   * OIDC Registration 2: UserInfo answers as a JWT signed with this algorithm (OIDC Core 5.3.2);
   * absent, as plain JSON. Like the ID token's, callers check the server keeps a key for it.
   */
  userinfo_signed_response_alg: z
    .enum(JWS_SIGNING_ALGORITHMS, {
      error: `must be one of ${JWS_SIGNING_ALGORITHMS.join(', ')}`,
    })
    .optional(),
  /** RFC 9126 5: authorization requests only through the pushed authorization request endpoint. */
  require_pushed_authorization_requests: z.boolean().default(false),
  /** RFC 9449 5.2: access tokens always DPoP-bound. */
  dpop_bound_access_tokens: z.boolean().default(false),
  /**
   * Our own (DESIGN.md): `fapi2` applies the FAPI 2.0 Security Profile to this client, `none`
   * keeps it out even when IDP_SECURITY_PROFILE is `fapi2`; absent follows that setting.
   */
  security_profile: z
    .enum(SECURITY_PROFILES, { error: `must be one of ${SECURITY_PROFILES.join(', ')}` })
    .optional(),
  /** Back-Channel Logout 1.0 2.2: where logout tokens are POSTed when a session ends. */
  backchannel_logout_uri: logoutUri.optional(),
  /** Back-Channel Logout 1.0 2.2: the logout token must carry `sid`. */
  backchannel_logout_session_required: z.boolean().default(false),
  /** Front-Channel Logout 1.0 2: the page the logout page loads in an iframe. */
  frontchannel_logout_uri: logoutUri.optional(),
  /** Front-Channel Logout 1.0 2: `iss` and `sid` go on the frontchannel_logout_uri's query. */
  frontchannel_logout_session_required: z.boolean().default(false),
  /**
   * OIDC Registration 2: the acr values asked for when a request names none. Only values this
   * server can reach (acr_values_supported), so that a typing mistake is caught here.
   */
  default_acr_values: z
    .array(
      z.enum(ACR_VALUES_SUPPORTED as [string, ...string[]], {
        error: `must be among acr_values_supported: ${ACR_VALUES_SUPPORTED.join(', ')}`,
      }),
    )
    .max(ACR_VALUES_SUPPORTED.length)
    .optional(),
  /** Our own (DESIGN.md "require second factor"): every sign-in needs a second factor. */
  require_mfa: z.boolean().default(false),
});

/**
 * Client registration metadata (RFC 7591 2, with OIDC Registration names), as accepted from seed
 * files, the CLI, the admin API and dynamic registration. Unknown members are ignored by the
 * schema (RFC 7591 2 asks servers to ignore what they do not understand); callers may warn about
 * them.
 */
export const clientMetadataSchema = clientMetadataMembers
  .superRefine((client, ctx) => {
    // RFC 7591 2.1 relates response_types to grant_types; left out, they follow the grants
    // (below). Given, an authorization_code client without `code` could never sign anyone in,
    // so that is refused. A `code` beside other grants only is harmless (/authorize checks the
    // grant first) and operators' seed templates carry it, so it is kept as given here;
    // dynamic registration refuses it too (registrationMetadata).
    if (client.response_types !== undefined && client.grant_types.includes('authorization_code')) {
      const problem = responseTypesProblem(client.response_types, client.grant_types);
      if (problem) ctx.addIssue({ code: 'custom', path: ['response_types'], message: problem });
    }
    if (client.security_profile === 'fapi2') {
      for (const { field, message } of fapi2MetadataProblems(client))
        ctx.addIssue({ code: 'custom', path: [field], message });
    }
    // client_secret_jwt needs the plain secret on the server to check the HMAC, and this server
    // keeps only a hash of client secrets (DESIGN.md): refused rather than stored reversibly.
    if (client.token_endpoint_auth_method === 'client_secret_jwt') {
      ctx.addIssue({
        code: 'custom',
        path: ['token_endpoint_auth_method'],
        message:
          'client_secret_jwt is not supported: the server stores client secrets only as hashes, so it cannot check an HMAC made with one; use private_key_jwt',
      });
    }
    // RFC 7591 2: jwks and jwks_uri MUST NOT both be present.
    if (client.jwks !== undefined && client.jwks_uri !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['jwks_uri'],
        message: 'must not be given together with jwks (RFC 7591 2)',
      });
    }
    const hasKeys = client.jwks !== undefined || client.jwks_uri !== undefined;
    if (client.token_endpoint_auth_method === 'private_key_jwt') {
      if (!hasKeys)
        ctx.addIssue({
          code: 'custom',
          path: ['jwks'],
          message: 'jwks or jwks_uri is required for private_key_jwt',
        });
      if (client.client_secret !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['client_secret'],
          message: 'must be absent for private_key_jwt (the client authenticates with its key)',
        });
      }
    } else if (client.token_endpoint_auth_signing_alg !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['token_endpoint_auth_signing_alg'],
        message: 'applies only to token_endpoint_auth_method private_key_jwt',
      });
    }
    if (client.request_object_signing_alg !== undefined && !hasKeys) {
      ctx.addIssue({
        code: 'custom',
        path: ['jwks'],
        message: 'jwks or jwks_uri is required to verify signed request objects',
      });
    }
    if (client.grant_types.includes('authorization_code') && client.redirect_uris.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['redirect_uris'],
        message: 'must list at least one URI for the authorization_code grant',
      });
    }
    if (client.token_endpoint_auth_method === 'none') {
      if (client.client_secret !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['client_secret'],
          message: 'must be absent for a public client (token_endpoint_auth_method "none")',
        });
      }
      if (client.grant_types.includes('urn:ietf:params:oauth:grant-type:token-exchange')) {
        ctx.addIssue({
          code: 'custom',
          path: ['grant_types'],
          message:
            'token exchange needs a confidential client (a public client cannot authenticate)',
        });
      }
      if (client.grant_types.includes('client_credentials')) {
        ctx.addIssue({
          code: 'custom',
          path: ['grant_types'],
          message:
            'client_credentials needs a confidential client (a public client cannot authenticate)',
        });
      }
      // RFC 9700 2.1.1: PKCE is what protects a public client's code; only a client that
      // authenticates (and sends a nonce, OAuth 2.1 7.5.1) may go without it.
      if (!client.require_pkce) {
        ctx.addIssue({
          code: 'custom',
          path: ['require_pkce'],
          message: 'may be false only for a confidential client (a public client must use PKCE)',
        });
      }
    }
  })
  .transform((client) => ({
    ...client,
    response_types: client.response_types ?? responseTypesFor(client.grant_types),
  }));

export type ClientMetadata = z.output<typeof clientMetadataSchema>;

/** Members of a client document the server recognises; others are reported as ignored. */
export const knownClientMetadata: ReadonlySet<string> = new Set(
  Object.keys(clientMetadataMembers.shape),
);
