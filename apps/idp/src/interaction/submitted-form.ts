import { AuthorizationError, type RegisteredClient } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfCookie } from '../http/browser-session.js';
import { sendErrorPage } from '../http/html-reply.js';
import { openInteraction, type InteractionState } from './interaction-state.js';

/** What this module reads from the instance's decorators (plugins/stores.ts). */
type FormDeps = Pick<
  FastifyInstance,
  'config' | 'clock' | 'secrets' | 'clientCache' | 'singleUseIds'
>;

/**
 * The checks every interaction form (login, consent) starts with: the sealed state opens and
 * has not expired, the CSRF token matches both the browser's cookie and the sealed state, the
 * client is still registered, and the interaction was not used before, which this consumes (in
 * the database, so across instances): a page re-posted, with the same answer or another, changes
 * nothing. Returns what the handler needs, or undefined after sending the plain-words page that
 * explains the failure.
 */
export async function acceptSubmittedForm(
  request: FastifyRequest,
  reply: FastifyReply,
  app: FormDeps,
  form: { interaction?: unknown; csrf?: unknown },
): Promise<{ state: InteractionState; client: RegisteredClient } | undefined> {
  const state =
    typeof form.interaction === 'string'
      ? await openInteraction(form.interaction, app.secrets.interactionKey, app.clock.now())
      : undefined;
  if (!state) {
    void sendErrorPage(
      reply,
      400,
      'This page has expired',
      'Go back to the application and start signing in again.',
    );
    return undefined;
  }
  const cookie = csrfCookie(request, app);
  if (!cookie || form.csrf !== cookie || state.csrf !== cookie) {
    void sendErrorPage(
      reply,
      403,
      'This form could not be accepted',
      "It did not come from this browser's sign-in pages. Go back to the application and start again.",
    );
    return undefined;
  }
  // A client known by its metadata document may have become unusable since the page was shown.
  const client = await app.clientCache.findById(state.request.clientId).catch((error: unknown) => {
    if (error instanceof AuthorizationError) return null;
    throw error;
  });
  if (!client) {
    void sendErrorPage(
      reply,
      400,
      'This sign-in link is not valid',
      'The application is no longer registered.',
    );
    return undefined;
  }
  if (!(await app.singleUseIds.consume(`interaction:${state.id}`, state.expiresAt))) {
    void sendErrorPage(
      reply,
      400,
      'This page was already used',
      'Each sign-in page can be sent only once, and this one was sent before or has expired. Go back to the application and start again.',
    );
    return undefined;
  }
  return { state, client };
}
