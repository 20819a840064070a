import { revokeToken } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { answerGetWith405 } from '../../http/post-only.js';
import { clientAuthenticatedForm, inspectionDeps } from './client-authenticated-form.js';

export const REVOCATION_PATH = '/revoke';

/** POST /revoke (RFC 7009), client-authenticated. */
export async function revocationRoute(app: FastifyInstance) {
  app.post(REVOCATION_PATH, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const { params, client } = await clientAuthenticatedForm(request, app);
    // The store records the revocation in the audit log in the same write.
    await revokeToken(params, client, inspectionDeps(app));
    return reply.status(200).send();
  });
  answerGetWith405(app, REVOCATION_PATH);
}
