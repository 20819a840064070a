import { authenticateClient, introspectToken, revokeToken, type InspectionDeps } from '@idp/oidc';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { answerGetWith405 } from '../../http/post-only.js';
import { singleValuedForm } from '../../http/single-valued-form.js';
import type { Services } from '../../services.js';

export const REVOCATION_PATH = '/revoke';
export const INTROSPECTION_PATH = '/introspect';

/** What both endpoints need: inspection dependencies and client authentication. */
function endpointSupport(services: Services) {
  const deps = (): InspectionDeps => ({
    issuer: services.config.issuer,
    now: services.clock.now(),
    verifier: services.keyRing,
    families: services.families,
    refreshTokens: services.refreshTokens,
  });
  const authenticated = async (request: FastifyRequest) => {
    const params = singleValuedForm(request.body);
    const client = await authenticateClient(
      { authorization: request.headers.authorization, clientId: params.client_id, clientSecret: params.client_secret },
      (id) => services.clientCache.findById(id),
    );
    return { params, client };
  };
  return { deps, authenticated };
}

/** POST /revoke (RFC 7009), client-authenticated. */
export async function revocationRoute(app: FastifyInstance, { services }: { services: Services }) {
  const { deps, authenticated } = endpointSupport(services);
  app.post(REVOCATION_PATH, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const { params, client } = await authenticated(request);
    // The store records the revocation in the audit log in the same write.
    await revokeToken(params, client, deps());
    return reply.status(200).send();
  });
  answerGetWith405(app, REVOCATION_PATH);
}

/** POST /introspect (RFC 7662), client-authenticated (resource servers are clients). */
export async function introspectionRoute(app: FastifyInstance, { services }: { services: Services }) {
  const { deps, authenticated } = endpointSupport(services);
  app.post(INTROSPECTION_PATH, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const { params, client } = await authenticated(request);
    return reply.send(await introspectToken(params, client, deps()));
  });
  answerGetWith405(app, INTROSPECTION_PATH);
}
