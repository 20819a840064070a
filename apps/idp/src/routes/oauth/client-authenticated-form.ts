import { authenticateClient, type ClientAuthenticationDeps, type InspectionDeps, type PresentedClientCredentials, type RegisteredClient } from '@idp/oidc';
import type { FastifyRequest } from 'fastify';
import { singleValuedForm } from '../../http/single-valued-form.js';
import type { Services } from '../../services.js';

/** What token inspection needs, for one request: its time, the verifier and the stores. */
export function inspectionDeps(services: Services): InspectionDeps {
  return {
    issuer: services.config.issuer,
    now: services.clock.now(),
    verifier: services.keyRing,
    families: services.families,
    refreshTokens: services.refreshTokens,
  };
}

/**
 * What client authentication needs at this moment: every endpoint that authenticates clients
 * (token, introspection, revocation, PAR) goes through `authenticateClient` with these.
 */
export function clientAuthenticationDeps(services: Services): ClientAuthenticationDeps {
  return {
    findClient: (id) => services.clientCache.findById(id),
    issuer: services.config.issuer,
    now: services.clock.now(),
    clientJwts: services.clientJwts,
    singleUse: services.singleUseIds,
  };
}

/** The client credentials a request carries: HTTP Basic, or form fields (secret or assertion). */
export function presentedCredentials(request: FastifyRequest, params: Record<string, string | undefined>): PresentedClientCredentials {
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
  services: Services,
  body: unknown = request.body,
): Promise<{ params: Record<string, string | undefined>; client: RegisteredClient }> {
  const params = singleValuedForm(body);
  const client = await authenticateClient(presentedCredentials(request, params), clientAuthenticationDeps(services));
  return { params, client };
}
