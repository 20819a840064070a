/**
 * The ports of the protocol core: what it and the server need from storage, signing and time.
 * `packages/db` implements the stores on SQLite and PostgreSQL, `../testing` in memory; the
 * conformance suites there hold every implementation to the contracts written here.
 */
export type { Clock } from './clock.js';
export type { TokenSigner } from './token-signer.js';
export { StoreError } from './store-error.js';
export type { ClientChangeActor, ClientStore } from './client-store.js';
export { auditActor } from './client-store.js';
export type { UserStore, NewUser, UserChange } from './user-store.js';
export type {
  BrowserSessionStore,
  BrowserSessionRecord,
  EndedSession,
  ListedSession,
  ActiveSession,
  ActiveSessionQuery,
} from './browser-session-store.js';
export type { ConsentStore, ConsentRecord } from './consent-store.js';
export type { LogoutDelivery, LogoutDeliveryStore } from './logout-delivery-store.js';
export { matchesSearch, type PageQuery } from './page-query.js';
export type { SingleUseStore } from './single-use-store.js';
export {
  ClientJwtRejected,
  type ClientJwtVerifier,
  type ClientSignedJwt,
} from './client-jwt-verifier.js';
export type {
  PushedRequestStore,
  PushedRequestRecord,
  FoundPushedRequest,
} from './pushed-request-store.js';
export type { AuditLog, AuditRecord, AuditEventView, AuditQuery } from './audit-log.js';
export type {
  AuthorizationCodeStore,
  AuthorizationCodeRecord,
  FoundAuthorizationCode,
} from './authorization-code-store.js';
export type {
  TokenFamilyStore,
  TokenFamilyRecord,
  AccessTokenState,
} from './token-family-store.js';
export type {
  RefreshTokenStore,
  RefreshTokenRecord,
  NewRefreshToken,
  StoredSuccessor,
  RotationResult,
} from './refresh-token-store.js';
export type {
  DeviceAuthorizationStore,
  DeviceAuthorizationRecord,
  DeviceAuthorizationStatus,
  DeviceApproval,
  FoundDeviceAuthorization,
} from './device-authorization-store.js';
export type { GarbageCollector, CollectionResult } from './garbage-collector.js';
export type {
  EmailTokenStore,
  EmailTokenRecord,
  EmailTokenPurpose,
  EmailTokenUse,
  LiveEmailToken,
} from './email-token-store.js';
export type {
  ClientRegistrationStore,
  ClientRegistrationRecord,
  InitialAccessTokenRecord,
  RegistrationActor,
} from './client-registration-store.js';
export type {
  OneTimeCodeStore,
  OneTimeCodeFactor,
  FactorChange,
  FailurePolicy,
} from './one-time-code-store.js';
export type {
  PasskeyStore,
  PasskeyRecord,
  NewPasskey,
  PasskeyUse,
  PasskeyActor,
  PasskeyDeviceType,
} from './passkey-store.js';
