import type { AuthorizationResponse } from '@idp/oidc';
import type { FastifyReply } from 'fastify';
import { FORM_POST_SCRIPT_HASH, formPostPage } from '../views/index.js';
import { sendHtml } from './html-reply.js';
import { pageContext } from './page-locale.js';

/**
 * Delivers an authorization response. After a form POST (login, consent) the redirect is a 303,
 * so the browser does not re-post the credentials to the client (RFC 9700 4.12).
 */
export function sendAuthorizationResponse(
  reply: FastifyReply,
  response: AuthorizationResponse,
  afterPost: boolean,
): FastifyReply {
  if (response.kind === 'redirect') {
    return reply
      .header('cache-control', 'no-store')
      .redirect(response.location, afterPost ? 303 : 302);
  }
  const csp = {
    formActions: [new URL(response.action).origin],
    scriptHash: FORM_POST_SCRIPT_HASH,
  };
  return sendHtml(
    reply,
    200,
    formPostPage({
      action: response.action,
      params: response.params,
      ...pageContext(reply.request),
    }),
    csp,
  );
}
