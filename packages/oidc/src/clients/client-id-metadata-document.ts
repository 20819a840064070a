import { clientMetadataSchema } from './client-metadata.js';
import type { ClientAuthMethod, GrantType, RegisteredClient } from './registered-client.js';
import { ADMIN_SCOPE, parseScope } from '../scopes/scopes.js';

/**
 * OAuth Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document-02): a client
 * names itself by an https URL, and the metadata a registration would hold is fetched from it.
 * This module decides what such a client_id and document may be; fetching is the server's.
 */

/** Longest Client Identifier URL accepted (the draft sets none; this bounds what is fetched and stored). */
export const MAX_CLIENT_ID_URL_LENGTH = 1024;

/** Draft 8.7: "The recommended maximum size to read is 5 kilobytes." */
export const MAX_CLIENT_ID_METADATA_DOCUMENT_BYTES = 5 * 1024;

/**
 * Whether a client_id has the shape of a Client Identifier URL, so that it is resolved by its
 * document and never looked up among registered clients (whose ids cannot contain `:`).
 */
export function isClientIdUrl(clientId: string): boolean {
  return clientId.startsWith('https://') || clientId.startsWith('http://');
}

/**
 * Draft 3: a Client Identifier URL MUST use https, MUST NOT contain userinfo or a fragment,
 * MUST contain a path, MUST NOT contain `.` or `..` segments. Plain http is accepted only for
 * hosts in `plainHttpHosts` (the operator's IDP_OUTBOUND_ALLOWED_HOSTS, for tests and intranets).
 * Stricter than the draft where that costs nothing: the URL must be in its canonical form (as
 * WHATWG URL serialises it), so that the string compared with the document's `client_id` is the
 * one fetched, and the path must not be `/` alone (NOT RECOMMENDED by the draft: the site's home).
 * Returns the problem in words, or undefined.
 */
