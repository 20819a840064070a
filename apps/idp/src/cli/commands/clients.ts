import { readFile } from 'node:fs/promises';
import type { Config } from '@idp/config';
import { StoreError } from '@idp/db';
import {
  clientMetadataSchema,
  fapi2MetadataProblems,
  generateClientSecret,
  hashClientSecret,
  logoutUriProblem,
  reservedResourceProblem,
  usesClientSecret,
  type ClientAuthMethod,
  type ClientMetadata,
  type RegisteredClient,
} from '@idp/oidc';
import type { Command } from 'commander';
import { CliError, UsageError } from '../cli-error.js';
import { clientDocument } from '../client-document.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';
import { jsonPath } from '../seed-schema.js';
import { initialTokenCommand } from './initial-token.js';

const ACTOR = 'cli';

function rethrow(error: unknown): never {
  if (error instanceof StoreError) throw new CliError(error.message);
  throw error;
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
  };
}

/** Reads the JSON of --jwks: inline (`{"keys":[...]}`) or `@file.json`. */
async function readJwksOption(value: string): Promise<unknown> {
  const text = value.startsWith('@')
    ? await readFile(value.slice(1), 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new CliError(`--jwks: cannot read ${value.slice(1)}: ${error.code ?? error.message}`);
      })
    : value;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError('--jwks: must be a JWK Set as JSON ({"keys":[...]}) or @file.json');
  }
}

/** What of this server's configuration a client's metadata must fit. */
export type ServerFacts = Pick<Config, 'issuer' | 'signingAlgorithms' | 'outboundAllowedHosts'> &
  Partial<Pick<Config, 'securityProfile'>>;

/**
 * Problems with a client's metadata that depend on this server's configuration (the schema
 * cannot see it), as `path: reason` lines under `path`, e.g. `clients[0].resources[1]: ...`:
 * resources reserved under its issuer, an ID token algorithm it keeps no key for, and logout
 * URIs over plain http to hosts not in IDP_OUTBOUND_ALLOWED_HOSTS.
 */
