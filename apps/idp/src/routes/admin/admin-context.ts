import type { FastifyInstance } from 'fastify';
import { acceptJsonBodiesOnly } from '../../http/body-parsers.js';
import { auditAdminRequests } from './admin-audit.js';
import { requireAdmin } from './admin-auth.js';
import { installAdminErrorHandler } from './admin-errors.js';

/**
 * What every admin context has: JSON bodies only, route schemas for documentation only (the
 * handlers parse with zod, which refuses unknown fields and never coerces, where Fastify's Ajv
 * would coerce "true" to true and drop unknown members; answers are built by mappers and sent
 * as they are), JSON refusals, admin authentication before any handler, and an audit event per
 * authenticated call. `open` lists routes served without authentication (the API description).
 */
export function adminContext(
  admin: FastifyInstance,
  options: { bootstrapToken: string | undefined; open?: readonly string[] },
): void {
  acceptJsonBodiesOnly(admin);
  admin.setValidatorCompiler(() => () => true);
  admin.setSerializerCompiler(() => (data) => JSON.stringify(data));
  admin.decorateRequest('adminPrincipal', null);
  installAdminErrorHandler(admin);
  const authenticate = requireAdmin(admin, options.bootstrapToken);
  const open = new Set(options.open ?? []);
  admin.addHook('preHandler', async (request, reply) => {
    if (open.has(request.routeOptions.url ?? '')) return;
    return authenticate(request, reply);
  });
  auditAdminRequests(admin);
}
