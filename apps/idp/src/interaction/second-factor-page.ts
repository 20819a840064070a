import { randomId, type AuthorizationRequest, type RegisteredClient } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfToken } from '../http/browser-session.js';
import { sendHtml } from '../http/html-reply.js';
import { pageContext } from '../http/page-locale.js';
import { passkeyScriptUrls } from '../passkeys/passkey-assets.js';
import { oneTimeCodePage } from '../views/index.js';
import {
  sealInteraction,
  type DeviceInteraction,
  type PendingSecondFactor,
} from './interaction-state.js';
import { secondFactorMethods } from './second-factor-methods.js';

type PageDeps = Pick<FastifyInstance, 'config' | 'clock' | 'secrets' | 'oneTimeCodes' | 'passkeys'>;

/** Where the one-time-code page posts. */
export const LOGIN_CODE_PATH = '/login/one-time-code';
/** "Use a passkey" on the same page (routes/interaction/second-factor-passkey.ts). */
export const LOGIN_SECOND_FACTOR_PASSKEY_PATH = '/login/second-factor/passkey';
export const LOGIN_SECOND_FACTOR_PASSKEY_OPTIONS_PATH = '/login/second-factor/passkey/options';

/** As long as the login page: the code page is part of the same sign-in. */
const INTERACTION_TTL_MS = 15 * 60_000;

/**
 * Shows the sign-in's second step for `pending`, in a fresh sealed interaction (each page can be
 * submitted once, so a wrong code is answered with a new page): the code form for a user with
 * one-time codes, "Use a passkey" for a user with passkeys, or both.
 */
export async function sendSecondFactorPage(
  http: { request: FastifyRequest; reply: FastifyReply },
  app: PageDeps,
  input: {
    request: AuthorizationRequest;
    client: RegisteredClient;
    pending: PendingSecondFactor;
    device?: DeviceInteraction | undefined;
    error?: string;
  },
): Promise<FastifyReply> {
  const csrf = csrfToken(http.request, http.reply, app);
  const methods = await secondFactorMethods(app, input.pending.userId);
  const interaction = await sealInteraction(
    {
      id: randomId(),
      request: input.request,
      csrf,
      // prompt=login and max_age are met once the code is in: the session starts then.
      authenticated: false,
      expiresAt: app.clock.now() + INTERACTION_TTL_MS,
      secondFactor: input.pending,
      ...(input.device ? { device: input.device } : {}),
    },
    app.secrets.interactionKey,
  );
  const csp = {
    formActions: input.device ? [] : [input.request.redirectUri],
    ...(methods.passkey ? { scriptUrls: passkeyScriptUrls(app.config.issuer) } : {}),
  };
  const page = oneTimeCodePage({
    clientName: input.client.clientName,
    ...(input.error ? { error: input.error } : {}),
    interaction,
    csrf,
    action: LOGIN_CODE_PATH,
    // Never an empty page: with neither (reset meanwhile) the code form says what is missing.
    codes: methods.code || !methods.passkey,
    ...(methods.passkey
      ? {
          passkey: {
            optionsUrl: LOGIN_SECOND_FACTOR_PASSKEY_OPTIONS_PATH,
            action: LOGIN_SECOND_FACTOR_PASSKEY_PATH,
          },
        }
      : {}),
    ...pageContext(http.request),
  });
  return sendHtml(http.reply, input.error ? 401 : 200, page, csp);
}