export function serverDependentProblems(
  metadata: ClientMetadata,
  server: ServerFacts,
  path: readonly PropertyKey[] = [],
): string[] {
  const problems = metadata.resources.flatMap((resource, index) => {
    const problem = reservedResourceProblem(resource, server.issuer);
    return problem ? [`${jsonPath([...path, 'resources', index])}: ${problem}`] : [];
  });
  for (const member of ['backchannel_logout_uri', 'frontchannel_logout_uri'] as const) {
    const uri = metadata[member];
    // The browser, not this server, loads a front-channel page; https is still required of it
    // (Front-Channel Logout 1.0 2) unless the operator allowed the host for development.
    const problem =
      uri === undefined ? undefined : logoutUriProblem(uri, server.outboundAllowedHosts);
    if (problem) problems.push(`${jsonPath([...path, member])}: ${problem}`);
  }
  const alg = metadata.id_token_signed_response_alg;
  if (!server.signingAlgorithms.includes(alg)) {
    problems.push(
      `${jsonPath([...path, 'id_token_signed_response_alg'])}: this server has no ${alg} signing key; ` +
        `use one of ${server.signingAlgorithms.join(', ')}, or add ${alg} to IDP_SIGNING_ALGORITHMS`,
    );
  }
  // A client without a security_profile of its own follows IDP_SECURITY_PROFILE: with fapi2
  // there, it must fit the FAPI 2.0 Security Profile as if it had registered it.
  if (metadata.security_profile === undefined && server.securityProfile === 'fapi2') {
    for (const { field, message } of fapi2MetadataProblems(metadata))
      problems.push(`${jsonPath([...path, field])}: ${message} (IDP_SECURITY_PROFILE is fapi2)`);
  }
  return problems;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The metadata flags of `clients add` and `clients update`. */
interface MetadataOptions {
  name?: string;
  redirectUri?: string[];
  postLogoutRedirectUri?: string[];
  grantType?: string[];
  scope?: string;
  authMethod?: string;
  public?: boolean;
  firstParty?: boolean;
  /** --require-pkce / --no-require-pkce; undefined when neither is given. */
  requirePkce?: boolean;
  idTokenSignedResponseAlg?: string;
  requirePushedAuthorizationRequests?: boolean;
  dpopBoundAccessTokens?: boolean;
  backchannelLogoutUri?: string;
  backchannelLogoutSessionRequired?: boolean;
  frontchannelLogoutUri?: string;
  frontchannelLogoutSessionRequired?: boolean;
  resource?: string[];
  jwks?: string;
  jwksUri?: string;
  tokenEndpointAuthSigningAlg?: string;
  requestObjectSigningAlg?: string;
  securityProfile?: string;
}

/** Declares the metadata flags on a command, so `add` and `update` take the same ones. */
function withMetadataOptions(command: Command): Command {
  return (
    command
      .option('--name <name>', 'client_name shown on the consent page')
      .option('--redirect-uri <uri>', 'a redirect URI (repeat for more)', collect)
      .option(
        '--post-logout-redirect-uri <uri>',
        'a post-logout redirect URI (repeat for more)',
        collect,
      )
      .option(
        '--grant-type <type>',
        'authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:device_code or urn:ietf:params:oauth:grant-type:token-exchange (repeat for more)',
        collect,
      )
      .option('--scope <scopes>', 'space-separated scopes the client may request')
      .option(
        '--auth-method <method>',
        'client_secret_basic (default), client_secret_post, private_key_jwt or none',
      )
      .option('--public', 'a public client (no secret; token_endpoint_auth_method none; PKCE only)')
      .option('--first-party', 'trusted first-party app: no consent page')
      // Declared before its negation so that the default stays undefined: `update` must not reset it.
      .option('--require-pkce', 'PKCE required (the default)')
      .option(
        '--no-require-pkce',
        'a confidential client may leave PKCE out when it sends a nonce (require_pkce false)',
      )
      .option(
        '--resource <uri>',
        'an RFC 8707 resource (access token audience) the client may ask for',
        collect,
      )
      .option(
        '--id-token-signed-response-alg <alg>',
        'ID token algorithm: RS256 (default), PS256, ES256 or EdDSA, one of IDP_SIGNING_ALGORITHMS',
      )
      .option(
        '--jwks <json>',
        "the client's public keys (jwks) as a JWK Set, inline JSON or @file.json",
      )
      .option('--jwks-uri <url>', 'where the client publishes its public keys (jwks_uri)')
      .option(
        '--token-endpoint-auth-signing-alg <alg>',
        'the one alg its private_key_jwt assertions may use: RS256, PS256, ES256 or EdDSA',
      )
      .option(
        '--request-object-signing-alg <alg>',
        'the one alg its request objects may use: RS256, PS256, ES256 or EdDSA',
      )
      .option(
        '--require-pushed-authorization-requests',
        'authorization requests only through /par (RFC 9126)',
      )
      .option(
        '--no-require-pushed-authorization-requests',
        'plain authorization requests accepted too (the default)',
      )
      .option(
        '--dpop-bound-access-tokens',
        'access tokens always DPoP-bound: token requests need a DPoP proof (RFC 9449)',
      )
      .option('--no-dpop-bound-access-tokens', 'DPoP optional (the default)')
      .option(
        '--security-profile <profile>',
        'fapi2: the FAPI 2.0 Security Profile (PAR, private_key_jwt, DPoP, PS256/ES256/EdDSA); none: never; default: IDP_SECURITY_PROFILE',
      )
      .option(
        '--backchannel-logout-uri <url>',
        'where logout tokens are POSTed when a session ends (Back-Channel Logout; https)',
      )
      .option(
        '--backchannel-logout-session-required',
        'logout tokens must carry sid (they always do here)',
      )
      .option('--no-backchannel-logout-session-required', 'sid not required (the default)')
      .option(
        '--frontchannel-logout-uri <url>',
        'a page the logout page loads in an iframe, with iss and sid (Front-Channel Logout; https)',
      )
      .option('--frontchannel-logout-session-required', 'iss and sid on that page (always sent)')
      .option('--no-frontchannel-logout-session-required', 'not required (the default)')
  );
}

/** The RFC 7591 members the flags set; members of flags not given are absent. */
async function metadataFromOptions(options: MetadataOptions): Promise<Record<string, unknown>> {
  const metadata: Record<string, unknown> = {
    client_name: options.name,
    redirect_uris: options.redirectUri,
    post_logout_redirect_uris: options.postLogoutRedirectUri,
    grant_types: options.grantType,
    scope: options.scope,
    token_endpoint_auth_method: options.public ? 'none' : options.authMethod,
    resources: options.resource,
    first_party: options.firstParty,
    require_pkce: options.requirePkce,
    id_token_signed_response_alg: options.idTokenSignedResponseAlg,
    jwks: options.jwks === undefined ? undefined : await readJwksOption(options.jwks),
    jwks_uri: options.jwksUri,
    token_endpoint_auth_signing_alg: options.tokenEndpointAuthSigningAlg,
    request_object_signing_alg: options.requestObjectSigningAlg,
    require_pushed_authorization_requests: options.requirePushedAuthorizationRequests,
    dpop_bound_access_tokens: options.dpopBoundAccessTokens,
    security_profile: options.securityProfile,
    backchannel_logout_uri: options.backchannelLogoutUri,
    backchannel_logout_session_required: options.backchannelLogoutSessionRequired,
    frontchannel_logout_uri: options.frontchannelLogoutUri,
    frontchannel_logout_session_required: options.frontchannelLogoutSessionRequired,
  };
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined));
}

