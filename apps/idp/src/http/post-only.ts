import type { FastifyInstance } from 'fastify';

/**
 * Methods a POST-only endpoint answers with 405. OPTIONS stays with the CORS plugin, which
 * answers browsers' preflights; HEAD follows GET.
 */
const OTHER_METHODS = ['GET', 'PUT', 'DELETE', 'PATCH'] as const;

/**
 * Answers every method but POST on a POST-only protocol endpoint with 405 and `Allow: POST`
 * (RFC 9110 15.5.6; RFC 9126 2.3 for the pushed authorization request endpoint) rather than
 * 404: the endpoint exists, as discovery says.
 */
export function answerNonPostWith405(app: FastifyInstance, path: string): void {
  app.route({
    method: [...OTHER_METHODS],
    url: path,
    handler: (_request, reply) =>
      reply
        .status(405)
        .header('allow', 'POST')
        .send({ error: 'invalid_request', error_description: `${path} accepts POST only` }),
  });
}