export function clientIdUrlProblem(
  clientId: string,
  plainHttpHosts: readonly string[] = [],
): string | undefined {
  if (clientId.length > MAX_CLIENT_ID_URL_LENGTH)
    return `a client_id URL must be at most ${MAX_CLIENT_ID_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return 'a client_id URL must be an absolute URL';
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && plainHttpHosts.includes(host)))
    return 'a client_id URL must use https';
  if (url.username !== '' || url.password !== '')
    return 'a client_id URL must not contain a user name or password';
  if (clientId.includes('#')) return 'a client_id URL must not contain a fragment';
  if (/(^|\/)(\.|%2e){1,2}(\/|$|\?)/i.test(clientId.slice(url.origin.length)))
    return 'a client_id URL must not contain . or .. path segments';
  if (url.pathname === '/') return 'a client_id URL must have a path (not just /)';
  if (url.href !== clientId)
    return `a client_id URL must be written in its canonical form (${url.href})`;
  return undefined;
}

/** What a metadata document client may use: interactive logins and their refresh. */
const DOCUMENT_GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'refresh_token'];

/** Our own members (not RFC 7591): trust the operator grants, never a document. */
const OPERATOR_ONLY_MEMBERS = ['first_party', 'require_pkce', 'resources'] as const;

export type MetadataDocumentResult =
  { readonly client: RegisteredClient } | { readonly problem: string };

/**
 * Validates a fetched Client ID Metadata Document and turns it into the client the protocol
 * core works with. The document is validated like a seed-file client (`clientMetadataSchema`),
 * and further:
 * - draft 4: its `client_id` MUST equal the URL it was fetched from (simple string comparison);
 * - draft 4.1: no `client_secret` / `client_secret_expires_at`, and no shared-secret
 *   `token_endpoint_auth_method`: the client is public (`none`, the default here) or
 *   `private_key_jwt` with `jwks` or `jwks_uri`;
 * - `redirect_uris` is required (draft 4.2 registers them from the document);
 * - grant types only `authorization_code` and `refresh_token`: a client nobody registered gets
 *   no token without a person's consent;
 * - the ID token algorithm must be one this server signs with (`signingAlgorithms`).
 * Our own members `first_party`, `require_pkce` and `resources` are not taken from documents:
 * such a client is never first-party (consent is always asked), always uses PKCE, and may name
 * resources under `metadataDocumentResourceProblem`'s rule.
 */
export function clientFromMetadataDocument(
  clientId: string,
  document: unknown,
  signingAlgorithms: readonly string[],
): MetadataDocumentResult {
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    return { problem: 'the client metadata document is not a JSON object' };
  const members = document as Record<string, unknown>;
  if (members.client_id !== clientId)
    return {
      problem: `the client metadata document's client_id must equal its URL ${clientId} (got ${JSON.stringify(members.client_id)})`,
    };
  for (const secret of ['client_secret', 'client_secret_expires_at'])
    if (secret in members)
      return { problem: `the client metadata document must not contain ${secret}` };
  const method = members.token_endpoint_auth_method ?? 'none';
  if (method !== 'none' && method !== 'private_key_jwt')
    return {
      problem: `token_endpoint_auth_method must be none or private_key_jwt in a client metadata document (got ${JSON.stringify(method)})`,
    };
  if (!Array.isArray(members.redirect_uris) || members.redirect_uris.length === 0)
    return { problem: 'redirect_uris: required in a client metadata document' };
  const grants = members.grant_types;
  if (
    Array.isArray(grants) &&
    grants.some((grant) => !DOCUMENT_GRANT_TYPES.includes(grant as GrantType))
  )
    return {
      problem: `grant_types: only ${DOCUMENT_GRANT_TYPES.join(' and ')} are allowed for a client metadata document`,
    };

  const input: Record<string, unknown> = { ...members, token_endpoint_auth_method: method };
  for (const member of OPERATOR_ONLY_MEMBERS) delete input[member];
  // The URL is not a registrable client_id; the schema checks everything else.
  input.client_id = 'metadata-document';
  const parsed = clientMetadataSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { problem: `${issue.path.join('.') || 'document'}: ${issue.message}` };
  }
  const metadata = parsed.data;
  if (parseScope(metadata.scope).includes(ADMIN_SCOPE))
    return { problem: `scope: ${ADMIN_SCOPE} is granted by an operator only` };
  for (const member of ['id_token_signed_response_alg', 'userinfo_signed_response_alg'] as const) {
    const alg = metadata[member];
    if (alg !== undefined && !signingAlgorithms.includes(alg))
      return { problem: `${member}: this server does not sign with ${alg}` };
  }
  return {
    client: {
      clientId,
      clientName: metadata.client_name ?? new URL(clientId).host,
      secretHash: null,
      tokenEndpointAuthMethod: metadata.token_endpoint_auth_method as ClientAuthMethod,
      redirectUris: metadata.redirect_uris,
      postLogoutRedirectUris: metadata.post_logout_redirect_uris,
      grantTypes: metadata.grant_types,
      responseTypes: metadata.response_types,
      scopes: metadata.scope.split(' '),
      resources: [],
      firstParty: false,
      requirePkce: true,
      idTokenSignedResponseAlg: metadata.id_token_signed_response_alg,
      userinfoSignedResponseAlg: metadata.userinfo_signed_response_alg ?? null,
      jwks: metadata.jwks ?? null,
      jwksUri: metadata.jwks_uri ?? null,
      tokenEndpointAuthSigningAlg: metadata.token_endpoint_auth_signing_alg ?? null,
      requestObjectSigningAlg: metadata.request_object_signing_alg ?? null,
      requirePushedAuthorizationRequests: metadata.require_pushed_authorization_requests,
      dpopBoundAccessTokens: metadata.dpop_bound_access_tokens,
      metadataDocument: true,
    },
  };
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The audience rule for clients known by a metadata document (RFC 8707 `resource`). Nobody
 * registered resources for them, and an MCP client names the MCP server it is about to call, so
 * a resource is accepted when it is an absolute https URL, or http on a loopback host (a server
 * on the person's own machine), without fragment or credentials. The access token is then
 * audience-restricted to exactly that resource (plus the issuer for `openid`), the person sees
 * the resource's host on the consent page, which is always shown for these clients, and the
 * token's `client_id` is the URL, so a resource server can tell such clients apart.
 * Returns the problem in words, or undefined.
 */
export function metadataDocumentResourceProblem(resource: string): string | undefined {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return 'resource must be an absolute URL';
  }
  if (resource.includes('#')) return 'resource must not contain a fragment (RFC 8707 2)';
  if (url.username !== '' || url.password !== '')
    return 'resource must not contain a user name or password';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname)) return undefined;
  return 'resource must be an https URL (http only on a loopback host) for a client nobody registered resources for';
}
