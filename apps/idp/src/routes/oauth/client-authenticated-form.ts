import { authenticateClient, type InspectionDeps, type RegisteredClient } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parameterSchema } from '../../http/parameter-schemas.js';
import { singleValuedForm } from '../../http/single-valued-form.js';

/** RFC 7009 2.1 and RFC 7662 2.1: the token, a hint, and client_secret_post credentials. None repeated. */
export const INSPECTION_REQUEST = parameterSchema(['token', 'token_type_hint', 'client_id', 'client_secret'], { others: 'single' });

/** An onRequest hook: the answer is never cached (RFC 7662 2.2), a refusal by the schema included. */
export function noStore(_request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  void reply.header('cache-control', 'no-store');
  done();
}

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
