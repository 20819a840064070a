import {
  ADMIN_SCOPE,
  authorizationResponse,
  AuthorizationError,
  claimsBeyondScopes,
  consentApplies,
  issueAuthorizationCode,
  needsSecondFactor,
  nextStep,
  reachedMfa,
  randomId,
  type AuthenticatedSession,
  type AuthorizationRequest,
  type RegisteredClient,
} from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendAuthorizationResponse } from '../http/authorization-reply.js';
import { csrfToken } from '../http/browser-session.js';
import { sendHtml } from '../http/html-reply.js';
import { pageContext, useUiLocales } from '../http/page-locale.js';
import { messages } from '../i18n/index.js';
import { consentPage, loginPage, messagePage } from '../views/index.js';
import { sendSecondFactorPage } from './second-factor-page.js';
import { hasSecondFactor, secondFactorMethods } from './second-factor-methods.js';
import { ONE_TIME_CODES_PATH } from '../routes/account/one-time-codes-paths.js';
import { approveDevice } from './device-decision.js';
import { sealInteraction, type DeviceInteraction } from './interaction-state.js';
import { sealLoginResume } from './login-resume.js';
import { FORGOT_PASSWORD_PATH, SIGN_UP_PATH } from '../email/email-links.js';
import { passkeyScriptUrls } from '../passkeys/passkey-assets.js';

/** What this module reads from the instance's decorators (plugins/stores.ts). */
type FlowDeps = Pick<
  FastifyInstance,
  | 'config'
  | 'clock'
  | 'secrets'
  | 'users'
  | 'consents'
  | 'codes'
  | 'pushedRequests'
  | 'sessions'
  | 'deviceAuthorizations'
  | 'audit'
  | 'oneTimeCodes'
  | 'passkeys'
>;

/** How long a person may take on the login and consent pages. */
const INTERACTION_TTL_MS = 15 * 60_000;

export const LOGIN_PATH = '/login';
/** "Sign in with a passkey" (routes/interaction/passkey-login.ts). */
export const PASSKEY_LOGIN_PATH = '/login/passkey';
export const PASSKEY_LOGIN_OPTIONS_PATH = '/login/passkey/options';
export const CONSENT_PATH = '/consent';

export interface FlowInput {
  readonly request: AuthorizationRequest;
  readonly client: RegisteredClient;
  readonly session: AuthenticatedSession | undefined;
  readonly hintedSubject?: string | undefined;
  readonly justAuthenticated?: boolean;
  readonly justConsented?: boolean;
  /** The current HTTP request was a form POST (login, consent, or POST /authorize). */
  readonly afterPost: boolean;
  /** An error message for the login page (wrong password), and what the person typed. */
  readonly loginError?: string;
  readonly typedUsername?: string;
  /** The interaction approves this device (RFC 8628) instead of issuing a code to a redirect_uri. */
  readonly device?: DeviceInteraction | undefined;
}

/**
 * Takes a validated authorization request one step further: the login page, the consent page,
 * or the code. Called by /authorize and again after each form, so the rules live in one place
 * (`nextStep` in the protocol core).
 */
