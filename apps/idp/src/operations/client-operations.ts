import type { Config } from '@idp/config';
import {
  clientMetadataSchema,
  fapi2MetadataProblems,
  generateClientSecret,
  hashClientSecret,
  knownClientMetadata,
  logoutUriProblem,
  reservedResourceProblem,
  usesClientSecret,
  type ClientAuthMethod,
  type ClientMetadata,
  type ClientStore,
  type Clock,
  type RegisteredClient,
} from '@idp/oidc';
import { clientDocument } from '../cli/client-document.js';
import { jsonPath } from '../cli/seed-schema.js';
import { fromStoreError, OperationError, type Problem } from './operation-error.js';
import { refuseReservedClient } from './reserved-clients.js';

/** What of this server's configuration a client's metadata must fit. */
export type ServerFacts = Pick<Config, 'issuer' | 'signingAlgorithms' | 'outboundAllowedHosts'> &
  Partial<Pick<Config, 'securityProfile'>>;

/** What the client operations need: the store, the time, and the server's configuration. */
export interface ClientOperationDeps {
  readonly clients: ClientStore;
  readonly clock: Clock;
  readonly config: ServerFacts;
}

/** Turns validated RFC 7591 metadata into the stored client, with the secret's hash. */
export function registeredClient(
  metadata: ClientMetadata,
  secret: string | null,
): RegisteredClient {
  return {
    clientId: metadata.client_id,
    clientName: metadata.client_name ?? metadata.client_id,
    secretHash: secret === null ? null : hashClientSecret(secret),
    // The schema refuses client_secret_jwt, so what passed it is a method we implement.
    tokenEndpointAuthMethod: metadata.token_endpoint_auth_method as ClientAuthMethod,
    redirectUris: metadata.redirect_uris,
    postLogoutRedirectUris: metadata.post_logout_redirect_uris,
    grantTypes: metadata.grant_types,
    responseTypes: metadata.response_types,
    scopes: metadata.scope.split(' '),
    resources: metadata.resources,
    firstParty: metadata.first_party,
    requirePkce: metadata.require_pkce,
    idTokenSignedResponseAlg: metadata.id_token_signed_response_alg,
    jwks: metadata.jwks ?? null,
    jwksUri: metadata.jwks_uri ?? null,
    tokenEndpointAuthSigningAlg: metadata.token_endpoint_auth_signing_alg ?? null,
    securityProfile: metadata.security_profile ?? null,
    requestObjectSigningAlg: metadata.request_object_signing_alg ?? null,
    requirePushedAuthorizationRequests: metadata.require_pushed_authorization_requests,
    dpopBoundAccessTokens: metadata.dpop_bound_access_tokens,
    backchannelLogoutUri: metadata.backchannel_logout_uri ?? null,
    backchannelLogoutSessionRequired: metadata.backchannel_logout_session_required,
    frontchannelLogoutUri: metadata.frontchannel_logout_uri ?? null,
    frontchannelLogoutSessionRequired: metadata.frontchannel_logout_session_required,
    defaultAcrValues: metadata.default_acr_values ?? [],
    requireMfa: metadata.require_mfa,
    userinfoSignedResponseAlg: metadata.userinfo_signed_response_alg ?? null,
  };
}

/**
 * Problems with a client's metadata that depend on this server's configuration (the schema
 * cannot see it), under `path`: resources reserved under its issuer, an ID token or UserInfo
 * algorithm it keeps no key for, logout URIs over plain http to hosts not in
 * IDP_OUTBOUND_ALLOWED_HOSTS, and, under IDP_SECURITY_PROFILE=fapi2, what FAPI 2.0 asks of a
 * client without a profile of its own.
 */
