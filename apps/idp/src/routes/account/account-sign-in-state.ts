import { randomId } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfCookie } from '../../http/browser-session.js';
import { sendErrorPage } from '../../http/html-reply.js';
import { messages } from '../../i18n/index.js';
import { seal, unseal } from '../../interaction/interaction-state.js';
import { accountReturnPath, formField } from './account-session.js';

/**
 * What the account sign-in pages carry, sealed like a login interaction but of their own kind
 * (they can never stand in for an authorization's pages): the page to go back to, the CSRF
 * token they are bound to, an id that accepting the form consumes and, on the second step, the
 * user whose password was accepted and who still owes a second factor (no session exists yet).
 */
export interface AccountSignInState {
  readonly id: string;
  readonly csrf: string;
  readonly returnTo: string;
  readonly expiresAt: number;
  readonly pending?: { readonly userId: string };
}

const KIND = 'idp-account-sign-in';
const TTL_MS = 15 * 60_000;

type StateDeps = Pick<FastifyInstance, 'clock' | 'secrets'>;

/** A fresh sealed state for one page (each page can be sent once). */
export async function sealAccountSignIn(
  app: StateDeps,
  details: { csrf: string; returnTo: string; pending?: { userId: string } | undefined },
): Promise<string> {
  const state: AccountSignInState = {
    id: randomId(),
    csrf: details.csrf,
    returnTo: details.returnTo,
    expiresAt: app.clock.now() + TTL_MS,
    ...(details.pending ? { pending: { userId: details.pending.userId } } : {}),
  };
  return seal(KIND, state, app.secrets.interactionKey);
}

async function unsealed(
  app: StateDeps,
  form: { interaction?: unknown },
): Promise<AccountSignInState | undefined> {
  const sealed = formField(form.interaction, 4096);
  const state = sealed
    ? await unseal<AccountSignInState>(KIND, sealed, app.secrets.interactionKey, app.clock.now())
    : undefined;
  return state ? { ...state, returnTo: accountReturnPath(state.returnTo) } : undefined;
}

/** The double-submit check: the form's token equals the signed cookie and the sealed one. */
function sameCsrf(
  request: FastifyRequest,
  app: Pick<FastifyInstance, 'config'>,
  form: { csrf?: unknown },
  state: AccountSignInState,
): boolean {
  const cookie = csrfCookie(request, app);
  return cookie !== undefined && form.csrf === cookie && state.csrf === cookie;
}

/**
 * The state of a posted page when it opens, is unexpired and its CSRF token matches: for a
 * passkey's options, which do not use the page up.
 */
export async function openAccountSignIn(
  request: FastifyRequest,
  app: StateDeps & Pick<FastifyInstance, 'config'>,
  form: { interaction?: unknown; csrf?: unknown },
): Promise<AccountSignInState | undefined> {
  const state = await unsealed(app, form);
  return state && sameCsrf(request, app, form, state) ? state : undefined;
}

/**
 * The checks every account sign-in form starts with: the state opens and is unexpired, the CSRF
 * token matches, and the page was not sent before (which this records, across instances).
 * Answers the state, or undefined after sending a page in plain words.
 */
export async function acceptAccountSignIn(
  request: FastifyRequest,
  reply: FastifyReply,
  app: StateDeps & Pick<FastifyInstance, 'config' | 'singleUseIds'>,
  form: { interaction?: unknown; csrf?: unknown },
): Promise<AccountSignInState | undefined> {
  const t = messages(request.locale).accountSignIn;
  const state = await unsealed(app, form);
  if (!state) {
    void sendErrorPage(reply, 400, t.expiredTitle, t.expired);
    return undefined;
  }
  if (!sameCsrf(request, app, form, state)) {
    void sendErrorPage(reply, 403, t.csrfTitle, t.csrf);
    return undefined;
  }
  if (!(await app.singleUseIds.consume(`account-sign-in:${state.id}`, state.expiresAt))) {
    void sendErrorPage(reply, 400, t.usedTitle, t.used);
    return undefined;
  }
  return state;
}
