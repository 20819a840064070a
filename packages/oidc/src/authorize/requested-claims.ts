import { SCOPE_CLAIMS } from '../scopes/scopes.js';
import type { ClaimsRequest } from '../tokens/claims-request.js';

/** The scope that carries each user claim (OIDC Core 5.4), e.g. `email` -> `email`. */
const SCOPE_OF_CLAIM: ReadonlyMap<string, string> = new Map(
  Object.entries(SCOPE_CLAIMS).flatMap(([scope, claims]) =>
    claims.map((claim) => [claim, scope] as const),
  ),
);

/** What a person allowed a client: scopes, and user claims asked for one by one (OIDC Core 5.5). */
export interface ConsentGrant {
  readonly scopes: readonly string[];
  readonly claims: readonly string[];
}

/**
 * The `claims` request (OIDC Core 5.5) cut down to what the client may ask for: a user claim stays
 * only if the scope that carries it is registered for the client, so `claims` cannot reach data
 * its registration does not allow. Other members (acr, auth_time) are not user data and stay.
 * Dropping is silent: OIDC Core 5.5 lets the OP decline to return requested claims.
 */
export function permittedClaimsRequest(
  claims: ClaimsRequest | undefined,
  clientScopes: readonly string[],
): ClaimsRequest | undefined {
  if (!claims) return undefined;
  const allowed = (name: string) => {
    const scope = SCOPE_OF_CLAIM.get(name);
    return scope === undefined || clientScopes.includes(scope);
  };
  const keep = (members: ClaimsRequest['userinfo']) =>
    members === undefined
      ? undefined
      : Object.fromEntries(Object.entries(members).filter(([name]) => allowed(name)));
  const userinfo = keep(claims.userinfo);
  const idToken = keep(claims.id_token);
  return { ...(userinfo ? { userinfo } : {}), ...(idToken ? { id_token: idToken } : {}) };
}

/**
 * The user claims a request names in `claims` beyond those its scopes release: what the consent
 * page must list besides the scopes, and the consent must cover. Sorted, each once.
 */
export function claimsBeyondScopes(
  scopes: readonly string[],
  claims: ClaimsRequest | undefined,
): string[] {
  const named = [...Object.keys(claims?.userinfo ?? {}), ...Object.keys(claims?.id_token ?? {})];
  return [...new Set(named)]
    .filter((name) => {
      const scope = SCOPE_OF_CLAIM.get(name);
      return scope !== undefined && !scopes.includes(scope);
    })
    .sort();
}

/**
 * Whether what the person granted covers a request: every scope, and every claim named beyond
 * them, either granted one by one or carried by a granted scope.
 */
export function consentCovers(
  granted: ConsentGrant,
  request: { readonly scopes: readonly string[]; readonly claims: ClaimsRequest | undefined },
): boolean {
  if (!request.scopes.every((scope) => granted.scopes.includes(scope))) return false;
  return claimsBeyondScopes(request.scopes, request.claims).every(
    (claim) =>
      granted.claims.includes(claim) || granted.scopes.includes(SCOPE_OF_CLAIM.get(claim)!),
  );
}
