import { authenticateClient, type InspectionDeps, type RegisteredClient } from '@idp/oidc';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { singleValuedForm } from '../../http/single-valued-form.js';

/** What token inspection needs, for one request: its time, the verifier and the stores. */
export function inspectionDeps(app: Pick<FastifyInstance, 'config' | 'clock' | 'keyRing' | 'families' | 'refreshTokens'>): InspectionDeps {
  return {
    issuer: app.config.issuer,
    now: app.clock.now(),
    verifier: app.keyRing,
    families: app.families,
    refreshTokens: app.refreshTokens,
  };
}

/**
 * The form of a revocation or introspection request and the client it authenticates (RFC 7009
 * 2.1, RFC 7662 2.1 use the token endpoint's client authentication).
 */
export async function clientAuthenticatedForm(
  request: FastifyRequest,
  app: Pick<FastifyInstance, 'clientCache'>,
): Promise<{ params: Record<string, string | undefined>; client: RegisteredClient }> {
  const params = singleValuedForm(request.body);
  const client = await authenticateClient(
    { authorization: request.headers.authorization, clientId: params.client_id, clientSecret: params.client_secret },
    (id) => app.clientCache.findById(id),
  );
  return { params, client };
}
