import type { RegisteredClient } from '../clients/registered-client.js';
import type { IdTokenHint } from '../tokens/id-token-hint.js';

/** The parameters of an RP-Initiated Logout request (RP-Initiated Logout 1.0, 2), each sent once. */
export type LogoutParameters = Readonly<Record<string, string | undefined>>;

/** Where to send the person once signed out: a registered post_logout_redirect_uri, or nowhere. */
export interface LogoutTarget {
  readonly postLogoutRedirectUri: string | undefined;
  readonly state: string | undefined;
}

/** A logout request that passed every check, or the plain-words reason it did not. */
export type CheckedLogoutRequest =
  | { readonly ok: true; readonly target: LogoutTarget }
  | { readonly ok: false; readonly problem: string };

/**
 * The client a logout request names, by client_id or through its id_token_hint: the one to look
 * up. Undefined when it names none, or when the request fails before any lookup would matter
 * (a hint we did not issue, two different clients).
 */
export function logoutClientId(
  params: LogoutParameters,
  hint: IdTokenHint | undefined,
): string | undefined {
  if (params.id_token_hint && !hint) return undefined;
  if (params.client_id && hint && params.client_id !== hint.clientId) return undefined;
  return params.client_id ?? hint?.clientId;
}

/**
 * Checks a logout request (RP-Initiated Logout 1.0, 2, 3): an id_token_hint must be an ID token
 * we issued (`hint` is what readIdTokenHint made of it), client_id and the hint must agree, the
 * client must exist (`client`: the lookup of `logoutClientId`), and a post_logout_redirect_uri is
 * honoured only if registered for that client, exactly.
 */
export function checkLogoutRequest(input: {
  readonly params: LogoutParameters;
  readonly hint: IdTokenHint | undefined;
  readonly client: RegisteredClient | null;
}): CheckedLogoutRequest {
  const { params, hint, client } = input;
  if (params.id_token_hint && !hint)
    return {
      ok: false,
      problem: 'The sign-out request carries an ID token this server did not issue.',
    };
  if (params.client_id && hint && params.client_id !== hint.clientId) {
    return { ok: false, problem: 'The sign-out request names two different applications.' };
  }
  const clientId = params.client_id ?? hint?.clientId;
  if (clientId && (!client || client.clientId !== clientId))
    return { ok: false, problem: 'The application that sent you here is not registered.' };
  const target = params.post_logout_redirect_uri;
  if (target && (!client || !client.postLogoutRedirectUris.includes(target))) {
    return {
      ok: false,
      problem: 'The address to return to after signing out is not registered for this application.',
    };
  }
  return { ok: true, target: { postLogoutRedirectUri: target, state: params.state } };
}
