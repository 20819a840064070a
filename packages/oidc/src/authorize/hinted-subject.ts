import { readIdTokenHint, type IdTokenHintVerifier } from '../tokens/id-token-hint.js';
import { AuthorizationError } from './authorization-error.js';
import type { AuthorizationRequest } from './authorization-request.js';

/**
 * The subject of the request's id_token_hint (OIDC Core 3.1.2.1), for nextStep to compare with
 * the signed-in person; undefined when none was sent. A hint that is not an ID token we issued
 * is invalid_request, sent back to the client: its redirect_uri is trusted by now.
 */
export async function hintedSubject(
  request: AuthorizationRequest,
  deps: { readonly verifier: IdTokenHintVerifier; readonly issuer: string },
): Promise<string | undefined> {
  if (!request.idTokenHint) return undefined;
  const hint = await readIdTokenHint(request.idTokenHint, deps);
  if (!hint)
    throw new AuthorizationError(
      'invalid_request',
      'id_token_hint is not an ID token issued by this server',
      request,
    );
  return hint.subject;
}
