import { randomBytes } from 'node:crypto';
import { clientMetadataSchema, type ClientMetadata } from '../clients/client-metadata.js';
import { responseTypesProblem } from '../clients/response-types.js';
import { OAuthError } from '../errors/oauth-error.js';
import { ADMIN_SCOPE, parseScope } from '../scopes/scopes.js';

/**
 * Members of a registration response (RFC 7591 3.2.1, RFC 7592 3) that a client must not send
 * in an update (RFC 7592 2.2): they are the server's to set.
 */
const SERVER_MEMBERS = [
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
] as const;

/**
 * Members a dynamically registered client may not choose: our own `first_party` (consent is
 * always asked of a client that registered itself); `client_id` and `client_secret` are issued
 * by the server (RFC 7591 3.2.1).
 */
const NOT_SELF_ASSERTED = ['first_party'] as const;

/**
 * Members of OIDC Registration 2 that this server does not implement and that a client cannot
 * do without: one that asks for encrypted UserInfo responses would fail to read plain ones, so
 * it is told at registration rather than having the member ignored (RFC 7591 3.2.2).
 */
const UNSUPPORTED_MEMBERS = [
  'userinfo_encrypted_response_alg',
  'userinfo_encrypted_response_enc',
] as const;

/** A fresh client_id for a dynamically registered client: 128 random bits. */
export function generateRegisteredClientId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * An RFC 7591 registration request (or RFC 7592 2.2 update) read as client metadata for the
 * client `clientId`: the same validation as the seed file and `clients add`, so a client
 * registered here is one an operator could have added. Refusals name the member at fault:
 * `invalid_redirect_uri` for `redirect_uris`, `invalid_client_metadata` otherwise (RFC 7591 3.2.2).
 * `update` refuses the members RFC 7592 2.2 forbids and a `client_id` other than `clientId`.
 * `response_types` follows `grant_types` when left out, and must agree with it when sent (RFC 7591
 * 2.1; stricter than for an operator's metadata, where a stray `code` is kept).
 */
export function registrationMetadata(
  body: unknown,
  clientId: string,
  options: { update?: boolean } = {},
): ClientMetadata {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthError(
      'invalid_client_metadata',
      'the request body must be a JSON object of client metadata (RFC 7591 3.1)',
    );
  }
  const request = { ...(body as Record<string, unknown>) };
  if (options.update) {
    // RFC 7592 2.2: the client_id MUST match the one the request is for.
    if (request.client_id !== clientId) {
      throw new OAuthError(
        'invalid_request',
        'client_id: must be present and equal to the client_id of the registration being updated (RFC 7592 2.2)',
      );
    }
    const forbidden = SERVER_MEMBERS.find((member) => member in request);
    if (forbidden) {
      throw new OAuthError(
        'invalid_request',
        `${forbidden}: must not be sent in an update (RFC 7592 2.2)`,
      );
    }
  }
  for (const member of NOT_SELF_ASSERTED) {
    // `false` is what a read returns, so a client may send back the document it was given.
    if (member in request && request[member] !== false) {
      throw new OAuthError(
        'invalid_client_metadata',
        `${member}: cannot be true for a dynamically registered client`,
      );
    }
  }
  const unsupported = UNSUPPORTED_MEMBERS.find((member) => request[member] !== undefined);
  if (unsupported) {
    throw new OAuthError(
      'invalid_client_metadata',
      `${unsupported}: encrypted UserInfo responses are not supported; leave it out (userinfo_signed_response_alg alone gives signed ones)`,
    );
  }
  // The secret is the server's to issue; an update's is checked by the caller (RFC 7592 2.2).
  delete request.client_secret;
  const parsed = clientMetadataSchema.safeParse({ ...request, client_id: clientId });
  if (parsed.success) {
    const metadata = withinScope(parsed.data);
    const problem = responseTypesProblem(metadata.response_types, metadata.grant_types);
    if (problem) throw new OAuthError('invalid_client_metadata', `response_types: ${problem}`);
    return metadata;
  }
  const issues = parsed.error.issues;
  // A URI that is wrong (not a missing list) is invalid_redirect_uri.
  const redirect = issues.find(
    (issue) => issue.path[0] === 'redirect_uris' && typeof issue.path[1] === 'number',
  );
  const first = redirect ?? issues[0];
  const describe = (issue: (typeof issues)[number]) =>
    `${memberPath(issue.path)}: ${issue.message}`;
  throw new OAuthError(
    redirect ? 'invalid_redirect_uri' : 'invalid_client_metadata',
    first ? describe(first) : 'the client metadata is invalid',
    { detail: issues.map(describe).join('; ') },
  );
}

/** The metadata, unless it asks for the admin scope, which only an operator grants. */
function withinScope(metadata: ClientMetadata): ClientMetadata {
  if (parseScope(metadata.scope).includes(ADMIN_SCOPE))
    throw new OAuthError(
      'invalid_client_metadata',
      `scope: ${ADMIN_SCOPE} is granted by an operator only, never to a client that registers itself`,
    );
  return metadata;
}

/** A zod issue path as a JSON path: `redirect_uris[0]`, `jwks.keys[1].kid`. */
function memberPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
