import {
  bearerToken,
  clientSecretMatches,
  generateClientSecret,
  generateRegisteredClientId,
  generateRegistrationToken,
  hashClientSecret,
  hashRegistrationToken,
  OAuthError,
  registrationMetadata,
  registrationPolicyProblems,
  registrationTokenMatches,
  StoreError,
  usesClientSecret,
  type ClientMetadata,
  type RegisteredClient,
} from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientDocument } from '../../cli/client-document.js';
import { registeredClient, serverDependentProblems } from '../../operations/client-operations.js';
import { acceptJsonBodiesOnly } from '../../http/body-parsers.js';
import { RegistrationThrottle } from '../../http/registration-throttle.js';
import { registrationPolicy } from '../../registration-policy.js';

/** RFC 7591 3: the client registration endpoint; RFC 7592 2: each client's configuration URI under it. */
export const REGISTRATION_PATH = '/register';

/** The actor of audit events written for dynamic registrations, updates and deletions. */
const ACTOR = 'registration';

/** A client deleted while its own request was under way: its token no longer names a client. */
function goneToInvalidToken(error: unknown): never {
  if (error instanceof StoreError && error.code === 'not_found')
    throw invalidToken('the registration access token is not valid for this client');
  throw error;
}

/** RFC 6750 3.1: a refused bearer token (initial or registration access token). */
function invalidToken(description: string): OAuthError {
  return new OAuthError('invalid_token', description, {
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
  });
}

/**
 * POST /register (RFC 7591) and GET/PUT/DELETE /register/:client_id (RFC 7592), mounted only
 * when IDP_REGISTRATION is `open` or `token`. Clients registered here are third-party (consent is
 * always asked), use PKCE unless a confidential one says otherwise, and authenticate with
 * `client_secret_basic` unless they ask for another method; metadata goes through the same
 * validation as the seed file and `idp clients add`. Every token (initial access, registration
 * access, client secret) is stored as SHA-256 only.
 */