export function serverDependentIssues(
  metadata: ClientMetadata,
  server: ServerFacts,
  path: readonly PropertyKey[] = [],
): Problem[] {
  const problems = metadata.resources.flatMap((resource, index) => {
    const problem = reservedResourceProblem(resource, server.issuer);
    return problem ? [{ path: jsonPath([...path, 'resources', index]), message: problem }] : [];
  });
  for (const member of ['backchannel_logout_uri', 'frontchannel_logout_uri'] as const) {
    const uri = metadata[member];
    // The browser, not this server, loads a front-channel page; https is still required of it
    // (Front-Channel Logout 1.0 2) unless the operator allowed the host for development.
    const problem =
      uri === undefined ? undefined : logoutUriProblem(uri, server.outboundAllowedHosts);
    if (problem) problems.push({ path: jsonPath([...path, member]), message: problem });
  }
  for (const member of ['id_token_signed_response_alg', 'userinfo_signed_response_alg'] as const) {
    const alg = metadata[member];
    if (alg === undefined || server.signingAlgorithms.includes(alg)) continue;
    problems.push({
      path: jsonPath([...path, member]),
      message:
        `this server has no ${alg} signing key; ` +
        `use one of ${server.signingAlgorithms.join(', ')}, or add ${alg} to IDP_SIGNING_ALGORITHMS`,
    });
  }
  // A client without a security_profile of its own follows IDP_SECURITY_PROFILE: with fapi2
  // there, it must fit the FAPI 2.0 Security Profile as if it had registered it.
  if (metadata.security_profile === undefined && server.securityProfile === 'fapi2') {
    for (const { field, message } of fapi2MetadataProblems(metadata))
      problems.push({
        path: jsonPath([...path, field]),
        message: `${message} (IDP_SECURITY_PROFILE is fapi2)`,
      });
  }
  return problems;
}

/** The same, as `path: reason` lines (the seed import's messages). */
export function serverDependentProblems(
  metadata: ClientMetadata,
  server: ServerFacts,
  path: readonly PropertyKey[] = [],
): string[] {
  return serverDependentIssues(metadata, server, path).map((p) => `${p.path}: ${p.message}`);
}

/**
 * Validates client metadata as the seed file does (RFC 7591 names, the same schema), plus what
 * depends on this server; unknown members are refused, so a typo never means "the default".
 */
export function validClientMetadata(
  input: Record<string, unknown>,
  server: ServerFacts,
): ClientMetadata {
  const unknown = Object.keys(input)
    .filter((key) => !knownClientMetadata.has(key))
    .map((key) => ({ path: jsonPath([key]), message: 'unknown client metadata member' }));
  const parsed = clientMetadataSchema.safeParse(input);
  if (!parsed.success || unknown.length > 0) {
    throw OperationError.invalid(
      [
        ...unknown,
        ...(parsed.success
          ? []
          : parsed.error.issues.map((i) => ({
              path: jsonPath(i.path) || '(body)',
              message: i.message,
            }))),
      ],
      'invalid_client_metadata',
    );
  }
  const problems = serverDependentIssues(parsed.data, server);
  if (problems.length > 0) throw OperationError.invalid(problems, 'invalid_client_metadata');
  return parsed.data;
}

/** A client and, when one was made for it, its new secret (shown once; only the hash is kept). */
export interface ClientWithSecret {
  readonly client: RegisteredClient;
  readonly secret: string | null;
}

/**
 * Registers a client from RFC 7591 metadata. A confidential client gets a generated secret
 * unless the metadata brings one (at least 32 characters, as in a seed file).
 */
export async function createClient(
  deps: ClientOperationDeps,
  input: Record<string, unknown>,
  actor: string,
): Promise<ClientWithSecret> {
  const metadata = validClientMetadata(input, deps.config);
  refuseReservedClient(metadata.client_id);
  const usesSecret = usesClientSecret(metadata.token_endpoint_auth_method);
  const generated = usesSecret && !metadata.client_secret ? generateClientSecret() : null;
  const secret = usesSecret ? (metadata.client_secret ?? generated) : null;
  const client = await deps.clients
    .create(registeredClient(metadata, secret), actor, deps.clock.now())
    .catch(fromStoreError);
  return { client, secret: generated };
}

