import type { RegisteredClient } from '../clients/registered-client.js';
import { clientResourceProblem } from '../clients/registration-policy.js';
import { matchesRegisteredRedirectUri } from '../clients/redirect-uri-match.js';
import { isValidCodeChallenge } from '../pkce/pkce.js';
import { isValidJkt } from '../dpop/dpop-proof.js';
import { parseRawParameters, type RawParameters } from '../parameters/raw-parameters.js';
import { resolvePushedRequest } from '../par/pushed-request-uri.js';
import type { PushedRequestStore } from '../ports/pushed-request-store.js';
import { ADMIN_SCOPE, parseScope, SUPPORTED_SCOPES } from '../scopes/scopes.js';
import { parseClaimsRequest } from '../tokens/claims-request.js';
import { AuthorizationError } from './authorization-error.js';
import type {
  AuthorizationRequest,
  PromptValue,
  ResponseMode,
  ResponseTarget,
} from './authorization-request.js';
import { permittedClaimsRequest } from './requested-claims.js';
import {
  REQUEST_URI_PREFIX,
  verifyRequestObject,
  type RequestObjectDeps,
} from './request-object.js';
import { OAuthError, type ProfileRefusal } from '../errors/oauth-error.js';
import { fapi2AuthorizationRequestProblem, idTokenAlgProblem } from '../profiles/fapi2.js';

/** How many `ui_locales` tags are kept, and how long one may be (RFC 5646 4.4.1 suggests 35). */
const MAX_UI_LOCALES = 8;
const MAX_LOCALE_TAG_LENGTH = 35;

const RESPONSE_MODES: readonly ResponseMode[] = ['query', 'fragment', 'form_post'];
const PROMPTS: readonly PromptValue[] = ['none', 'login', 'consent', 'select_account'];
const MAX_PARAMETER_LENGTH = 4096;
/** A request object carries every parameter signed, with RSA signatures of 512 bytes: more room. */
export const MAX_REQUEST_OBJECT_LENGTH = 16_384;

/** A parameter's single value (RFC 6749 3.1: parameters MUST NOT be included more than once). */
function singleValue(raw: RawParameters, name: string): string | undefined {
  const value = raw[name];
  if (Array.isArray(value))
    throw new AuthorizationError('invalid_request', `${name} must not be repeated`);
  if (typeof value === 'string' && value.length > MAX_PARAMETER_LENGTH)
    throw new AuthorizationError('invalid_request', `${name} is too long`);
  return value === '' ? undefined : (value as string | undefined);
}

/**
 * What decides whether an authorization error may be redirected at all: a registered client and
 * its exactly matching redirect_uri (OIDC Core 3.1.2.1, RFC 9700 2.1), read from the outer
 * parameters. Until both are trusted a failure is an `AuthorizationError` without a target, to
 * be shown to the person. For requests refused before `validateAuthorizationRequest` runs.
 */
export async function authorizationResponseTarget(
  input: unknown,
  findClient: (clientId: string) => Promise<RegisteredClient | null>,
): Promise<{ client: RegisteredClient; target: ResponseTarget }> {
  const parsed = parseRawParameters(input);
  if ('problem' in parsed) throw new AuthorizationError('invalid_request', parsed.problem);
  const raw = parsed.parameters;
  const clientId = singleValue(raw, 'client_id');
  if (!clientId)
    throw new AuthorizationError(
      'invalid_request',
      'The request does not say which application it is for (client_id is missing).',
    );
  const client = await findClient(clientId);
  if (!client)
    throw new AuthorizationError(
      'invalid_client',
      'The application that sent you here is not registered with this sign-in service.',
    );
  const redirectUri = singleValue(raw, 'redirect_uri');
  if (!redirectUri)
    throw new AuthorizationError(
      'invalid_request',
      'The request does not say where to return (redirect_uri is missing).',
    );
  if (!matchesRegisteredRedirectUri(redirectUri, client.redirectUris)) {
    throw new AuthorizationError(
      'invalid_request',
      'The return address (redirect_uri) is not registered for this application.',
    );
  }
  const modeParam = singleValue(raw, 'response_mode');
  const responseMode: ResponseMode = RESPONSE_MODES.includes(modeParam as ResponseMode)
    ? (modeParam as ResponseMode)
    : 'query';
  return { client, target: { redirectUri, responseMode, state: singleValue(raw, 'state') } };
}

