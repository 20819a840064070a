import { describeAuditLogConformance } from './audit-log-conformance.js';
import { describeAuthorizationCodeStoreConformance } from './authorization-code-store-conformance.js';
import { describeBrowserSessionStoreConformance } from './browser-session-store-conformance.js';
import { describeClientRegistrationStoreConformance } from './client-registration-store-conformance.js';
import { describeClientStoreConformance } from './client-store-conformance.js';
import { describeConsentStoreConformance } from './consent-store-conformance.js';
import { describeDeviceAuthorizationStoreConformance } from './device-authorization-store-conformance.js';
import { describeEmailTokenStoreConformance } from './email-token-store-conformance.js';
import { describeOneTimeCodeStoreConformance } from './one-time-code-store-conformance.js';
import { describePasskeyStoreConformance } from './passkey-store-conformance.js';
import { describeSingleUseStoreConformance } from './single-use-store-conformance.js';
import { describePushedRequestStoreConformance } from './pushed-request-store-conformance.js';
import { describeGarbageCollectorConformance } from './garbage-collector-conformance.js';
import { describeRefreshTokenStoreConformance } from './refresh-token-store-conformance.js';
import { describeTokenFamilyStoreConformance } from './token-family-store-conformance.js';
import { describeUserStoreConformance } from './user-store-conformance.js';
import { describeLogoutDeliveryStoreConformance } from './logout-delivery-store-conformance.js';

/** Every port's conformance suite, each on a store set of its own from `open`. */
export function describeStoreConformance(
  name: string,
  open: Parameters<typeof describeClientStoreConformance>[1],
): void {
  describeClientStoreConformance(name, open);
  describeUserStoreConformance(name, open);
  describeBrowserSessionStoreConformance(name, open);
  describeConsentStoreConformance(name, open);
  describeAuthorizationCodeStoreConformance(name, open);
  describeTokenFamilyStoreConformance(name, open);
  describeRefreshTokenStoreConformance(name, open);
  describeAuditLogConformance(name, open);
  describeSingleUseStoreConformance(name, open);
  describePushedRequestStoreConformance(name, open);
  describeDeviceAuthorizationStoreConformance(name, open);
  describeEmailTokenStoreConformance(name, open);
  describeOneTimeCodeStoreConformance(name, open);
  describePasskeyStoreConformance(name, open);
  describeClientRegistrationStoreConformance(name, open);
  describeLogoutDeliveryStoreConformance(name, open);
  describeGarbageCollectorConformance(name, open);
}
