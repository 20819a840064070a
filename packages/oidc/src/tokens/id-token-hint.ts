/** What the ID token reader needs: a signature check by our current keys that lets expiry pass. */
export interface IdTokenHintVerifier {
  verify(
    token: string,
    options: { readonly issuer: string; readonly allowExpired: true },
  ): Promise<{ payload: Record<string, unknown>; protectedHeader: { typ?: string } }>;
}

/** Who an ID token we issued names, and for which client. */
export interface IdTokenHint {
  readonly subject: string;
  readonly clientId: string;
}

/** RFC 7519 5.1 / RFC 7515 4.1.9: "JWT" in any case, with or without "application/". */
function isPlainJwtTyp(typ: string | undefined): boolean {
  if (typ === undefined) return true;
  const lower = typ.toLowerCase();
  return lower === 'jwt' || lower === 'application/jwt';
}

/**
 * Reads an id_token_hint (OIDC Core 3.1.2.1, RP-Initiated Logout 2): an ID token we signed with a
 * current key, expired or not (a hint is typically an old token). Anything else is undefined,
 * in particular our access tokens (`typ: at+jwt`) and refresh tokens (`typ: rt+jwt`), which
 * carry the same `iss` and `sub` and would otherwise pass for the person's ID token. An ID token
 * has no `typ` (or plain JWT) and one audience, its client (OIDC Core 2), never the issuer.
 */
export async function readIdTokenHint(
  hint: string,
  deps: { verifier: IdTokenHintVerifier; issuer: string },
): Promise<IdTokenHint | undefined> {
  let verified: Awaited<ReturnType<IdTokenHintVerifier['verify']>>;
  try {
    verified = await deps.verifier.verify(hint, { issuer: deps.issuer, allowExpired: true });
  } catch {
    return undefined;
  }
  const { payload, protectedHeader } = verified;
  if (!isPlainJwtTyp(protectedHeader.typ)) return undefined;
  const audiences =
    typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
  const clientId = audiences[0];
  if (
    audiences.length !== 1 ||
    typeof clientId !== 'string' ||
    clientId === '' ||
    clientId === deps.issuer
  )
    return undefined;
  if (payload.azp !== undefined && payload.azp !== clientId) return undefined;
  if (typeof payload.sub !== 'string' || payload.sub === '') return undefined;
  return { subject: payload.sub, clientId };
}