function validMetadata(input: Record<string, unknown>, server: ServerFacts): ClientMetadata {
  const parsed = clientMetadataSchema.safeParse(input);
  if (!parsed.success) {
    throw new CliError(
      parsed.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`).join('\n'),
    );
  }
  const problems = serverDependentProblems(parsed.data, server);
  if (problems.length > 0) throw new CliError(problems.join('\n'));
  return parsed.data;
}

export function clientsCommand(program: Command, ctx: CliContext): void {
  const clients = program
    .command('clients')
    .description('registered applications: add, update, list, remove, rotate-secret');

  withMetadataOptions(
    clients
      .command('add')
      .description("register a client; a confidential client's secret is printed once")
      .argument('<client_id>'),
  ).action(async (clientId: string, options: MetadataOptions) => {
    const metadata = validMetadata(
      { client_id: clientId, ...(await metadataFromOptions(options)) },
      ctx.config,
    );
    const secret = usesClientSecret(metadata.token_endpoint_auth_method)
      ? generateClientSecret()
      : null;
    const { clients: store, clock } = await ctx.services();
    await store.create(registeredClient(metadata, secret), ACTOR, clock.now()).catch(rethrow);
    ctx.out(`added client ${clientId}`);
    if (secret) ctx.out(`client_secret: ${secret}\n(shown once; only its hash is stored)`);
  });

  withMetadataOptions(
    clients
      .command('update')
      .description(
        'change the given metadata of a client in place; its secret, consents and tokens stay (list flags replace the list)',
      )
      .argument('<client_id>'),
  )
    .option('--no-first-party', 'not a first-party app: consent is asked again')
    .action(async (clientId: string, options: MetadataOptions) => {
      const given = await metadataFromOptions(options);
      if (Object.keys(given).length === 0)
        throw new UsageError('clients update: give at least one metadata option (see --help)');
      const { clients: store, clock } = await ctx.services();
      const existing = await store.findById(clientId);
      if (!existing) throw new CliError(`no client with client_id ${clientId}`);
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
      const metadata = validMetadata({ ...document, ...given }, ctx.config);
      // A client that keeps using a secret keeps it; one that starts using a secret needs one.
      let secret: string | null = null;
      const needsSecret = usesClientSecret(metadata.token_endpoint_auth_method);
      let secretHash = needsSecret ? existing.secretHash : null;
      if (needsSecret && secretHash === null) {
        secret = generateClientSecret();
        secretHash = hashClientSecret(secret);
      }
      const changed = Object.keys(given);
      await store
        .update({ ...registeredClient(metadata, null), secretHash }, ACTOR, changed, clock.now())
        .catch(rethrow);
      ctx.out(`updated client ${clientId}: ${changed.join(', ')}`);
      if (secret) ctx.out(`client_secret: ${secret}\n(shown once; only its hash is stored)`);
    });

  clients
    .command('list')
    .description('list clients')
    .option(
      '--json',
      'print a seed document ({ "clients": [RFC 7591 metadata] }, no secrets) instead of a table',
    )
    .action(async (options: { json?: boolean }) => {
      const { clients: store } = await ctx.services();
      const list = await store.list();
      // A seed document: `idp import` takes it back unchanged, and existing clients keep their secrets.
      if (options.json)
        return ctx.out(JSON.stringify({ clients: list.map(clientDocument) }, null, 2));
      ctx.out(
        table(
          ['CLIENT_ID', 'NAME', 'AUTH', 'GRANTS', 'REDIRECT_URIS'],
          list.map((c) => [
            c.clientId,
            c.clientName,
            c.tokenEndpointAuthMethod,
            c.grantTypes.join(','),
            c.redirectUris.join(' '),
          ]),
        ),
      );
    });

  clients
    .command('remove')
    .description('delete a client with its consents and tokens')
    .argument('<client_id>')
    .action(async (clientId: string) => {
      const { clients: store, clock } = await ctx.services();
      await store.remove(clientId, ACTOR, clock.now()).catch(rethrow);
      ctx.out(`removed client ${clientId}`);
    });

  clients
    .command('rotate-secret')
    .description("replace a confidential client's secret; the new one is printed once")
    .argument('<client_id>')
    .action(async (clientId: string) => {
      const { clients: store, clock } = await ctx.services();
      const client = await store.findById(clientId);
      if (!client) throw new CliError(`no client with client_id ${clientId}`);
      if (!usesClientSecret(client.tokenEndpointAuthMethod))
        throw new CliError(
          `client ${clientId} uses ${client.tokenEndpointAuthMethod}: it has no secret`,
        );
      const secret = generateClientSecret();
      await store
        .setSecretHash(clientId, hashClientSecret(secret), ACTOR, clock.now())
        .catch(rethrow);
      ctx.out(`client_secret: ${secret}\n(shown once; the previous secret no longer works)`);
    });

  initialTokenCommand(clients, ctx);
}
