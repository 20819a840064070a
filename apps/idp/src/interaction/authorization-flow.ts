import {
  authorizationResponse,
  type AuthorizationError,
  claimsBeyondScopes,
  consentApplies,
  issueAuthorizationCode,
  nextStep,
  randomId,
  type AuthenticatedSession,
  type AuthorizationRequest,
  type RegisteredClient,
} from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendAuthorizationResponse } from '../http/authorization-reply.js';
import { csrfToken } from '../http/browser-session.js';
import { sendHtml } from '../http/html-reply.js';
import { consentPage, contentSecurityPolicy, loginPage } from '../views/index.js';
import { sealInteraction } from './interaction-state.js';

/** What this module reads from the instance's decorators (plugins/stores.ts). */
type FlowDeps = Pick<FastifyInstance, 'config' | 'clock' | 'secrets' | 'users' | 'consents' | 'codes'>;

/** How long a person may take on the login and consent pages. */
const INTERACTION_TTL_MS = 15 * 60_000;

export const LOGIN_PATH = '/login';
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
  const { request, client, session } = input;
  const now = app.clock.now();
  // A query saved on every sign-in and silent /authorize of a first-party client.
  const granted = session && consentApplies(client) ? await app.consents.granted(session.userId, client.clientId) : { scopes: [], claims: [] };
  const step = nextStep({
    request,
    client,
    session,
    granted,
    hintedSubject: input.hintedSubject,
    now,
    justAuthenticated: input.justAuthenticated === true,
    justConsented: input.justConsented === true,
  });

  if (step.kind === 'issue') {
    const response = await issueAuthorizationCode(request, session!, {
      codes: app.codes,
      now: app.clock.now(),
      codeTtlSeconds: app.config.authorizationCodeTtl,
      issuer: app.config.issuer,
    });
    return sendAuthorizationResponse(http.reply, response, input.afterPost);
  }

  const csrf = csrfToken(http.request, http.reply, app);
  const interaction = await sealInteraction(
    // A fresh id for every page shown, a failed login's included: each can be submitted once.
    { id: randomId(), request, csrf, authenticated: input.justAuthenticated === true, expiresAt: now + INTERACTION_TTL_MS },
    app.secrets.interactionKey,
  );
  // The form's POST ends in a redirect to the client, which CSP form-action also governs.
  const csp = contentSecurityPolicy({ formActions: [request.redirectUri] });
  if (step.kind === 'login') {
    const page = loginPage({
      clientName: client.clientName,
      ...(input.typedUsername || request.loginHint ? { loginHint: input.typedUsername || request.loginHint } : {}),
      ...(input.loginError ? { error: input.loginError } : {}),
      interaction,
      csrf,
      action: LOGIN_PATH,
    });
    return sendHtml(http.reply, input.loginError ? 401 : 200, page, csp);
  }
  const user = await app.users.findById(session!.userId);
  return sendHtml(
    http.reply,
    200,
    consentPage({
      clientName: client.clientName,
      userEmail: user?.email ?? '',
      scopes: [...request.scopes],
      // What the claims parameter adds is asked for too, so the consent covers what is released.
      claims: claimsBeyondScopes(request.scopes, request.claims),
      interaction,
      csrf,
      action: CONSENT_PATH,
    }),
    csp,
  );
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
