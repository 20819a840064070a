import { revokeToken } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { answerNonPostWith405 } from '../../http/post-only.js';
import {
  clientAuthenticatedForm,
  INSPECTION_REQUEST,
  inspectionDeps,
  noStore,
} from './client-authenticated-form.js';

export const REVOCATION_PATH = '/revoke';

/** POST /revoke (RFC 7009), client-authenticated. */
export async function revocationRoute(app: FastifyInstance) {
  const schema = { body: INSPECTION_REQUEST };
  app.post(REVOCATION_PATH, { schema, onRequest: noStore }, async (request, reply) => {
    const { params, client } = await clientAuthenticatedForm(request, app);
    // The store records the revocation in the audit log in the same write.
    await revokeToken(params, client, inspectionDeps(app));
    return reply.status(200).send();
  });
  answerNonPostWith405(app, REVOCATION_PATH);
}
