import type { RegisteredClient } from '../clients/registered-client.js';
import { AuthorizationError } from './authorization-error.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { consentCovers, type ConsentGrant } from './requested-claims.js';
import { needsSecondFactor } from './authentication-level.js';

/** The signed-in person, as the browser session says. Times in milliseconds. */
export interface AuthenticatedSession {
  readonly sessionId: string;
  readonly userId: string;
  readonly authTime: number;
  readonly amr: readonly string[];
}

/**
 * `second_factor`: the session lacks the second factor the request needs, and the user has one
 * to give (a step-up asks for that factor alone, not the password again). `no_second_factor`:
 * the request needs one and the user has none enrolled.
 */
export type NextStep =
  | { readonly kind: 'login' }
  | { readonly kind: 'second_factor' }
  | { readonly kind: 'no_second_factor' }
  | { readonly kind: 'consent' }
  | { readonly kind: 'issue' };

export interface NextStepInput {
  readonly request: AuthorizationRequest;
  readonly client: RegisteredClient;
  readonly session: AuthenticatedSession | undefined;
  /** What this user already granted this client: scopes, and claims asked for one by one. */
  readonly granted: ConsentGrant;
  /** `sub` of a valid id_token_hint, if one was sent. */
  readonly hintedSubject: string | undefined;
  readonly now: number;
  /** The person has just signed in / answered the consent page for this very request. */
  readonly justAuthenticated?: boolean;
  readonly justConsented?: boolean;
  /**
   * Whether the signed-in user has a confirmed second factor. Read only when the request needs
   * one the session lacks (`needsSecondFactor`), so callers may load it only then.
   */
  readonly secondFactorEnrolled?: boolean;
}

/**
 * Whether consent is asked of the user for this client at all. First-party clients are trusted
 * by the operator; for them `nextStep` never reads the user's grants, so callers need not load them.
 */
export function consentApplies(client: RegisteredClient): boolean {
  return !client.firstParty;
}

/**
 * What the authorization endpoint does next: ask for a login, ask for consent, or issue the
 * code. prompt=none turns each question into an error instead (OIDC Core 3.1.2.6).
 */
export function nextStep(input: NextStepInput): NextStep {
  const { request, client, session, now } = input;
  const target = {
    redirectUri: request.redirectUri,
    responseMode: request.responseMode,
    state: request.state,
  };
  const silent = request.prompt.includes('none');

  const fresh = input.justAuthenticated === true;
  const needsLogin =
    !session ||
    (!fresh && request.prompt.includes('login')) ||
    (!fresh && request.maxAge !== undefined && now - session.authTime > request.maxAge * 1000) ||
    (input.hintedSubject !== undefined && input.hintedSubject !== session.userId);
  if (needsLogin) {
    if (silent) throw new AuthorizationError('login_required', 'the user is not signed in', target);
    return { kind: 'login' };
  }

  // A second factor asked for by the client or the request and not yet given in this session.
  if (needsSecondFactor(request, client) && !session.amr.includes('mfa')) {
    if (input.secondFactorEnrolled !== true) {
      // OpenID Connect Unmet Authentication Requirements 1.0: the OP cannot meet the request.
      if (silent)
        throw new AuthorizationError(
          'unmet_authentication_requirements',
          'the user has no second factor, which this request requires',
          target,
        );
      return { kind: 'no_second_factor' };
    }
    if (silent)
      throw new AuthorizationError(
        'interaction_required',
        'the user must give a second factor',
        target,
      );
    return { kind: 'second_factor' };
  }

  // Everyone but first-party clients needs the user's consent to every requested scope and every
  // claim requested beyond them (OIDC Core 5.5), and prompt=consent asks again even if it was
  // given before.
  const needsConsent =
    consentApplies(client) &&
    input.justConsented !== true &&
    // A client known only by its metadata document asks every time: its document may have
    // changed since (draft-ietf-oauth-client-id-metadata-document 8.4), and nobody vetted it.
    (client.metadataDocument === true ||
      request.prompt.includes('consent') ||
      !consentCovers(input.granted, request));
  if (needsConsent) {
    if (silent)
      throw new AuthorizationError(
        'consent_required',
        'the user has not consented to this client',
        target,
      );
    return { kind: 'consent' };
  }
  return { kind: 'issue' };
}
