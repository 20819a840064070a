import { randomBytes } from 'node:crypto';
import type { Config } from '@idp/config';
import {
  AuditLog,
  AuthorizationCodeRepository,
  ClientRegistrationRepository,
  LogoutDeliveryRepository,
  ClientRepository,
  ConsentRepository,
  DeviceAuthorizationRepository,
  EmailTokenRepository,
  OneTimeCodeRepository,
  PasskeyRepository,
  SingleUseRepository,
  PushedRequestRepository,
  openDatabase,
  RefreshTokenRepository,
  SessionRepository,
  SigningKeyRepository,
  TokenFamilyRepository,
  UserRepository,
  type Database,
} from '@idp/db';
import {
  ClientKeySets,
  KeyError,
  KeyRing,
  loadOrCreateKeyEncryptionKey,
  SigningKeys,
  systemClock,
  type Clock,
  type SigningKeyPolicy,
} from '@idp/keys';
import { withRegistrationPolicy, withSecurityProfile } from '@idp/oidc';
import type {
  AuditLog as AuditLogPort,
  AuthorizationCodeStore,
  BrowserSessionStore,
  ClientJwtVerifier,
  ClientRegistrationStore,
  LogoutDeliveryStore,
  ClientStore,
  ConsentStore,
  DeviceAuthorizationStore,
  EmailTokenStore,
  OneTimeCodeStore,
  PasskeyStore,
  SingleUseStore,
  PushedRequestStore,
  RefreshTokenStore,
  TokenFamilyStore,
  UserStore,
} from '@idp/oidc';
import type { Logger } from 'pino';
import { MAX_CLIENT_ID_METADATA_DOCUMENT_BYTES } from '@idp/oidc';
import { ClientCache } from './client-cache.js';
import { MetadataDocumentClients } from './client-metadata-documents.js';
import { deriveSecrets, type DerivedSecrets } from './derived-secrets.js';
import type { Mailer } from './email/mailer.js';
import { senderAddress, SmtpMailer } from './email/smtp-mailer.js';
import { registrationPolicy } from './registration-policy.js';
import {
  DEFAULT_OUTBOUND_POLICY,
  fetchJson,
  fetchJsonDocument,
  type OutboundPolicy,
} from './outbound/outbound-http.js';

/** Everything the server and the CLI share, wired once from the configuration. */
export interface Services {
  readonly config: Config;
  readonly clock: Clock;
  readonly database: Database;
  readonly keyRing: KeyRing;
  readonly signingKeys: SigningKeys;
  // Stores are typed by the core's ports: the server and the CLI rely on their contracts only.
  readonly users: UserStore;
  readonly clients: ClientStore;
  /** Client lookups for request handling, cached until a client change is counted (the server polls). */
  readonly clientCache: ClientCache;
  /** Verifies what clients sign (assertions, request objects) with their registered keys. */
  readonly clientJwts: ClientJwtVerifier;
  /** Limits of the server's own requests to URLs clients chose (jwks_uri). */
  readonly outbound: OutboundPolicy;
  readonly audit: AuditLogPort;
  readonly codes: AuthorizationCodeStore;
  readonly families: TokenFamilyStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly sessions: BrowserSessionStore;
  readonly consents: ConsentStore;
  /** Login and consent forms already accepted (each is single-use). */
  readonly singleUseIds: SingleUseStore;
  /** Pushed authorization requests (RFC 9126), by request_uri hash. */
  readonly pushedRequests: PushedRequestStore;
  /** RFC 8628 device authorizations, by the hashes of their codes. */
  readonly deviceAuthorizations: DeviceAuthorizationStore;
  /** Single-use links mailed to people: password reset, address verification. */
  readonly emailTokens: EmailTokenStore;
  /** One-time-code factors and recovery codes (second factor). */
  readonly oneTimeCodes: OneTimeCodeStore;
  /** People's passkeys (WebAuthn credentials). */
  readonly passkeys: PasskeyStore;
  /** Sends e-mail; undefined when IDP_SMTP_URL is unset (no e-mail features). */
  readonly mailer: Mailer | undefined;
  /** Dynamic client registration (RFC 7591/7592): initial and registration access tokens. */
  readonly registrations: ClientRegistrationStore;
  /** Back-channel logout deliveries not yet made (the worker in logout/backchannel-logout.ts). */
  readonly logoutDeliveries: LogoutDeliveryStore;
  /** Keys derived from the key-encryption key, so a cluster shares them without more config. */
  readonly secrets: DerivedSecrets;
  /**
   * Set when opened without `needsKeyEncryptionKey` and the kek file was missing: the error a
   * later need for a signing key (a logout token to sign) must stop at, before anything changes.
   */
  readonly missingKeyEncryptionKey?: KeyError;
  close(): Promise<void>;
}

export function signingKeyPolicy(config: Config): SigningKeyPolicy {
  return {
    keySize: config.signingKeySize as SigningKeyPolicy['keySize'],
    algorithms: config.signingAlgorithms,
    prePublicationMs: config.jwksMaxAge * 1000,
    rotationIntervalMs: config.keyRotationInterval * 1000,
    longestTokenTtlMs: config.longestTokenTtl * 1000,
  };
}

/**
 * Opens the database (migrating it unless told not to) and builds the services on it.
 * The key ring is not loaded here: the server does that after making sure a key exists.
 */
