import { KeyError } from '@idp/keys';
import type { FastifyInstance } from 'fastify';
import { OperationError } from '../../operations/operation-error.js';

const STATUS = { invalid: 400, not_found: 404, conflict: 409, not_applicable: 409 } as const;

/**
 * The admin API's refusals as JSON `{ error, error_description }`: invalid input is 400
 * `invalid_request` (client metadata: `invalid_client_metadata`, RFC 7591 3.2.2) whose
 * description names each field by its JSON path, also listed in `problems`; an unknown subject
 * is 404 `not_found`. Anything else goes on to the root handler (database outages, 5xx).
 */
export function installAdminErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof OperationError) {
      const code = error.code === 'invalid' ? error.oauthError : error.code;
      request.log.info({ error: code, detail: error.message }, 'admin request rejected');
      const description =
        error.problems.length > 0
          ? error.problems.map((p) => `${p.path}: ${p.message}`).join('; ')
          : error.message;
      return reply
        .status(STATUS[error.code])
        .header('cache-control', 'no-store')
        .send({
          error: code,
          error_description: description,
          ...(error.problems.length > 0 ? { problems: error.problems } : {}),
        });
    }
    if (error instanceof KeyError) {
      const status =
        error.code === 'algorithm_not_enabled' ? 400 : error.code === 'unknown_key' ? 404 : 409;
      const code = error.code === 'algorithm_not_enabled' ? 'invalid_request' : error.code;
      return reply.status(status).send({ error: code, error_description: error.message });
    }
    throw error;
  });
}
