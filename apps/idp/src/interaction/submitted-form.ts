import { AuthorizationError, type RegisteredClient } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfCookie } from '../http/browser-session.js';
import { sendErrorPage } from '../http/html-reply.js';
import { useUiLocales } from '../http/page-locale.js';
import { messages } from '../i18n/index.js';
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
    const t = messages(request.locale).form;
    void sendErrorPage(reply, 400, t.expiredTitle, t.expired);
    return undefined;
  }
  // The pages of this interaction speak the language the client asked for.
  useUiLocales(request, state.request.uiLocales);
  const t = messages(request.locale).form;
  const cookie = csrfCookie(request, app);
  if (!cookie || form.csrf !== cookie || state.csrf !== cookie) {
    void sendErrorPage(reply, 403, t.csrfTitle, t.csrf);
    return undefined;
  }
  // A client known by its metadata document may have become unusable since the page was shown.
  const client = await app.clientCache.findById(state.request.clientId).catch((error: unknown) => {
    if (error instanceof AuthorizationError) return null;
    throw error;
  });
  if (!client) {
    void sendErrorPage(reply, 400, t.invalidLinkTitle, t.clientGone);
    return undefined;
  }
  if (!(await app.singleUseIds.consume(`interaction:${state.id}`, state.expiresAt))) {
    void sendErrorPage(reply, 400, t.usedTitle, t.used);
    return undefined;
  }
  return { state, client };
}
