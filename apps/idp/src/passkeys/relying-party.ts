/**
 * The WebAuthn Relying Party this server is (WebAuthn L3 5.1.2 / 13.4.9): its id is the issuer's
 * host name (no port, no path), so every passkey is bound to the issuer's domain, and the only
 * origin accepted in client data is the issuer's origin (WebAuthn L3 7.1 step 9, 7.2 step 13).
 */
export interface RelyingParty {
  readonly id: string;
  readonly origin: string;
  /** Shown by some authenticators next to the account. */
  readonly name: string;
}

export function relyingPartyOf(issuer: string): RelyingParty {
  const url = new URL(issuer);
  return { id: url.hostname, origin: url.origin, name: url.hostname };
}
