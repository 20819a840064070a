import type { FastifyReply } from 'fastify';
import { contentSecurityPolicy, errorPage } from '../views/index.js';

/**
 * Sends a page for people: never cached (it may carry per-request tokens), never framed
 * (clickjacking of the login and consent forms), with a CSP that allows only our own inline
 * style and, where given, one script and foreign form targets.
 */
export function sendHtml(
  reply: FastifyReply,
  status: number,
  body: string,
  csp: string = contentSecurityPolicy(),
): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .header('content-security-policy', csp)
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .send(body);
}

/** A plain-words error page for a request that cannot go back to the application. */
export function sendErrorPage(
  reply: FastifyReply,
  status: number,
  title: string,
  message: string,
  detail?: string,
): FastifyReply {
  return sendHtml(reply, status, errorPage({ title, message, ...(detail ? { detail } : {}) }));
}
