import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FORGOT_PASSWORD_PATH } from '../../email/email-links.js';
import { csrfToken } from '../../http/browser-session.js';
import { sendHtml } from '../../http/html-reply.js';
import { pageContext } from '../../http/page-locale.js';
import { messages } from '../../i18n/index.js';
import { secondFactorMethods } from '../../interaction/second-factor-methods.js';
import { passkeyScriptUrls } from '../../passkeys/passkey-assets.js';
import { loginPage, oneTimeCodePage } from '../../views/index.js';
import { ACCOUNT_SIGN_IN_PATH } from './account-session.js';
import { sealAccountSignIn } from './account-sign-in-state.js';

/** Where the account sign-in's forms go besides the password form (ACCOUNT_SIGN_IN_PATH). */
export const ACCOUNT_SIGN_IN_PATHS = {
  /** Options of both passkey ceremonies: a passkey alone, or as the second factor. */
  passkeyOptions: `${ACCOUNT_SIGN_IN_PATH}/passkey/options`,
  /** "Sign in with a passkey", no password. */
  passkey: `${ACCOUNT_SIGN_IN_PATH}/passkey`,
  /** After the password: a one-time or recovery code, or a passkey. */
  code: `${ACCOUNT_SIGN_IN_PATH}/one-time-code`,
  secondFactorPasskey: `${ACCOUNT_SIGN_IN_PATH}/second-factor/passkey`,
} as const;

type PageDeps = Pick<FastifyInstance, 'config' | 'clock' | 'secrets' | 'oneTimeCodes' | 'passkeys'>;

/** The account sign-in page: the login page's password form and "Sign in with a passkey". */
export async function sendAccountSignInForm(
  http: { request: FastifyRequest; reply: FastifyReply },
  app: PageDeps,
  returnTo: string,
  details: { error?: string | undefined; loginHint?: string | undefined } = {},
): Promise<FastifyReply> {
  const { request, reply } = http;
  const csrf = csrfToken(request, reply, app);
  const page = loginPage({
    clientName: messages(request.locale).accountSignIn.destination,
    interaction: await sealAccountSignIn(app, { csrf, returnTo }),
    csrf,
    action: ACCOUNT_SIGN_IN_PATH,
    forgotPasswordHref: FORGOT_PASSWORD_PATH,
    passkey: {
      optionsUrl: ACCOUNT_SIGN_IN_PATHS.passkeyOptions,
      action: ACCOUNT_SIGN_IN_PATHS.passkey,
      // The button only, no conditional UI (that is the applications' login page): this page is
      // often a deliberate fresh sign-in (`reauth=1`), where the person chooses the way.
      autofill: false,
    },
    ...(details.error ? { error: details.error } : {}),
    ...(details.loginHint ? { loginHint: details.loginHint } : {}),
    ...pageContext(request),
  });
  return sendHtml(reply, details.error ? 401 : 200, page, {
    scriptUrls: passkeyScriptUrls(app.config.issuer),
  });
}

/**
 * The account sign-in's second step for `userId`, whose password was right: the same page as an
 * authorization's second factor (a one-time or recovery code, or one of their passkeys).
 */
export async function sendAccountSecondFactor(
  http: { request: FastifyRequest; reply: FastifyReply },
  app: PageDeps,
  details: { returnTo: string; userId: string; error?: string | undefined },
): Promise<FastifyReply> {
  const { request, reply } = http;
  const csrf = csrfToken(request, reply, app);
  const methods = await secondFactorMethods(app, details.userId);
  const page = oneTimeCodePage({
    clientName: messages(request.locale).accountSignIn.destination,
    interaction: await sealAccountSignIn(app, {
      csrf,
      returnTo: details.returnTo,
      pending: { userId: details.userId },
    }),
    csrf,
    action: ACCOUNT_SIGN_IN_PATHS.code,
    codes: methods.code || !methods.passkey,
    ...(methods.passkey
      ? {
          passkey: {
            optionsUrl: ACCOUNT_SIGN_IN_PATHS.passkeyOptions,
            action: ACCOUNT_SIGN_IN_PATHS.secondFactorPasskey,
          },
        }
      : {}),
    ...(details.error ? { error: details.error } : {}),
    ...pageContext(request),
  });
  return sendHtml(
    reply,
    details.error ? 401 : 200,
    page,
    methods.passkey ? { scriptUrls: passkeyScriptUrls(app.config.issuer) } : {},
  );
}
