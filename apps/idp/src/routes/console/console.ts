import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { installPageErrorHandler } from '../../http/error-handler.js';
import { negotiatePageLocale } from '../../http/page-locale.js';
import { browserSecurityHeaders } from '../../http/security-headers.js';
import { consoleAuditPages } from './audit-pages.js';
import { consoleClientPages } from './clients-pages.js';
import { installConsoleGuard } from './console-guard.js';
import { consoleSignInRoutes } from './console-sign-in.js';
import { consoleKeyPages } from './keys-pages.js';
import { consoleSessionPages } from './sessions-pages.js';
import { consoleUserPages } from './users-pages.js';

/** Routes that run without a console session: the sign-in itself. */
const OPEN = new Set(['/admin/login', '/admin/callback', '/admin/signed-out']);

/**
 * The admin console at /admin (register with `prefix: '/admin'`): server-rendered pages behind
 * the console's own sign-in, each action through the same operations as the admin API and CLI.
 */
export async function adminConsole(
  site: FastifyInstance,
  options: {
    outage: Parameters<typeof installPageErrorHandler>[1];
    /** The older JSON key API holds /admin/keys (IDP_ADMIN_TOKEN set): no page alias there. */
    keysPathTaken: boolean;
  },
) {
  installPageErrorHandler(site, options.outage);
  // English or German, by Accept-Language, as the login pages.
  site.addHook('onRequest', negotiatePageLocale);
  await site.register(browserSecurityHeaders);
  await site.register(cookie);
  installConsoleGuard(site, OPEN);
  site.get('/', async (_request, reply) => reply.redirect('/admin/clients', 303));
  // The pages' own name for keys is /admin/signing-keys; /admin/keys is where people look.
  if (!options.keysPathTaken)
    site.get('/keys', async (_request, reply) => reply.redirect('/admin/signing-keys', 303));
  await site.register(consoleSignInRoutes);
  await site.register(consoleClientPages);
  await site.register(consoleUserPages);
  await site.register(consoleSessionPages);
  await site.register(consoleKeyPages);
  await site.register(consoleAuditPages);
}
