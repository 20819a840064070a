import {
  authenticateClient,
  type ClientAuthenticationDeps,
  type InspectionDeps,
  type PresentedClientCredentials,
  type RegisteredClient,
} from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parameterSchema } from '../../http/parameter-schemas.js';
import { singleValuedForm } from '../../http/single-valued-form.js';

/** What a client-authenticating endpoint reads from the instance. */
export type ClientAuthenticationApp = Pick<
  FastifyInstance,
  'config' | 'clock' | 'clientCache' | 'clientJwts' | 'jtis'
>;

/** The form fields that authenticate a client: client_secret_post (RFC 6749 2.3.1) and private_key_jwt (RFC 7523 2.2). */
export const CLIENT_AUTHENTICATION_PARAMETERS = [
  'client_id',
  'client_secret',
  'client_assertion_type',
  'client_assertion',
] as const;

/** RFC 7009 2.1 and RFC 7662 2.1: the token, a hint, and the client's credentials. None repeated. */
export const INSPECTION_REQUEST = parameterSchema(
  ['token', 'token_type_hint', ...CLIENT_AUTHENTICATION_PARAMETERS],
  { others: 'single' },
);

/** An onRequest hook: the answer is never cached (RFC 7662 2.2), a refusal by the schema included. */
export function noStore(_request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  void reply.header('cache-control', 'no-store');
  done();
}

/** What token inspection needs, for one request: its time, the verifier and the stores. */
export function inspectionDeps(
  app: Pick<FastifyInstance, 'config' | 'clock' | 'keyRing' | 'families' | 'refreshTokens'>,
): InspectionDeps {
  return {
    issuer: app.config.issuer,
    now: app.clock.now(),
    verifier: app.keyRing,
    families: app.families,
    refreshTokens: app.refreshTokens,
  };
}

/**
 * What client authentication needs at this moment: every endpoint that authenticates clients
 * (token, introspection, revocation, PAR) goes through `authenticateClient` with these.
 */
export function clientAuthenticationDeps(app: ClientAuthenticationApp): ClientAuthenticationDeps {
  return {
    findClient: (id) => app.clientCache.findById(id),
    issuer: app.config.issuer,
    now: app.clock.now(),
    clientJwts: app.clientJwts,
    singleUse: app.jtis,
  };
}

/** The client credentials a request carries: HTTP Basic, or form fields (secret or assertion). */
export function presentedCredentials(
  request: FastifyRequest,
  params: Record<string, string | undefined>,
): PresentedClientCredentials {
  return {
    authorization: request.headers.authorization,
    clientId: params.client_id,
    clientSecret: params.client_secret,
    clientAssertionType: params.client_assertion_type,
    clientAssertion: params.client_assertion,
  };
}

/**
 * The form of a revocation or introspection request and the client it authenticates (RFC 7009
 * 2.1, RFC 7662 2.1 use the token endpoint's client authentication). `body` is the request's
 * unless the caller passes only the fields that authenticate (/par, whose other fields may repeat).
 */
export async function clientAuthenticatedForm(
  request: FastifyRequest,
  app: ClientAuthenticationApp,
  body: unknown = request.body,
): Promise<{ params: Record<string, string | undefined>; client: RegisteredClient }> {
  const params = singleValuedForm(body);
  const client = await authenticateClient(
    presentedCredentials(request, params),
    clientAuthenticationDeps(app),
  );
  return { params, client };
}
