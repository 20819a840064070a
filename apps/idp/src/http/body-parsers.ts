import type { FastifyInstance } from 'fastify';

/**
 * Makes application/x-www-form-urlencoded (registered by @fastify/formbody) the only request
 * body this instance and the contexts registered after this call parse. RFC 6749 3.1/3.2 and
 * the OIDC endpoints take forms; Fastify's default JSON and text parsers would hand handlers
 * objects, numbers and nulls where every parameter must be a string. Any other body answers
 * 415, which the error handler turns into 400 invalid_request.
 */
export function acceptFormBodiesOnly(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
}

/**
 * The admin API takes JSON only: Fastify's own JSON parser (prototype poisoning refused), and no
 * forms, whose values are all strings where the API expects booleans.
 */
export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  app.removeContentTypeParser('application/x-www-form-urlencoded');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
}
