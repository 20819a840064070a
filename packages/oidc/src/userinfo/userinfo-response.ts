import { OAuthError } from '../errors/oauth-error.js';
import type { ClientStore, TokenSigner } from '../ports/index.js';
import { userinfoRelease, type TokenPresentation, type UserinfoDeps } from './userinfo.js';

/** What a signed UserInfo response needs besides the claims: the client and our keys. */
export interface UserinfoResponseDeps extends UserinfoDeps {
  readonly clients: Pick<ClientStore, 'findById'>;
  readonly signer: Pick<TokenSigner, 'sign' | 'signingAlgorithms'>;
}

/**
 * The UserInfo response body: the claims as JSON (OIDC Core 5.3.2), or, for a client that
 * registered `userinfo_signed_response_alg`, a JWT of them signed with that algorithm's active
 * key (`application/jwt`), with `iss` and `aud` added as 5.3.2 asks. No `exp`: the response is
 * read once, at once, by the client that asked.
 */
export type UserinfoResponse =
  | { readonly format: 'json'; readonly claims: Record<string, unknown> }
  | { readonly format: 'jwt'; readonly jwt: string };

/**
 * `userinfoClaims`, answered in the form the token's client registered. A client whose algorithm
 * has no active key any more (taken out of IDP_SIGNING_ALGORITHMS after it registered) gets
 * `unauthorized_client`, as its token requests do for an ID token algorithm: it asked for a
 * signature, so plain JSON would not do, and the fault is its registration, not the request.
 */
export async function userinfoResponse(
  accessToken: string,
  deps: UserinfoResponseDeps,
  presentation?: TokenPresentation,
): Promise<UserinfoResponse> {
  const { claims, clientId } = await userinfoRelease(accessToken, deps, presentation);
  const client = await deps.clients.findById(clientId);
  // Removing a client removes its token families, so this is a race with that removal.
  if (!client) throw new OAuthError('invalid_token', 'The client of this access token is gone.');
  const alg = client.userinfoSignedResponseAlg;
  if (!alg) return { format: 'json', claims };
  const signable = deps.signer.signingAlgorithms();
  if (!signable.includes(alg))
    throw new OAuthError(
      'unauthorized_client',
      `this server does not sign with ${alg}, the userinfo_signed_response_alg registered for this client; it signs with ${signable.join(', ')}`,
    );
  const jwt = await deps.signer.sign(
    { ...claims, iss: deps.issuer, aud: client.clientId },
    { alg },
  );
  return { format: 'jwt', jwt };
}
