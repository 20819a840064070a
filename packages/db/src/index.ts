export { openDatabase, type Database, type OpenDatabaseOptions } from './database.js';
export type { Db } from './db-client.js';
export type { Provider } from './provider.js';
export type {
  AuditEvent,
  AuthorizationCode,
  BrowserSession,
  Client,
  Consent,
  RefreshToken,
  RevokedAccessToken,
  SigningKey,
  TokenFamily,
  User,
} from './generated/sqlite/client.js';
export { defaultMigrationsDir } from './migrate/migrations-dir.js';
export { MigrationError } from './migrate/migration-error.js';
export type { MigrateOptions, MigrationResult } from './migrate/migration-result.js';
// Test-only: creates and drops scratch databases.
export { createScratchDatabase, type ScratchDatabase } from './testing/scratch-database.js';
// Test-only: a loopback TCP proxy that can stall or cut a database's connections.
export { startTcpProxy, type TcpProxy } from './testing/tcp-proxy.js';
export { SigningKeyRepository } from './repositories/signing-key-repository.js';
export { UserRepository } from './repositories/user-repository.js';
export { ClientRepository } from './repositories/client-repository.js';
export { AuditLog, type AuditEventView } from './repositories/audit-log.js';
export type { AuditRecord } from './repositories/audit.js';
export { importSeed, type SeedData, type SeedResult } from './repositories/seed-import.js';
export { StoreError } from './repositories/store-error.js';
export { DatabaseUnavailable } from './database-unavailable.js';
export { AuthorizationCodeRepository } from './repositories/authorization-code-repository.js';
export { TokenFamilyRepository } from './repositories/token-family-repository.js';
export { SessionRepository, type BrowserSessionRecord } from './repositories/session-repository.js';
export { ConsentRepository } from './repositories/consent-repository.js';
export { SingleUseRepository } from './repositories/single-use-repository.js';
export { PushedRequestRepository } from './repositories/pushed-request-repository.js';
export { RefreshTokenRepository } from './repositories/refresh-token-repository.js';
export { DeviceAuthorizationRepository } from './repositories/device-authorization-repository.js';
export { ClientRegistrationRepository } from './repositories/client-registration-repository.js';
export { GarbageCollector, type CollectionResult } from './repositories/garbage-collector.js';
