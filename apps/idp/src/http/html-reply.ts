import type { FastifyReply } from 'fastify';
import { contentSecurityPolicy, errorPage, type CspOptions } from '../views/index.js';
import { pageContext } from './page-locale.js';

/**
 * Sends a page for people: never cached (it may carry per-request tokens), never framed
 * (clickjacking of the login and consent forms), with a CSP that allows only our own inline
 * style (and the brand's) and, where given, one script and foreign form targets. The page's
 * language is the request's (`Content-Language`), chosen partly by `Accept-Language` (`Vary`).
 */
export function sendHtml(
  reply: FastifyReply,
  status: number,
  body: string,
  csp: CspOptions = {},
): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-language', reply.request.locale)
    .header('vary', 'Accept-Language')
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .header('content-security-policy', contentSecurityPolicy({ ...csp, brand: reply.server.brand }))
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
  return sendHtml(
    reply,
    status,
    errorPage({ title, message, ...(detail ? { detail } : {}), ...pageContext(reply.request) }),
  );
}
