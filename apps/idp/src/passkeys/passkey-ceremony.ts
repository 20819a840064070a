import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { NewPasskey, PasskeyRecord, UserAccount } from '@idp/oidc';
import type { RelyingParty } from './relying-party.js';

const TIMEOUT_MS = 5 * 60_000;

/** The user handle (WebAuthn L3 5.4.3): the user's id, which is random and says nothing about them. */
export function userHandleOf(userId: string): string {
  return Buffer.from(userId, 'utf8').toString('base64url');
}

/**
 * Options for a discoverable-credential sign-in (WebAuthn L3 5.5): no allowCredentials, so the
 * authenticator offers whichever passkeys it holds for this RP; user verification required, so a
 * passkey alone is two factors (something held, something known or been: RFC 8176 hwk + user).
 * As a second factor the user is known: `allow` lists their passkeys (WebAuthn L3 5.5
 * allowCredentials), so the browser offers only those.
 */
export function authenticationOptions(
  rp: RelyingParty,
  challenge: string,
  allow?: readonly PasskeyRecord[],
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge: Buffer.from(challenge, 'base64url'),
    userVerification: 'required',
    timeout: TIMEOUT_MS,
    ...(allow
      ? {
          allowCredentials: allow.map((p) => ({
            id: p.credentialId,
            transports: p.transports as AuthenticatorTransportFuture[],
          })),
        }
      : {}),
  });
}

/** Options to create a discoverable passkey for `user`, excluding the ones they have already. */
export function registrationOptions(
  rp: RelyingParty,
  challenge: string,
  user: UserAccount,
  existing: readonly PasskeyRecord[],
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: Buffer.from(user.id, 'utf8'),
    userName: user.email,
    userDisplayName: typeof user.claims.name === 'string' ? user.claims.name : user.email,
    challenge: Buffer.from(challenge, 'base64url'),
    timeout: TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({
      id: p.credentialId,
      transports: p.transports as AuthenticatorTransportFuture[],
    })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

/** Parses a credential the browser posted as JSON; undefined when it is not one. */
export function parseCredential<T extends AuthenticationResponseJSON | RegistrationResponseJSON>(
  posted: unknown,
): T | undefined {
  if (typeof posted !== 'string' || posted.length > 16_384) return undefined;
  try {
    const value = JSON.parse(posted) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const { id, rawId, type, response } = value as Record<string, unknown>;
    const ok =
      typeof id === 'string' &&
      typeof rawId === 'string' &&
      type === 'public-key' &&
      typeof response === 'object' &&
      response !== null;
    return ok ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Why an assertion was refused, for the logs and audit trail (never shown in detail). */
export type AssertionRefusal =
  'unknown_credential' | 'user_mismatch' | 'invalid_assertion' | 'counter_regressed';

/**
 * Verifies a sign-in assertion (WebAuthn L3 7.2) against the stored passkey: challenge, origin,
 * RP id hash, user presence and verification, signature, and that the user handle the
 * authenticator returned names the passkey's owner (step 6). The new counter is for `recordUse`.
 */
export async function verifyAssertion(
  rp: RelyingParty,
  challenge: string,
  response: AuthenticationResponseJSON,
  passkey: PasskeyRecord | null,
): Promise<
  | { ok: true; counter: number; backedUp: boolean }
  | { ok: false; reason: AssertionRefusal; detail?: string }
> {
  if (!passkey) return { ok: false, reason: 'unknown_credential' };
  const handle = response.response.userHandle;
  if (handle !== undefined && handle !== userHandleOf(passkey.userId))
    return { ok: false, reason: 'user_mismatch' };
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: Buffer.from(passkey.publicKey, 'base64url'),
        counter: passkey.counter,
        transports: passkey.transports as AuthenticatorTransportFuture[],
      },
    });
    if (!verified) return { ok: false, reason: 'invalid_assertion' };
    return {
      ok: true,
      counter: authenticationInfo.newCounter,
      backedUp: authenticationInfo.credentialBackedUp,
    };
  } catch (error) {
    return { ok: false, reason: 'invalid_assertion', detail: (error as Error).message };
  }
}

/** Verifies a registration (WebAuthn L3 7.1); the passkey to store, or why not. */
export async function verifyRegistration(
  rp: RelyingParty,
  challenge: string,
  response: RegistrationResponseJSON,
  userId: string,
  name: string,
): Promise<{ ok: true; passkey: NewPasskey } | { ok: false; detail: string }> {
  try {
    const { verified, registrationInfo } = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
    if (!verified || !registrationInfo) return { ok: false, detail: 'not verified' };
    const { credential, credentialDeviceType, credentialBackedUp } = registrationInfo;
    return {
      ok: true,
      passkey: {
        credentialId: credential.id,
        userId,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? response.response.transports ?? [],
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
        name,
      },
    };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
