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
import { CliError } from '../cli-error.js';
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

interface AddOptions {
  name?: string;
  redirectUri?: string[];
  postLogoutRedirectUri?: string[];
  grantType?: string[];
  scope?: string;
  authMethod?: string;
  public?: boolean;
  firstParty?: boolean;
  /** Commander's negation: true unless --no-require-pkce is given. */
  requirePkce?: boolean;
  resource?: string[];
}

export function clientsCommand(program: Command, ctx: CliContext): void {
  const clients = program.command('clients').description('registered applications: add, list, remove, rotate-secret');

  clients
    .command('add')
    .description('register a client; a confidential client\'s secret is printed once')
    .argument('<client_id>')
    .option('--name <name>', 'client_name shown on the consent page')
    .option('--redirect-uri <uri>', 'a redirect URI (repeat for more)', collect)
    .option('--post-logout-redirect-uri <uri>', 'a post-logout redirect URI (repeat for more)', collect)
    .option('--grant-type <type>', 'authorization_code, refresh_token or client_credentials (repeat for more)', collect)
    .option('--scope <scopes>', 'space-separated scopes the client may request')
    .option('--auth-method <method>', 'client_secret_basic (default), client_secret_post or none')
    .option('--public', 'a public client (no secret; token_endpoint_auth_method none; PKCE only)')
    .option('--first-party', 'trusted first-party app: no consent page')
    .option('--no-require-pkce', 'a confidential client may leave PKCE out when it sends a nonce (require_pkce false)')
    .option('--resource <uri>', 'an RFC 8707 resource (access token audience) the client may ask for', collect)
    .action(async (clientId: string, options: AddOptions) => {
      const parsed = clientMetadataSchema.safeParse({
        client_id: clientId,
        client_name: options.name,
        redirect_uris: options.redirectUri,
        post_logout_redirect_uris: options.postLogoutRedirectUri,
        grant_types: options.grantType,
        scope: options.scope,
        token_endpoint_auth_method: options.public ? 'none' : options.authMethod,
        resources: options.resource,
        first_party: options.firstParty,
        require_pkce: options.requirePkce,
      });
      if (!parsed.success) {
        throw new CliError(parsed.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`).join('\n'));
      }
      const problems = issuerDependentProblems(parsed.data, ctx.config.issuer);
      if (problems.length > 0) throw new CliError(problems.join('\n'));
      const secret = parsed.data.token_endpoint_auth_method === 'none' ? null : generateClientSecret();
      const { clients: store } = await ctx.services();
      await store.create(registeredClient(parsed.data, secret), ACTOR).catch(rethrow);
      ctx.out(`added client ${clientId}`);
      if (secret) ctx.out(`client_secret: ${secret}\n(shown once; only its hash is stored)`);
    });

  clients
    .command('list')
    .description('list clients')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const { clients: store } = await ctx.services();
      const list = await store.list();
      if (options.json) {
        return ctx.out(JSON.stringify(list.map(({ secretHash: _hash, ...client }) => client), null, 2));
      }
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
      const { clients: store } = await ctx.services();
      await store.remove(clientId, ACTOR).catch(rethrow);
      ctx.out(`removed client ${clientId}`);
    });

  clients
    .command('rotate-secret')
    .description('replace a confidential client\'s secret; the new one is printed once')
    .argument('<client_id>')
    .action(async (clientId: string) => {
      const { clients: store } = await ctx.services();
      const client = await store.findById(clientId);
      if (!client) throw new CliError(`no client with client_id ${clientId}`);
      if (client.tokenEndpointAuthMethod === 'none') throw new CliError(`client ${clientId} is public: it has no secret`);
      const secret = generateClientSecret();
      await store.setSecretHash(clientId, hashClientSecret(secret), ACTOR).catch(rethrow);
      ctx.out(`client_secret: ${secret}\n(shown once; the previous secret no longer works)`);
    });
}
