import type { FastifyInstance, FastifyReply } from 'fastify';

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
  const refuse = (reply: FastifyReply) =>
    reply
      .status(405)
      .header('allow', 'POST')
      .send({ error: 'invalid_request', error_description: `${path} accepts POST only` });
  app.route({
    method: [...OTHER_METHODS],
    url: path,
    // Before the body is parsed, so a body of a type no parser takes is 405 too, not 415.
    onRequest: async (_request, reply) => refuse(reply),
    handler: (_request, reply) => refuse(reply),
  });
}
