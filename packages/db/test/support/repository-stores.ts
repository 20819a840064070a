import type { StoreSet } from '@idp/oidc/testing';
import {
  AuditLog,
  AuthorizationCodeRepository,
  ClientRegistrationRepository,
  ClientRepository,
  ConsentRepository,
  DeviceAuthorizationRepository,
  EmailTokenRepository,
  OneTimeCodeRepository,
  PasskeyRepository,
  LogoutDeliveryRepository,
  SingleUseRepository,
  PushedRequestRepository,
  GarbageCollector,
  RefreshTokenRepository,
  SessionRepository,
  TokenFamilyRepository,
  UserRepository,
  type Database,
} from '../../src/index.js';

/** Every repository on one database, as the store set the conformance suites take. */
export function repositoryStores(db: Database): StoreSet {
  return {
    clients: new ClientRepository(db),
    users: new UserRepository(db),
    sessions: new SessionRepository(db),
    consents: new ConsentRepository(db),
    codes: new AuthorizationCodeRepository(db),
    families: new TokenFamilyRepository(db),
    refreshTokens: new RefreshTokenRepository(db),
    audit: new AuditLog(db),
    singleUseIds: new SingleUseRepository(db),
    pushedRequests: new PushedRequestRepository(db),
    deviceAuthorizations: new DeviceAuthorizationRepository(db),
    emailTokens: new EmailTokenRepository(db),
    oneTimeCodes: new OneTimeCodeRepository(db),
    passkeys: new PasskeyRepository(db),
    registrations: new ClientRegistrationRepository(db),
    logoutDeliveries: new LogoutDeliveryRepository(db),
    collector: new GarbageCollector(db),
  };
}
