import type { AuthorizationRequest } from '@idp/oidc';
import { CompactEncrypt, compactDecrypt } from 'jose';

/**
 * What the login and consent forms carry between requests: the validated authorization request,
 * the CSRF token it is bound to, and what happened so far. Sealed with A256GCM (authenticated
 * encryption), so the browser can neither read nor alter it; every instance can open it.
 */
export interface InteractionState {
  readonly request: AuthorizationRequest;
  readonly csrf: string;
  /** Set once the person signed in during this interaction (prompt=login is then satisfied). */
  readonly authenticated: boolean;
  /** Milliseconds since the epoch; interactions expire. */
  readonly expiresAt: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function sealInteraction(state: InteractionState, key: Uint8Array): Promise<string> {
  return new CompactEncrypt(encoder.encode(JSON.stringify(state)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'idp-interaction' })
    .encrypt(key);
}

/** Opens a sealed state; undefined when tampered with, malformed or expired. */
export async function openInteraction(sealed: string, key: Uint8Array, now: number): Promise<InteractionState | undefined> {
  try {
    const { plaintext } = await compactDecrypt(sealed, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    const state = JSON.parse(decoder.decode(plaintext)) as InteractionState;
    return now < state.expiresAt ? state : undefined;
  } catch {
    return undefined;
  }
}
