/**
 * @module @idp/keys/testing
 * Test support: a manual clock, the in-memory reference store and the store conformance suite.
 */
export { ManualClock } from './manual-clock.js';
export { MemorySigningKeyStore } from './memory-signing-key-store.js';
export { signingKeyStoreConformance } from './signing-key-store-conformance.js';