export async function openServices(
  config: Config,
  options: {
    clock?: Clock;
    logger?: Logger;
    migrate?: boolean;
    mailer?: Mailer;
    /**
     * False for CLI commands that never touch a signing key: a missing kek file (the CLI run from
     * another directory) does not stop them, and no kek file is written (see below).
     */
    needsKeyEncryptionKey?: boolean;
  } = {},
): Promise<Services> {
  const clock = options.clock ?? systemClock;
  const database = await openDatabase(config.databaseUrl, {
    poolSize: config.databasePoolSize,
    timeoutMs: config.databaseTimeout * 1000,
  });
  try {
    if (options.migrate ?? true) {
      const { applied } = await database.migrate();
      if (applied.length > 0) options.logger?.info({ applied }, 'database migrations applied');
    }
    const keyStore = new SigningKeyRepository(database);
    let missingKeyEncryptionKey: KeyError | undefined;
    const kek =
      config.keyEncryptionKey ??
      (await embeddedKeyEncryptionKey(config, keyStore, options.logger).catch((error: unknown) => {
        const missing = error instanceof KeyError && error.code === 'key_encryption_key_missing';
        if (!missing || (options.needsKeyEncryptionKey ?? true)) throw error;
        missingKeyEncryptionKey = error;
        // Held in memory only: it decrypts no stored key, so a key operation would fail as
        // key_encryption_key_mismatch rather than sign with a key the servers cannot read.
        return randomBytes(32);
      }));
    const clients = new ClientRepository(database);
    const registrations = new ClientRegistrationRepository(database);
    const unvetted = registrationPolicy(config);
    const withPolicy = (documents: MetadataDocumentClients) => ({
      findById: async (url: string) =>
        withRegistrationPolicy(await documents.findById(url), unvetted),
    });
    const policy = signingKeyPolicy(config);
    const mailer =
      options.mailer ??
      (config.smtpUrl
        ? new SmtpMailer(config.smtpUrl, senderAddress(config.emailFrom, config.issuer))
        : undefined);
    const outbound: OutboundPolicy = {
      ...DEFAULT_OUTBOUND_POLICY,
      allowedHosts: config.outboundAllowedHosts,
    };
    return {
      config,
      clock,
      database,
      keyRing: new KeyRing({
        store: keyStore,
        kek,
        clock,
        policy,
        tokenAlg: config.tokenSigningAlg,
      }),
      signingKeys: new SigningKeys({ store: keyStore, kek, clock, policy }),
      users: new UserRepository(database),
      clients,
      clientCache: new ClientCache({
        // Clients without a security_profile of their own follow IDP_SECURITY_PROFILE.
        load: async (id) => {
          const client = await clients.findById(id);
          if (!client) return null;
          // One more primary-key read per cache miss: a client that registered itself acts
          // within IDP_REGISTRATION_GRANT_TYPES and IDP_REGISTRATION_RESOURCES as they are now.
          const registered = await registrations.findRegistration(id);
          const resolved = withSecurityProfile(client, config.securityProfile);
          return registered ? withRegistrationPolicy(resolved, unvetted) : resolved;
        },
        changeCount: () => clients.changeCount(),
        now: () => clock.now(),
        urlClients: config.clientMetadataDocuments
          ? withPolicy(
              new MetadataDocumentClients({
                fetch: (url) =>
                  fetchJsonDocument(url, {
                    ...outbound,
                    maxBytes: MAX_CLIENT_ID_METADATA_DOCUMENT_BYTES,
                  }),
                save: (client, now) => clients.saveMetadataDocumentClient(client, now),
                signingAlgorithms: config.signingAlgorithms,
                plainHttpHosts: config.outboundAllowedHosts,
                now: () => clock.now(),
                onRefused: (url, reason) =>
                  options.logger?.warn(
                    { clientId: url, reason },
                    'client metadata document refused',
                  ),
              }),
            )
          : undefined,
      }),
      clientJwts: new ClientKeySets({
        fetchJwks: (uri) => fetchJson(uri, outbound, 'application/jwk-set+json, application/json'),
        now: () => clock.now(),
      }),
      outbound,
      audit: new AuditLog(database),
      codes: new AuthorizationCodeRepository(database),
      families: new TokenFamilyRepository(database),
      refreshTokens: new RefreshTokenRepository(database),
      sessions: new SessionRepository(database),
      consents: new ConsentRepository(database),
      singleUseIds: new SingleUseRepository(database),
      pushedRequests: new PushedRequestRepository(database),
      deviceAuthorizations: new DeviceAuthorizationRepository(database),
      emailTokens: new EmailTokenRepository(database),
      oneTimeCodes: new OneTimeCodeRepository(database),
      passkeys: new PasskeyRepository(database),
      mailer,
      registrations,
      logoutDeliveries: new LogoutDeliveryRepository(database),
      secrets: await deriveSecrets(kek),
      ...(missingKeyEncryptionKey ? { missingKeyEncryptionKey } : {}),
      close: async () => {
        await mailer?.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * The kek file under IDP_KEYS_DIR, generated on first start (no signing key stored yet); with keys
 * stored and no file, a `KeyError` that names both settings and the path looked at.
 */
async function embeddedKeyEncryptionKey(
  config: Config,
  keyStore: SigningKeyRepository,
  logger: Logger | undefined,
): Promise<Buffer> {
  const file = await loadOrCreateKeyEncryptionKey(config.keysDir, keyStore);
  if (file.created)
    logger?.info(
      { path: file.path },
      'generated a key-encryption key (set IDP_KEY_ENCRYPTION_KEY in production)',
    );
  if (file.tooOpen)
    logger?.warn(
      { path: file.path },
      'key-encryption key file is readable by others; chmod 600 it',
    );
  return file.key;
}
