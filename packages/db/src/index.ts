export { openDatabase, type OpenDatabaseOptions } from './open-database.js';
export type { Database, Provider } from './database.js';
export { DatabaseUnavailable } from './database-unavailable.js';
export {
  defaultMigrationsDir,
  MigrationError,
  type MigrateOptions,
  type MigrationResult,
} from './migrate/migrations.js';
// The error is part of the store ports' contract, so the protocol core owns it.
export { StoreError } from '@idp/oidc';
export { importSeed, type SeedData, type SeedResult } from './repositories/seed-import.js';
export { AuditLog } from './repositories/audit-log.js';
export { AuthorizationCodeRepository } from './repositories/authorization-code-repository.js';
export { ClientRepository } from './repositories/client-repository.js';
export { ConsentRepository } from './repositories/consent-repository.js';
export { DeviceAuthorizationRepository } from './repositories/device-authorization-repository.js';
export { ClientRegistrationRepository } from './repositories/client-registration-repository.js';
export { GarbageCollector, type CollectionResult } from './repositories/garbage-collector.js';
export { PushedRequestRepository } from './repositories/pushed-request-repository.js';
export { RefreshTokenRepository } from './repositories/refresh-token-repository.js';
export { SessionRepository } from './repositories/session-repository.js';
export { SigningKeyRepository } from './repositories/signing-key-repository.js';
export { SingleUseRepository } from './repositories/single-use-repository.js';
export { TokenFamilyRepository } from './repositories/token-family-repository.js';
export { UserRepository } from './repositories/user-repository.js';
export { EmailTokenRepository } from './repositories/email-token-repository.js';
export { OneTimeCodeRepository } from './repositories/one-time-code-repository.js';
export { PasskeyRepository } from './repositories/passkey-repository.js';
export { LogoutDeliveryRepository } from './repositories/logout-delivery-repository.js';
