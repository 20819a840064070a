/**
 * @module @idp/keys
 * Signing keys: generation (RSA, P-256 and Ed25519; kid = RFC 7638 thumbprint), encryption at
 * rest (AES-256-GCM), the pending -> active -> retired -> removed lifecycle (plus revoked) per
 * algorithm, the JWKS document, and signing (node:crypto, compact-jws.ts) and verification (jose).
 */
export { type Clock, systemClock } from './clock.js';
export { KeyError, type KeyErrorCode } from './key-error.js';
export {
  SIGNING_ALGORITHMS,
  isSigningAlgorithm,
  isDeterministic,
  type SigningAlgorithm,
} from './signing-algorithm.js';
export type { StoredSigningKey, KeyState, PublicSigningJwk } from './signing-key.js';
export type { SigningKeyStore } from './signing-key-store.js';
export type { KeySetChange, KeyUpdate, KeyEvent } from './key-set-change.js';
export {
  keyState,
  keyTimeline,
  activeKey,
  nextTransition,
  type KeyPolicy,
  type KeyTimeline,
} from './key-lifecycle.js';
export {
  planRotation,
  planBootstrap,
  planRetire,
  planRevoke,
  type NewKey,
  type RotationResult,
  type SupersededKey,
} from './key-plans.js';
export { encryptPrivateKey, decryptPrivateKey } from './key-encryption.js';
export {
  loadOrCreateKeyEncryptionKey,
  type KeyEncryptionKeyFile,
} from './key-encryption-key-file.js';
export { generateSigningKey, type RsaKeySize } from './generate-signing-key.js';
export { buildJwksDocument, type JwksDocument } from './jwks-document.js';
export { KeyRing, type SignOptions, type VerifyOptions } from './key-ring.js';
export { SigningKeys, type SigningKeyPolicy, type SigningKeyView } from './signing-keys.js';
export { ClientKeySets, type ClientKeySetsOptions } from './client-key-sets.js';
