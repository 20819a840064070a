/**
 * @module @idp/oidc/testing
 * Test support: in-memory reference implementations of every store port, and one conformance
 * suite per port that any implementation (memory, SQLite, PostgreSQL) runs from its own tests.
 */
export { createMemoryStores, type StoreSet, type OpenStoreSet } from './store-set.js';
export { MemoryTables } from './memory-tables.js';
export { MemoryClientStore } from './memory-client-store.js';
export { MemoryUserStore } from './memory-user-store.js';
export { MemoryBrowserSessionStore } from './memory-browser-session-store.js';
export { MemoryConsentStore } from './memory-consent-store.js';
export { MemoryAuthorizationCodeStore } from './memory-authorization-code-store.js';
export { MemoryTokenFamilyStore } from './memory-token-family-store.js';
export { MemoryRefreshTokenStore } from './memory-refresh-token-store.js';
export { MemoryAuditLog } from './memory-audit-log.js';
export { MemorySingleUseStore } from './memory-single-use-store.js';
export { MemoryPushedRequestStore } from './memory-pushed-request-store.js';
export { MemoryGarbageCollector } from './memory-garbage-collector.js';
export { MemoryDeviceAuthorizationStore } from './memory-device-authorization-store.js';
export { MemoryEmailTokenStore } from './memory-email-token-store.js';
export { MemoryOneTimeCodeStore } from './memory-one-time-code-store.js';
export { describeClientStoreConformance } from './client-store-conformance.js';
export { describeUserStoreConformance } from './user-store-conformance.js';
export { describeBrowserSessionStoreConformance } from './browser-session-store-conformance.js';
export { describeConsentStoreConformance } from './consent-store-conformance.js';
export { describeAuthorizationCodeStoreConformance } from './authorization-code-store-conformance.js';
export { describeTokenFamilyStoreConformance } from './token-family-store-conformance.js';
export { describeRefreshTokenStoreConformance } from './refresh-token-store-conformance.js';
export { describeAuditLogConformance } from './audit-log-conformance.js';
export { describeSingleUseStoreConformance } from './single-use-store-conformance.js';
export { describePushedRequestStoreConformance } from './pushed-request-store-conformance.js';
export { describeGarbageCollectorConformance } from './garbage-collector-conformance.js';
export { describeDeviceAuthorizationStoreConformance } from './device-authorization-store-conformance.js';
export { describeEmailTokenStoreConformance } from './email-token-store-conformance.js';
export { describeOneTimeCodeStoreConformance } from './one-time-code-store-conformance.js';
export { MemoryClientRegistrationStore } from './memory-client-registration-store.js';
export { describeClientRegistrationStoreConformance } from './client-registration-store-conformance.js';
export { MemoryPasskeyStore } from './memory-passkey-store.js';
export { MemoryLogoutDeliveryStore } from './memory-logout-delivery-store.js';
export { describeLogoutDeliveryStoreConformance } from './logout-delivery-store-conformance.js';
export { describePasskeyStoreConformance } from './passkey-store-conformance.js';
export { describeStoreConformance } from './store-conformance.js';
