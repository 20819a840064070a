import type { AuditLog } from '../ports/audit-log.js';
import type { AuthorizationCodeStore } from '../ports/authorization-code-store.js';
import type { BrowserSessionStore } from '../ports/browser-session-store.js';
import type { ClientRegistrationStore } from '../ports/client-registration-store.js';
import type { ClientStore } from '../ports/client-store.js';
import type { ConsentStore } from '../ports/consent-store.js';
import type { DeviceAuthorizationStore } from '../ports/device-authorization-store.js';
import type { EmailTokenStore } from '../ports/email-token-store.js';
import type { OneTimeCodeStore } from '../ports/one-time-code-store.js';
import type { PasskeyStore } from '../ports/passkey-store.js';
import type { SingleUseStore } from '../ports/single-use-store.js';
import type { PushedRequestStore } from '../ports/pushed-request-store.js';
import type { GarbageCollector } from '../ports/garbage-collector.js';
import type { RefreshTokenStore } from '../ports/refresh-token-store.js';
import type { TokenFamilyStore } from '../ports/token-family-store.js';
import type { UserStore } from '../ports/user-store.js';
import type { LogoutDeliveryStore } from '../ports/logout-delivery-store.js';
import { MemoryLogoutDeliveryStore } from './memory-logout-delivery-store.js';
import { MemoryAuditLog } from './memory-audit-log.js';
import { MemoryAuthorizationCodeStore } from './memory-authorization-code-store.js';
import { MemoryBrowserSessionStore } from './memory-browser-session-store.js';
import { MemoryClientRegistrationStore } from './memory-client-registration-store.js';
import { MemoryClientStore } from './memory-client-store.js';
import { MemoryConsentStore } from './memory-consent-store.js';
import { MemoryDeviceAuthorizationStore } from './memory-device-authorization-store.js';
import { MemoryEmailTokenStore } from './memory-email-token-store.js';
import { MemoryOneTimeCodeStore } from './memory-one-time-code-store.js';
import { MemoryPasskeyStore } from './memory-passkey-store.js';
import { MemorySingleUseStore } from './memory-single-use-store.js';
import { MemoryPushedRequestStore } from './memory-pushed-request-store.js';
import { MemoryGarbageCollector } from './memory-garbage-collector.js';
import { MemoryRefreshTokenStore } from './memory-refresh-token-store.js';
import { MemoryTables } from './memory-tables.js';
import { MemoryTokenFamilyStore } from './memory-token-family-store.js';
import { MemoryUserStore } from './memory-user-store.js';

/**
 * Every store of the core, on one database. The conformance suites take a set, not a single
 * store, because the contracts span stores (a code's redemption creates a family, a user's
 * revocation ends their sessions) and seeding goes through the ports too.
 */
export interface StoreSet {
  readonly clients: ClientStore;
  readonly users: UserStore;
  readonly sessions: BrowserSessionStore;
  readonly consents: ConsentStore;
  readonly codes: AuthorizationCodeStore;
  readonly families: TokenFamilyStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly audit: AuditLog;
  readonly singleUseIds: SingleUseStore;
  readonly pushedRequests: PushedRequestStore;
  readonly deviceAuthorizations: DeviceAuthorizationStore;
  readonly emailTokens: EmailTokenStore;
  readonly oneTimeCodes: OneTimeCodeStore;
  readonly passkeys: PasskeyStore;
  readonly registrations: ClientRegistrationStore;
  readonly logoutDeliveries: LogoutDeliveryStore;
  readonly collector: GarbageCollector;
}

/** A store set opened for a suite; `close` releases (and, for scratch databases, drops) it. */
export type OpenStoreSet = () => Promise<StoreSet & { close(): Promise<void> }>;

/** Every store in memory, sharing one set of tables. */
export function createMemoryStores(): StoreSet {
  const tables = new MemoryTables();
  return {
    clients: new MemoryClientStore(tables),
    users: new MemoryUserStore(tables),
    sessions: new MemoryBrowserSessionStore(tables),
    consents: new MemoryConsentStore(tables),
    codes: new MemoryAuthorizationCodeStore(tables),
    families: new MemoryTokenFamilyStore(tables),
    refreshTokens: new MemoryRefreshTokenStore(tables),
    audit: new MemoryAuditLog(tables),
    singleUseIds: new MemorySingleUseStore(tables),
    pushedRequests: new MemoryPushedRequestStore(tables),
    deviceAuthorizations: new MemoryDeviceAuthorizationStore(tables),
    emailTokens: new MemoryEmailTokenStore(tables),
    oneTimeCodes: new MemoryOneTimeCodeStore(tables),
    passkeys: new MemoryPasskeyStore(tables),
    registrations: new MemoryClientRegistrationStore(tables),
    logoutDeliveries: new MemoryLogoutDeliveryStore(tables),
    collector: new MemoryGarbageCollector(tables),
  };
}
