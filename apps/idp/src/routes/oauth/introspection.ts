import { introspectToken } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { answerNonPostWith405 } from '../../http/post-only.js';
import {
  clientAuthenticatedForm,
  INSPECTION_REQUEST,
  inspectionDeps,
  noStore,
} from './client-authenticated-form.js';

export const INTROSPECTION_PATH = '/introspect';

/** POST /introspect (RFC 7662), client-authenticated (resource servers are clients). */
export async function introspectionRoute(app: FastifyInstance) {
  const schema = { body: INSPECTION_REQUEST };
  app.post(INTROSPECTION_PATH, { schema, onRequest: noStore }, async (request, reply) => {
    const { params, client } = await clientAuthenticatedForm(request, app);
    return reply.send(await introspectToken(params, client, inspectionDeps(app)));
  });
  answerNonPostWith405(app, INTROSPECTION_PATH);
}