/** The client, or not_found. */
export async function findClient(
  deps: Pick<ClientOperationDeps, 'clients'>,
  clientId: string,
): Promise<RegisteredClient> {
  const client = await deps.clients.findById(clientId);
  if (!client) throw new OperationError('not_found', `no client with client_id ${clientId}`);
  return client;
}

/**
 * Changes the given metadata members of a client in place (a JSON merge patch, RFC 7396: a
 * member given as null goes back to its default); its secret, consents and tokens stay. A client
 * that starts using a secret gets a new one (returned once).
 */
export async function updateClient(
  deps: ClientOperationDeps,
  clientId: string,
  given: Record<string, unknown>,
  actor: string,
): Promise<ClientWithSecret & { changed: string[] }> {
  const immutable = ['client_id', 'client_secret']
    .filter((key) => key in given)
    .map((key) => ({
      path: key,
      message:
        key === 'client_id'
          ? 'cannot be changed; register a new client instead'
          : 'cannot be set by an update; rotate the secret instead',
    }));
  if (immutable.length > 0) throw OperationError.invalid(immutable, 'invalid_client_metadata');
  refuseReservedClient(clientId);
  const existing = await findClient(deps, clientId);
  // Keys by value and by reference exclude each other (RFC 7591 2): giving one drops the other.
  const document: Record<string, unknown> = clientDocument(existing);
  if (given.jwks !== undefined) delete document.jwks_uri;
  if (given.jwks_uri !== undefined) delete document.jwks;
  // Leaving private_key_jwt drops its signing alg unless one is given (it would not apply).
  if (
    given.token_endpoint_auth_method !== undefined &&
    given.token_endpoint_auth_method !== 'private_key_jwt'
  ) {
    delete document.token_endpoint_auth_signing_alg;
  }
  // New grants without response types: they follow the grants (RFC 7591 2.1), as when created.
  if (given.grant_types !== undefined && given.response_types === undefined)
    delete document.response_types;
  for (const [key, value] of Object.entries(given)) {
    if (value === null) delete document[key];
    else document[key] = value;
  }
  const metadata = validClientMetadata(document, deps.config);
  // A client that keeps using a secret keeps it; one that starts using a secret needs one.
  let secret: string | null = null;
  const needsSecret = usesClientSecret(metadata.token_endpoint_auth_method);
  let secretHash = needsSecret ? existing.secretHash : null;
  if (needsSecret && secretHash === null) {
    secret = generateClientSecret();
    secretHash = hashClientSecret(secret);
  }
  const changed = Object.keys(given);
  const client = await deps.clients
    .update({ ...registeredClient(metadata, null), secretHash }, actor, changed, deps.clock.now())
    .catch(fromStoreError);
  return { client, secret, changed };
}

/** Replaces a confidential client's secret; the new one is returned once. */
export async function rotateClientSecret(
  deps: ClientOperationDeps,
  clientId: string,
  actor: string,
): Promise<string> {
  refuseReservedClient(clientId);
  const client = await findClient(deps, clientId);
  if (!usesClientSecret(client.tokenEndpointAuthMethod))
    throw new OperationError(
      'not_applicable',
      `client ${clientId} uses ${client.tokenEndpointAuthMethod}: it has no secret`,
    );
  const secret = generateClientSecret();
  await deps.clients
    .setSecretHash(clientId, hashClientSecret(secret), actor, deps.clock.now())
    .catch(fromStoreError);
  return secret;
}

/** Deletes a client with its consents and tokens. */
export async function removeClient(
  deps: ClientOperationDeps,
  clientId: string,
  actor: string,
): Promise<void> {
  refuseReservedClient(clientId);
  await deps.clients.remove(clientId, actor, deps.clock.now()).catch(fromStoreError);
}
