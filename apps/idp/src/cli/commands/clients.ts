import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CONSOLE_CLIENT_ID } from '../../operations/reserved-clients.js';
import { CliError, UsageError } from '../cli-error.js';
import { clientDocument } from '../client-document.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';
import {
  createClient,
  removeClient,
  rotateClientSecret,
  updateClient,
} from '../../operations/client-operations.js';
import { OperationError } from '../../operations/operation-error.js';
import { initialTokenCommand } from './initial-token.js';

const ACTOR = 'cli';

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

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The metadata flags of `clients add` and `clients update`. */
interface MetadataOptions {
  name?: string;
  clientName?: string;
  redirectUri?: string[];
  postLogoutRedirectUri?: string[];
  grantType?: string[];
  scope?: string;
  authMethod?: string;
  tokenEndpointAuthMethod?: string;
  public?: boolean;
  firstParty?: boolean;
  /** --require-pkce / --no-require-pkce; undefined when neither is given. */
  requirePkce?: boolean;
  idTokenSignedResponseAlg?: string;
  /** false from `update --no-userinfo-signed-response-alg`: back to plain JSON. */
  userinfoSignedResponseAlg?: string | false;
  requirePushedAuthorizationRequests?: boolean;
  dpopBoundAccessTokens?: boolean;
  backchannelLogoutUri?: string;
  backchannelLogoutSessionRequired?: boolean;
  frontchannelLogoutUri?: string;
  frontchannelLogoutSessionRequired?: boolean;
  defaultAcrValue?: string[];
  requireMfa?: boolean;
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
      .option('--client-name <name>', 'the same as --name, by its RFC 7591 name')
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
      .option(
        '--token-endpoint-auth-method <method>',
        'the same as --auth-method, by its RFC 7591 name',
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
        '--userinfo-signed-response-alg <alg>',
        'UserInfo answers as a JWT signed with this alg (RS256, PS256, ES256 or EdDSA, one of IDP_SIGNING_ALGORITHMS); default: plain JSON',
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
      .option(
        '--default-acr-value <acr>',
        'an acr asked for when a request names none (default_acr_values; repeat for more): urn:idp:acr:pwd, urn:idp:acr:mfa',
        collect,
      )
      .option('--require-mfa', 'every sign-in for this client needs a second factor (require_mfa)')
      .option(
        '--no-require-mfa',
        'a password alone may do, unless a request asks for more (the default)',
      )
  );
}

/** The value of a flag given under either of its two names; both with different values is a usage error. */
function sameFlag(
  name: string,
  value: string | undefined,
  alias: string,
  aliasValue: string | undefined,
): string | undefined {
  if (value !== undefined && aliasValue !== undefined && value !== aliasValue)
    throw new UsageError(`${name} and ${alias} name the same member: give one of them`);
  return value ?? aliasValue;
}

/** The RFC 7591 members the flags set; members of flags not given are absent. */
async function metadataFromOptions(options: MetadataOptions): Promise<Record<string, unknown>> {
  const metadata: Record<string, unknown> = {
    client_name: sameFlag('--name', options.name, '--client-name', options.clientName),
    redirect_uris: options.redirectUri,
    post_logout_redirect_uris: options.postLogoutRedirectUri,
    grant_types: options.grantType,
    scope: options.scope,
    token_endpoint_auth_method: options.public
      ? 'none'
      : sameFlag(
          '--auth-method',
          options.authMethod,
          '--token-endpoint-auth-method',
          options.tokenEndpointAuthMethod,
        ),
    resources: options.resource,
    first_party: options.firstParty,
    require_pkce: options.requirePkce,
    id_token_signed_response_alg: options.idTokenSignedResponseAlg,
    // null asks the update for the default (plain JSON), as a JSON merge patch does.
    userinfo_signed_response_alg:
      options.userinfoSignedResponseAlg === false ? null : options.userinfoSignedResponseAlg,
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
    default_acr_values: options.defaultAcrValue,
    require_mfa: options.requireMfa,
  };
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined));
}

/** Runs an admin operation, its refusals printed as the CLI's one-line errors. */
function run<T>(operation: Promise<T>): Promise<T> {
  return operation.catch((error: unknown) => {
    if (error instanceof OperationError) throw new CliError(error.message);
    throw error;
  });
}

export function clientsCommand(program: Command, ctx: CliContext): void {
  const clients = program
    .command('clients')
    .description(
      'registered applications: add, update, list, remove, rotate-secret, initial-token',
    );

  withMetadataOptions(
    clients
      .command('add')
      .description("register a client; a confidential client's secret is printed once")
      .argument('<client_id>'),
  ).action(async (clientId: string, options: MetadataOptions) => {
    const input = { client_id: clientId, ...(await metadataFromOptions(options)) };
    const { secret } = await run(createClient(await ctx.services(), input, ACTOR));
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
    .option('--no-userinfo-signed-response-alg', 'UserInfo answers plain JSON again (the default)')
    .action(async (clientId: string, options: MetadataOptions) => {
      const given = await metadataFromOptions(options);
      if (Object.keys(given).length === 0)
        throw new UsageError('clients update: give at least one metadata option (see --help)');
      const { secret, changed } = await run(
        updateClient(await ctx.services(), clientId, given, ACTOR),
      );
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
      // The console's own client is left out: each server creates it from its own configuration.
      if (options.json)
        return ctx.out(
          JSON.stringify(
            { clients: list.filter((c) => c.clientId !== CONSOLE_CLIENT_ID).map(clientDocument) },
            null,
            2,
          ),
        );
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
      await run(removeClient(await ctx.services(), clientId, ACTOR));
      ctx.out(`removed client ${clientId}`);
    });

  clients
    .command('rotate-secret')
    .description("replace a confidential client's secret; the new one is printed once")
    .argument('<client_id>')
    .action(async (clientId: string) => {
      const secret = await run(rotateClientSecret(await ctx.services(), clientId, ACTOR));
      ctx.out(`client_secret: ${secret}\n(shown once; the previous secret no longer works)`);
    });

  initialTokenCommand(clients, ctx);
}
