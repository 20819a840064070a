import type { AuthorizationRequest } from '@idp/oidc';
import type { webcrypto } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';

/**
 * What the login and consent forms carry between requests: the validated authorization request,
 * the CSRF token it is bound to, and what happened so far. Sealed with A256GCM (authenticated
 * encryption), so the browser can neither read nor alter it; every instance can open it.
 */
export interface InteractionState {
  /** Random; accepting the form consumes it, so each page can be submitted once (submitted-form.ts). */
  readonly id: string;
  readonly request: AuthorizationRequest;
  readonly csrf: string;
  /** Set once the person signed in during this interaction (prompt=login is then satisfied). */
  readonly authenticated: boolean;
  /** Milliseconds since the epoch; interactions expire. */
  readonly expiresAt: number;
  /** Set when the interaction approves a device (RFC 8628) rather than issuing a code. */
  readonly device?: DeviceInteraction;
  /** Set on the one-time-code page: whose second factor it asks for. */
  readonly secondFactor?: PendingSecondFactor;
}

/**
 * A sign-in waiting for its second factor: the user whose password was just accepted (no
 * session exists yet), or, for a step-up, the session that has the password and lacks the code.
 */
export interface PendingSecondFactor {
  readonly userId: string;
  /** The step-up's session (its id hash); absent after a password typed in this interaction. */
  readonly sessionId?: string;
}

/** The device authorization an interaction decides, by the hash of its device code. */
export interface DeviceInteraction {
  readonly deviceCodeHash: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Seals any state that must round-trip through the browser unread and unaltered. `cty` names
 * the kind, so a sealed logout request can never be opened as a login interaction.
 */
export async function seal(
  kind: string,
  state: { expiresAt: number },
  key: webcrypto.CryptoKey,
): Promise<string> {
  return new CompactEncrypt(encoder.encode(JSON.stringify(state)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: kind })
    .encrypt(key);
}

/** Opens a sealed state of `kind`; undefined when tampered with, of another kind, malformed or expired. */
export async function unseal<T extends { expiresAt: number }>(
  kind: string,
  sealed: string,
  key: webcrypto.CryptoKey,
  now: number,
): Promise<T | undefined> {
  try {
    const { plaintext, protectedHeader } = await compactDecrypt(sealed, key, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    if (protectedHeader.cty !== kind) return undefined;
    const state = JSON.parse(decoder.decode(plaintext)) as T;
    return now < state.expiresAt ? state : undefined;
  } catch {
    return undefined;
  }
}

export function sealInteraction(
  state: InteractionState,
  key: webcrypto.CryptoKey,
): Promise<string> {
  return seal('idp-interaction', state, key);
}

export async function openInteraction(
  sealed: string,
  key: webcrypto.CryptoKey,
  now: number,
): Promise<InteractionState | undefined> {
  const state = await unseal<InteractionState>('idp-interaction', sealed, key, now);
  // A state sealed before interactions carried an id cannot be consumed: treated as expired.
  return typeof state?.id === 'string' && state.id !== '' ? state : undefined;
}
