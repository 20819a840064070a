import type { FastifyInstance } from 'fastify';

/**
 * Answers GET on a POST-only protocol endpoint with 405 and `Allow: POST` (RFC 9110 15.5.6)
 * rather than 404: the endpoint exists, as discovery says.
 */
export function answerGetWith405(app: FastifyInstance, path: string): void {
  app.get(path, (_request, reply) =>
    reply
      .status(405)
      .header('allow', 'POST')
      .send({ error: 'invalid_request', error_description: `${path} accepts POST only` }),
  );
}
