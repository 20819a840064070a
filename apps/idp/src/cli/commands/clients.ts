import { StoreError } from '@idp/db';
import {
  clientMetadataSchema,
  generateClientSecret,
  hashClientSecret,
  reservedResourceProblem,
  type ClientMetadata,
  type RegisteredClient,
} from '@idp/oidc';
import type { Command } from 'commander';
import { CliError, UsageError } from '../cli-error.js';
import { clientDocument } from '../client-document.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';
import { jsonPath } from '../seed-schema.js';

const ACTOR = 'cli';

function rethrow(error: unknown): never {
  if (error instanceof StoreError) throw new CliError(error.message);
  throw error;
}

/** Turns validated RFC 7591 metadata into the stored client, with the secret's hash. */
export function registeredClient(metadata: ClientMetadata, secret: string | null): RegisteredClient {
  return {
    clientId: metadata.client_id,
    clientName: metadata.client_name ?? metadata.client_id,
    secretHash: secret === null ? null : hashClientSecret(secret),
    tokenEndpointAuthMethod: metadata.token_endpoint_auth_method,
    redirectUris: metadata.redirect_uris,
    postLogoutRedirectUris: metadata.post_logout_redirect_uris,
    grantTypes: metadata.grant_types,
    responseTypes: metadata.response_types,
    scopes: metadata.scope.split(' '),
    resources: metadata.resources,
    firstParty: metadata.first_party,
    requirePkce: metadata.require_pkce,
  };
}

/**
 * Problems with a client's resources that depend on this server's issuer (the schema cannot see
 * it), as `path: reason` lines under `path`, e.g. `clients[0].resources[1]: ...`.
 */
export function issuerDependentProblems(metadata: ClientMetadata, issuer: string, path: readonly PropertyKey[] = []): string[] {
  return metadata.resources.flatMap((resource, index) => {
    const problem = reservedResourceProblem(resource, issuer);
    return problem ? [`${jsonPath([...path, 'resources', index])}: ${problem}`] : [];
  });
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
  resource?: string[];
}

/** Declares the metadata flags on a command, so `add` and `update` take the same ones. */
function withMetadataOptions(command: Command): Command {
  return command
    .option('--name <name>', 'client_name shown on the consent page')
    .option('--redirect-uri <uri>', 'a redirect URI (repeat for more)', collect)
    .option('--post-logout-redirect-uri <uri>', 'a post-logout redirect URI (repeat for more)', collect)
    .option('--grant-type <type>', 'authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:device_code or urn:ietf:params:oauth:grant-type:token-exchange (repeat for more)', collect)
    .option('--scope <scopes>', 'space-separated scopes the client may request')
    .option('--auth-method <method>', 'client_secret_basic (default), client_secret_post or none')
    .option('--public', 'a public client (no secret; token_endpoint_auth_method none; PKCE only)')
    .option('--first-party', 'trusted first-party app: no consent page')
    // Declared before its negation so that the default stays undefined: `update` must not reset it.
    .option('--require-pkce', 'PKCE required (the default)')
    .option('--no-require-pkce', 'a confidential client may leave PKCE out when it sends a nonce (require_pkce false)')
    .option('--resource <uri>', 'an RFC 8707 resource (access token audience) the client may ask for', collect);
}

/** The RFC 7591 members the flags set; members of flags not given are absent. */
function metadataFromOptions(options: MetadataOptions): Record<string, unknown> {
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
  };
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined));
}

function validMetadata(input: Record<string, unknown>, issuer: string): ClientMetadata {
  const parsed = clientMetadataSchema.safeParse(input);
  if (!parsed.success) {
    throw new CliError(parsed.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`).join('\n'));
  }
  const problems = issuerDependentProblems(parsed.data, issuer);
  if (problems.length > 0) throw new CliError(problems.join('\n'));
  return parsed.data;
}

export function clientsCommand(program: Command, ctx: CliContext): void {
  const clients = program.command('clients').description('registered applications: add, update, list, remove, rotate-secret');

  withMetadataOptions(
    clients
      .command('add')
      .description('register a client; a confidential client\'s secret is printed once')
      .argument('<client_id>'),
  ).action(async (clientId: string, options: MetadataOptions) => {
    const metadata = validMetadata({ client_id: clientId, ...metadataFromOptions(options) }, ctx.config.issuer);
    const secret = metadata.token_endpoint_auth_method === 'none' ? null : generateClientSecret();
    const { clients: store, clock } = await ctx.services();
    await store.create(registeredClient(metadata, secret), ACTOR, clock.now()).catch(rethrow);
    ctx.out(`added client ${clientId}`);
    if (secret) ctx.out(`client_secret: ${secret}\n(shown once; only its hash is stored)`);
  });

  withMetadataOptions(
    clients
      .command('update')
      .description('change the given metadata of a client in place; its secret, consents and tokens stay (list flags replace the list)')
      .argument('<client_id>'),
  )
    .option('--no-first-party', 'not a first-party app: consent is asked again')
    .action(async (clientId: string, options: MetadataOptions) => {
      const given = metadataFromOptions(options);
      if (Object.keys(given).length === 0) throw new UsageError('clients update: give at least one metadata option (see --help)');
      const { clients: store, clock } = await ctx.services();
      const existing = await store.findById(clientId);
      if (!existing) throw new CliError(`no client with client_id ${clientId}`);
      const metadata = validMetadata({ ...clientDocument(existing), ...given }, ctx.config.issuer);
      // A client that stays confidential keeps its secret; one that becomes confidential needs one.
      let secret: string | null = null;
      let secretHash = metadata.token_endpoint_auth_method === 'none' ? null : existing.secretHash;
      if (metadata.token_endpoint_auth_method !== 'none' && secretHash === null) {
        secret = generateClientSecret();
        secretHash = hashClientSecret(secret);
      }
      const changed = Object.keys(given);
      await store.update({ ...registeredClient(metadata, null), secretHash }, ACTOR, changed, clock.now()).catch(rethrow);
      ctx.out(`updated client ${clientId}: ${changed.join(', ')}`);
      if (secret) ctx.out(`client_secret: ${secret}\n(shown once; only its hash is stored)`);
    });

  clients
    .command('list')
    .description('list clients')
    .option('--json', 'print a seed document ({ "clients": [RFC 7591 metadata] }, no secrets) instead of a table')
    .action(async (options: { json?: boolean }) => {
      const { clients: store } = await ctx.services();
      const list = await store.list();
      // A seed document: `idp import` takes it back unchanged, and existing clients keep their secrets.
      if (options.json) return ctx.out(JSON.stringify({ clients: list.map(clientDocument) }, null, 2));
      ctx.out(
        table(
          ['CLIENT_ID', 'NAME', 'AUTH', 'GRANTS', 'REDIRECT_URIS'],
          list.map((c) => [c.clientId, c.clientName, c.tokenEndpointAuthMethod, c.grantTypes.join(','), c.redirectUris.join(' ')]),
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
    .description('replace a confidential client\'s secret; the new one is printed once')
    .argument('<client_id>')
    .action(async (clientId: string) => {
      const { clients: store, clock } = await ctx.services();
      const client = await store.findById(clientId);
      if (!client) throw new CliError(`no client with client_id ${clientId}`);
      if (client.tokenEndpointAuthMethod === 'none') throw new CliError(`client ${clientId} is public: it has no secret`);
      const secret = generateClientSecret();
      await store.setSecretHash(clientId, hashClientSecret(secret), ACTOR, clock.now()).catch(rethrow);
      ctx.out(`client_secret: ${secret}\n(shown once; the previous secret no longer works)`);
    });
}