export async function registrationRoutes(app: FastifyInstance) {
  const { config, clock, clients, clientCache, registrations, redis } = app;
  if (config.registration === 'closed') return;
  acceptJsonBodiesOnly(app);
  const throttle = new RegistrationThrottle(config.registrationRateLimit, redis?.client);
  const base = config.issuer.replace(/\/+$/, '');
  const noStore = (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    done();
  };

  const policy = registrationPolicy(config);
  /**
   * Problems only this server's configuration reveals (reserved resources, keyless algs), then
   * what IDP_REGISTRATION_GRANT_TYPES and IDP_REGISTRATION_RESOURCES refuse (RFC 7591 3.2.2).
   */
  const checkAgainstServer = (metadata: ClientMetadata) => {
    const [problem] = serverDependentProblems(metadata, config);
    if (problem) throw new OAuthError('invalid_client_metadata', problem);
    const [refused] = registrationPolicyProblems(metadata, policy);
    if (refused)
      throw new OAuthError('invalid_client_metadata', `${refused.field}: ${refused.message}`);
  };

  /** RFC 7591 3.2.1 / RFC 7592 3: the client information response. */
  const information = (
    client: RegisteredClient,
    issuedAt: number,
    registrationAccessToken: string,
    secret: string | null,
  ) => ({
    ...clientDocument(client),
    ...(secret ? { client_secret: secret } : {}),
    client_id_issued_at: Math.floor(issuedAt / 1000),
    // REQUIRED with a secret; 0: it does not expire.
    ...(usesClientSecret(client.tokenEndpointAuthMethod) ? { client_secret_expires_at: 0 } : {}),
    registration_access_token: registrationAccessToken,
    registration_client_uri: `${base}${REGISTRATION_PATH}/${encodeURIComponent(client.clientId)}`,
  });

  app.post(REGISTRATION_PATH, { onRequest: noStore }, async (request, reply) => {
    const wait = await throttle.retryAfter(request.ip);
    if (wait !== undefined) {
      throw new OAuthError(
        'temporarily_unavailable',
        `too many registration requests from this address; retry in ${wait} s`,
        { status: 429, headers: { 'retry-after': String(wait) } },
      );
    }
    const now = clock.now();
    let initialTokenHash: string | undefined;
    if (config.registration === 'token') {
      const token = bearerToken(request.headers.authorization);
      if (token === undefined)
        throw invalidToken(
          'registration needs an initial access token (Authorization: Bearer <token>)',
        );
      initialTokenHash = hashRegistrationToken(token);
    }
    const clientId = generateRegisteredClientId();
    const metadata = registrationMetadata(request.body, clientId);
    checkAgainstServer(metadata);
    // Spent only for a request that can succeed, so a mistake in the metadata costs no use.
    if (
      initialTokenHash !== undefined &&
      !(await registrations.spendInitialAccessToken(initialTokenHash, now))
    ) {
      throw invalidToken('the initial access token is unknown, expired or used up');
    }
    const secret = usesClientSecret(metadata.token_endpoint_auth_method)
      ? generateClientSecret()
      : null;
    const registrationAccessToken = generateRegistrationToken();
    const client = await registrations.register(
      registeredClient(metadata, secret),
      hashRegistrationToken(registrationAccessToken),
      { actor: ACTOR, ip: request.ip },
      now,
    );
    request.log.info({ event: 'client.registered', clientId }, 'client registered');
    return reply.status(201).send(information(client, now, registrationAccessToken, secret));
  });

  /**
   * RFC 7592 2: the registration access token of exactly this client. An unknown client, one not
   * registered here, and a wrong token all answer 401 alike (RFC 7592 2.1: no 404 that would
   * tell which client_ids exist).
   */
  const authorize = async (request: FastifyRequest<{ Params: { clientId: string } }>) => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined)
      throw invalidToken('a registration access token is required (Authorization: Bearer <token>)');
    const { clientId } = request.params;
    const registration = await registrations.findRegistration(clientId);
    const client = registration && (await clients.findById(clientId));
    if (!registration || !client || !registrationTokenMatches(token, registration.tokenHash))
      throw invalidToken('the registration access token is not valid for this client');
    return { client, registration, token };
  };

  const configurationPath = `${REGISTRATION_PATH}/:clientId`;
  const options = { onRequest: noStore };

  app.get<{ Params: { clientId: string } }>(configurationPath, options, async (request) => {
    const { client, registration, token } = await authorize(request);
    return information(client, registration.issuedAt, token, null);
  });

  app.put<{ Params: { clientId: string } }>(configurationPath, options, async (request) => {
    const { client: existing, registration, token } = await authorize(request);
    const body = request.body as Record<string, unknown> | null;
    // RFC 7592 2.2: a client_secret sent must be the current one; a client never chooses it.
    const presented = body && typeof body === 'object' ? body.client_secret : undefined;
    if (
      presented !== undefined &&
      (typeof presented !== 'string' ||
        existing.secretHash === null ||
        !clientSecretMatches(presented, existing.secretHash))
    ) {
      throw new OAuthError(
        'invalid_client_metadata',
        'client_secret: must be the current secret or left out; a client cannot choose its secret (RFC 7592 2.2)',
      );
    }
    const metadata = registrationMetadata(body, existing.clientId, { update: true });
    checkAgainstServer(metadata);
    let secret: string | null = null;
    let secretHash: string | null = null;
    if (usesClientSecret(metadata.token_endpoint_auth_method)) {
      secretHash = existing.secretHash;
      if (secretHash === null) {
        secret = generateClientSecret();
        secretHash = hashClientSecret(secret);
      }
    }
    const changed = Object.keys(body ?? {}).filter((member) => member !== 'client_secret');
    const client = await clients
      .update(
        { ...registeredClient(metadata, null), secretHash },
        { actor: ACTOR, ip: request.ip },
        changed,
        clock.now(),
      )
      .catch(goneToInvalidToken);
    // This instance serves the new metadata at once; others within their change poll.
    await clientCache.checkForChanges();
    request.log.info(
      { event: 'client.registration_updated', clientId: client.clientId },
      'registered client updated',
    );
    return information(client, registration.issuedAt, token, secret);
  });

  app.delete<{ Params: { clientId: string } }>(
    configurationPath,
    options,
    async (request, reply) => {
      const { client } = await authorize(request);
      // With its consents, codes and token families (ClientStore.remove), and its registration.
      await clients
        .remove(client.clientId, { actor: ACTOR, ip: request.ip }, clock.now())
        .catch(goneToInvalidToken);
      await clientCache.checkForChanges();
      request.log.info(
        { event: 'client.registration_deleted', clientId: client.clientId },
        'registered client deleted',
      );
      return reply.status(204).send();
    },
  );
}