export async function continueAuthorization(
  http: { request: FastifyRequest; reply: FastifyReply },
  app: FlowDeps,
  input: FlowInput,
): Promise<FastifyReply> {
  const { client, session } = input;
  const request = await withinRole(app, input.request, session);
  const now = app.clock.now();
  useUiLocales(http.request, request.uiLocales);
  // A query saved on every sign-in and silent /authorize of a first-party client.
  const granted =
    session && consentApplies(client)
      ? await app.consents.granted(session.userId, client.clientId)
      : { scopes: [], claims: [] };
  // Whether the user has a second factor to give (one-time codes or a passkey): read only when
  // the request needs one that the session lacks.
  const secondFactorEnrolled =
    session && !reachedMfa(session.amr) && needsSecondFactor(request, client)
      ? hasSecondFactor(await secondFactorMethods(app, session.userId))
      : undefined;
  let step = nextStep({
    request,
    client,
    session,
    granted,
    hintedSubject: input.hintedSubject,
    now,
    justAuthenticated: input.justAuthenticated === true,
    justConsented: input.justConsented === true,
    ...(secondFactorEnrolled === undefined ? {} : { secondFactorEnrolled }),
  });
  // RFC 8628 5.4: a device is approved on the consent page only, even for a first-party client
  // or a scope granted before, so a user code passed on by an attacker never goes through unseen.
  if (input.device && step.kind === 'issue' && input.justConsented !== true)
    step = { kind: 'consent' };

  // A step-up: the session has the password, the request wants the code too; only the code is
  // asked for.
  if (step.kind === 'second_factor') {
    return sendSecondFactorPage(http, app, {
      request,
      client,
      pending: { userId: session!.userId, sessionId: session!.sessionId },
      device: input.device,
    });
  }
  if (step.kind === 'no_second_factor') {
    const t = messages(http.request.locale).oneTimeCode;
    return sendHtml(
      http.reply,
      403,
      messagePage({
        title: t.noneTitle,
        message: t.none(client.clientName),
        link: { href: ONE_TIME_CODES_PATH, text: t.setUp },
        ...pageContext(http.request),
      }),
    );
  }

  if (step.kind === 'issue' && input.device) {
    return approveDevice(http, app, { device: input.device, client, session: session!, request });
  }
  if (step.kind === 'issue') {
    try {
      const response = await issueAuthorizationCode(request, session!, {
        codes: app.codes,
        now: app.clock.now(),
        codeTtlSeconds: app.config.authorizationCodeTtl,
        issuer: app.config.issuer,
        pushedRequests: app.pushedRequests,
        participation: { sessions: app.sessions, client },
      });
      return sendAuthorizationResponse(http.reply, response, input.afterPost);
    } catch (error) {
      // A pushed request used up meanwhile (another tab completed it): told to the client.
      if (error instanceof AuthorizationError)
        return sendAuthorizationError(http.reply, app, error, input.afterPost, () => http.reply);
      throw error;
    }
  }

  const csrf = csrfToken(http.request, http.reply, app);
  const interaction = await sealInteraction(
    // A fresh id for every page shown, a failed login's included: each can be submitted once.
    {
      id: randomId(),
      request,
      csrf,
      authenticated: input.justAuthenticated === true,
      expiresAt: now + INTERACTION_TTL_MS,
      ...(input.device ? { device: input.device } : {}),
    },
    app.secrets.interactionKey,
  );
  // The form's POST ends in a redirect to the client, which CSP form-action also governs.
  // A device interaction ends on a page of ours: no redirect_uri to allow.
  const csp = { formActions: input.device ? [] : [request.redirectUri] };
  if (step.kind === 'login') {
    // The pages linked from the login page lead back to it, for this same request.
    const resume = encodeURIComponent(await sealLoginResume(app, request, input.device));
    const page = loginPage({
      forgotPasswordHref: `${FORGOT_PASSWORD_PATH}?resume=${resume}`,
      ...(app.config.selfRegistration ? { signUpHref: `${SIGN_UP_PATH}?resume=${resume}` } : {}),
      clientName: client.clientName,
      ...(input.typedUsername || request.loginHint
        ? { loginHint: input.typedUsername || request.loginHint }
        : {}),
      ...(input.loginError ? { error: input.loginError } : {}),
      interaction,
      csrf,
      action: LOGIN_PATH,
      passkey: { optionsUrl: PASSKEY_LOGIN_OPTIONS_PATH, action: PASSKEY_LOGIN_PATH },
      ...pageContext(http.request),
    });
    const loginCsp = { ...csp, scriptUrls: passkeyScriptUrls(app.config.issuer) };
    return sendHtml(http.reply, input.loginError ? 401 : 200, page, loginCsp);
  }
  const user = await app.users.findById(session!.userId);
  return sendHtml(
    http.reply,
    200,
    consentPage({
      clientName: client.clientName,
      // draft-ietf-oauth-client-id-metadata-document-02 8.5: show the client_id's host, and
      // which resources (RFC 8707) the tokens would be for, since nobody registered this client.
      ...(client.metadataDocument
        ? {
            clientHost: new URL(client.clientId).host,
            resourceHosts: request.resources.map((resource) => new URL(resource).host),
          }
        : {}),
      userEmail: user?.email ?? '',
      scopes: [...request.scopes],
      // What the claims parameter adds is asked for too, so the consent covers what is released.
      claims: claimsBeyondScopes(request.scopes, request.claims),
      interaction,
      csrf,
      action: CONSENT_PATH,
      ...(input.device ? { device: true } : {}),
      ...pageContext(http.request),
    }),
    csp,
  );
}

/**
 * The request as this person may be given it: the admin scope only for a user holding the admin
 * role (`pnpm idp users grant-admin`), whatever the client may ask for. Dropped silently, as any
 * scope not granted (RFC 6749 3.3): the client sees the granted scope in the token response, and
 * the console tells the person in plain words that they are not an administrator.
 */
async function withinRole(
  app: Pick<FlowDeps, 'users'>,
  request: AuthorizationRequest,
  session: AuthenticatedSession | undefined,
): Promise<AuthorizationRequest> {
  if (!session || !request.scopes.includes(ADMIN_SCOPE)) return request;
  const user = await app.users.findById(session.userId);
  if (user?.admin) return request;
  return { ...request, scopes: request.scopes.filter((scope) => scope !== ADMIN_SCOPE) };
}

/** Sends an authorization error: to the client when its redirect_uri is trusted, else a page. */
export function sendAuthorizationError(
  reply: FastifyReply,
  app: FlowDeps,
  error: AuthorizationError,
  afterPost: boolean,
  showPage: (reply: FastifyReply, error: AuthorizationError) => FastifyReply,
): FastifyReply {
  if (!error.target) return showPage(reply, error);
  const response = authorizationResponse(error.target, app.config.issuer, {
    error: error.error,
    error_description: error.description,
  });
  return sendAuthorizationResponse(reply, response, afterPost);
}