/** What /authorize adds to the checks that /par shares. */
export interface AuthorizeEndpointOptions {
  /** Pushed requests a `request_uri` may name (RFC 9126 4); without it `request_uri` is refused. */
  readonly pushedRequests: Pick<PushedRequestStore, 'find'>;
  readonly now: number;
  /** Server-wide RFC 9126 5 requirement; a client's `require_pushed_authorization_requests` adds to it. */
  readonly requirePushedRequests: boolean;
}

/**
 * Checks an authorization request in the order the specs need: first what decides whether an
 * error may be redirected at all (client, redirect_uri), then everything else, whose failures go
 * back to the client with `state` (OIDC Core 3.1.2.2, 3.1.2.6; RFC 6749 4.1.2.1).
 */
export async function validateAuthorizationRequest(
  input: unknown,
  findClient: (clientId: string) => Promise<RegisteredClient | null>,
  options: {
    /** Signed request objects (RFC 9101) are accepted when given; without, `request` is refused. */
    readonly requestObjects?: RequestObjectDeps;
    /**
     * The algorithms the server can sign ID tokens with now: an `openid` request of a client
     * registered for another is refused here, before anyone signs in for nothing.
     */
    readonly signingAlgorithms?: readonly string[];
  } = {},
  /** At /authorize; /par validates without (a pushed request cannot itself name a request_uri). */
  authorize?: AuthorizeEndpointOptions,
): Promise<{ request: AuthorizationRequest; client: RegisteredClient }> {
  // The parameters' shape is checked before any is read: nothing is trusted about `input` yet.
  const parsed = parseRawParameters(input);
  if ('problem' in parsed) throw new AuthorizationError('invalid_request', parsed.problem);
  let raw = parsed.parameters;
  let pushedRequestUriHash: string | undefined;
  // Only our own PAR URIs are looked up; any other request_uri is refused below, once the client
  // is known, so that the refusal can go back to a registered redirect_uri (RFC 9101 10.4.1).
  if (
    authorize &&
    typeof raw.request_uri === 'string' &&
    raw.request_uri.startsWith(REQUEST_URI_PREFIX)
  ) {
    ({ parameters: raw, requestUriHash: pushedRequestUriHash } = await resolvePushedRequest(
      raw,
      authorize.pushedRequests,
      authorize.now,
    ));
  }
  // Until the redirect_uri is trusted, a failure is shown to the person, not redirected.
  const responseTo: { target?: ResponseTarget } = {};
  // RFC 6749 3.1: parameters MUST NOT be included more than once.
  const single = (name: string): string | undefined => {
    const value = raw[name];
    if (Array.isArray(value))
      throw new AuthorizationError(
        'invalid_request',
        `${name} must not be repeated`,
        responseTo.target,
      );
    if (
      typeof value === 'string' &&
      value.length > (name === 'request' ? MAX_REQUEST_OBJECT_LENGTH : MAX_PARAMETER_LENGTH)
    ) {
      throw new AuthorizationError('invalid_request', `${name} is too long`, responseTo.target);
    }
    return value === '' ? undefined : (value as string | undefined);
  };

  // 1. The client.
  const clientId = single('client_id');
  if (!clientId)
    throw new AuthorizationError(
      'invalid_request',
      'The request does not say which application it is for (client_id is missing).',
    );
  const client = await findClient(clientId);
  if (!client)
    throw new AuthorizationError(
      'invalid_client',
      'The application that sent you here is not registered with this sign-in service.',
    );

  // 1a. Request objects (RFC 9101). The outer redirect_uri is ignored for the request, but when
  // it is registered a refusal may still go back to it rather than strand the person.
  const requestObject = single('request');
  const requestUri = single('request_uri');
  if (requestObject !== undefined || requestUri !== undefined) {
    const outerRedirect = single('redirect_uri');
    const outerTarget: ResponseTarget | undefined =
      outerRedirect && matchesRegisteredRedirectUri(outerRedirect, client.redirectUris)
        ? { redirectUri: outerRedirect, responseMode: 'query', state: single('state') }
        : undefined;
    if (requestObject !== undefined && requestUri !== undefined) {
      throw new AuthorizationError(
        'invalid_request',
        'request and request_uri must not both be sent',
        outerTarget,
      );
    }
    if (requestUri !== undefined) {
      // RFC 9101 10.4.1 and RFC 9126: only our own PAR URIs could ever be accepted; fetching
      // a client's URL from here would be a request-forgery vector.
      const message = requestUri.startsWith(REQUEST_URI_PREFIX)
        ? 'this request_uri is unknown or expired'
        : "request_uri is supported only with values from this server's pushed authorization request endpoint";
      throw new AuthorizationError('request_uri_not_supported', message, outerTarget);
    }
    if (!options.requestObjects)
      throw new AuthorizationError(
        'request_not_supported',
        'request objects are not supported',
        outerTarget,
      );
    try {
      // RFC 9101 5: only the object's parameters count; client_id is the one outer parameter kept.
      raw = {
        ...(await verifyRequestObject(requestObject!, client, options.requestObjects)),
        client_id: clientId,
      };
    } catch (error) {
      if (error instanceof OAuthError && !(error instanceof AuthorizationError)) {
        throw new AuthorizationError(error.error, error.description, outerTarget, error.detail);
      }
      throw error;
    }
  }

  // 2. The redirect_uri: required by OIDC Core 3.1.2.1 and matched exactly (RFC 9700 2.1).
  const redirectUri = single('redirect_uri');
  if (!redirectUri)
    throw new AuthorizationError(
      'invalid_request',
      'The request does not say where to return (redirect_uri is missing).',
    );
  if (!matchesRegisteredRedirectUri(redirectUri, client.redirectUris)) {
    throw new AuthorizationError(
      'invalid_request',
      'The return address (redirect_uri) is not registered for this application.',
    );
  }

  // 3. From here on, errors are redirected to that URI with the state.
  const state = single('state');
  const modeParam = single('response_mode');
  const responseMode: ResponseMode = RESPONSE_MODES.includes(modeParam as ResponseMode)
    ? (modeParam as ResponseMode)
    : 'query';
  responseTo.target = { redirectUri, responseMode, state };
  const fail = (
    error: ConstructorParameters<typeof AuthorizationError>[0],
    description: string,
    profileRefusal?: ProfileRefusal,
  ): never => {
    throw new AuthorizationError(error, description, responseTo.target, undefined, profileRefusal);
  };
  if (modeParam !== undefined && !RESPONSE_MODES.includes(modeParam as ResponseMode)) {
    fail('invalid_request', `response_mode must be one of ${RESPONSE_MODES.join(', ')}`);
  }

  // RFC 9126 5: a client (or a server) that requires PAR refuses every other request.
  if (
    authorize &&
    pushedRequestUriHash === undefined &&
    (authorize.requirePushedRequests || client.requirePushedAuthorizationRequests)
  ) {
    fail(
      'invalid_request',
      'this client must send its authorization requests through the pushed authorization request endpoint (RFC 9126 5)',
    );
  }

  // FAPI 2.0 SP 5.3.2.2: a FAPI client pushes its requests and uses PKCE (profiles/fapi2.ts).
  const profileProblem = fapi2AuthorizationRequestProblem(client, {
    atAuthorizeEndpoint: authorize !== undefined,
    pushed: pushedRequestUriHash !== undefined,
    codeChallenge: single('code_challenge'),
  });
  if (profileProblem) fail('invalid_request', profileProblem.description, profileProblem.refusal);

  const responseType = single('response_type');
  if (!responseType) fail('invalid_request', 'response_type is required');
  if (responseType !== 'code')
    fail('unsupported_response_type', 'only response_type=code is supported');
  if (!client.grantTypes.includes('authorization_code') || !client.responseTypes.includes('code')) {
    fail('unauthorized_client', 'this client is not registered for the authorization code flow');
  }

  const scopes = parseScope(single('scope'));
  if (scopes.length === 0)
    fail('invalid_scope', 'scope is required (include openid for OpenID Connect)');
  // Besides the OIDC scopes, the admin scope, for a client registered with it (the console):
  // the authorization flow gives it only to users holding the admin role.
  const unknown = scopes.filter(
    (s) =>
      !((SUPPORTED_SCOPES as readonly string[]).includes(s) || s === ADMIN_SCOPE) ||
      !client.scopes.includes(s),
  );
  if (unknown.length > 0)
    fail('invalid_scope', `scope not allowed for this client: ${unknown.join(' ')}`);

  // The ID token must be signable with the client's registered algorithm (and one the profile allows).
  if (scopes.includes('openid') && options.signingAlgorithms !== undefined) {
    const algProblem = idTokenAlgProblem(client, options.signingAlgorithms);
    if (algProblem) fail('unauthorized_client', algProblem.description, algProblem.profileRefusal);
  }

  // PKCE with S256 (RFC 7636, RFC 9700 2.1.1). No method means "plain". A confidential client
  // registered with require_pkce false may leave it out if it sends a nonce instead (OAuth 2.1
  // 7.5.1: the nonce then binds the code to the client's session); a challenge it does send is
  // enforced as for anyone.
  const codeChallenge = single('code_challenge');
  const method = single('code_challenge_method');
  const nonce = single('nonce');
  if (codeChallenge === undefined) {
    if (client.requirePkce) fail('invalid_request', 'code_challenge is required (PKCE with S256)');
    if (method !== undefined)
      fail('invalid_request', 'code_challenge_method was sent without code_challenge');
    if (nonce === undefined)
      fail(
        'invalid_request',
        'nonce is required when the request carries no code_challenge (PKCE)',
      );
  } else {
    if (method !== 'S256') fail('invalid_request', 'code_challenge_method must be S256');
    if (!isValidCodeChallenge(codeChallenge))
      fail('invalid_request', 'code_challenge must be 43 base64url characters');
  }

  const prompt = parseScope(single('prompt')) as PromptValue[];
  if (prompt.some((p) => !PROMPTS.includes(p)))
    fail('invalid_request', `prompt values must be among ${PROMPTS.join(', ')}`);
  if (prompt.includes('none') && prompt.length > 1)
    fail('invalid_request', 'prompt=none must not be combined with other values');

  const maxAgeText = single('max_age');
  const maxAge = maxAgeText === undefined ? undefined : Number(maxAgeText);
  if (maxAge !== undefined && (!/^\d{1,10}$/.test(maxAgeText!) || !Number.isSafeInteger(maxAge))) {
    fail('invalid_request', 'max_age must be a non-negative whole number of seconds');
  }

  const claims = parseClaimsRequest(single('claims'));
  if (claims && 'error' in claims) fail('invalid_request', claims.error as string);

  const dpopJkt = single('dpop_jkt');
  // Preferences only: a few plausible BCP 47 tags are kept (they ride in sealed page state).
  const uiLocales = parseScope(single('ui_locales'))
    .filter((tag) => tag.length <= MAX_LOCALE_TAG_LENGTH)
    .slice(0, MAX_UI_LOCALES);
  if (dpopJkt !== undefined && !isValidJkt(dpopJkt))
    fail('invalid_request', 'dpop_jkt must be a base64url SHA-256 JWK thumbprint (RFC 9449 10)');

  const resources =
    raw.resource === undefined ? [] : ([] as string[]).concat(raw.resource as string | string[]);
  for (const resource of resources) {
    const problem = clientResourceProblem(client, resource);
    if (problem) fail('invalid_target', problem);
  }

  return {
    client,
    request: {
      clientId: client.clientId,
      redirectUri,
      responseMode,
      state,
      scopes,
      nonce,
      codeChallenge,
      prompt,
      maxAge,
      loginHint: single('login_hint'),
      idTokenHint: single('id_token_hint'),
      acrValues: parseScope(single('acr_values')),
      // From here on (consent, codes, tokens) only the claims the client's registration allows.
      claims: permittedClaimsRequest(claims as AuthorizationRequest['claims'], client.scopes),
      resources,
      ...(pushedRequestUriHash === undefined ? {} : { pushedRequestUriHash }),
      ...(dpopJkt === undefined ? {} : { dpopJkt }),
      ...(uiLocales.length === 0 ? {} : { uiLocales }),
    },
  };
}
