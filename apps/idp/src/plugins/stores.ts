import type { Config } from '@idp/config';
import type { Database } from '@idp/db';
import type { Clock, KeyRing, SigningKeys } from '@idp/keys';
import type {
  AuditLog,
  AuthorizationCodeStore,
  BrowserSessionStore,
  ClientStore,
  ConsentStore,
  ConsumedInteractionStore,
  RefreshTokenStore,
  TokenFamilyStore,
  UserStore,
} from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ClientCache } from '../client-cache.js';
import type { DerivedSecrets } from '../derived-secrets.js';
import type { Services } from '../services.js';

// What every route may read from the instance. Stores are typed by the core's ports, so a route
// relies on their contracts only; a route names the members it uses (see routes/).
declare module 'fastify' {
  interface FastifyInstance {
    readonly config: Config;
    readonly clock: Clock;
    readonly database: Database;
    readonly keyRing: KeyRing;
    readonly signingKeys: SigningKeys;
    readonly users: UserStore;
    readonly clients: ClientStore;
    /** Client lookups for request handling, cached until a client change is counted. */
    readonly clientCache: ClientCache;
    readonly audit: AuditLog;
    readonly codes: AuthorizationCodeStore;
    readonly families: TokenFamilyStore;
    readonly refreshTokens: RefreshTokenStore;
    readonly sessions: BrowserSessionStore;
    readonly consents: ConsentStore;
    /** Login and consent forms already accepted (each is single-use). */
    readonly consumedInteractions: ConsumedInteractionStore;
    /** Keys derived from the key-encryption key (cookie signing, sealed interaction state). */
    readonly secrets: DerivedSecrets;
  }
}

/**
 * Puts the opened services on the root instance as decorators, once, so that every route plugin
 * registered after it reads what it needs (`app.clientCache`, `app.keyRing`, ...). The services
 * stay open and closed by their owner (`startServer`).
 */
export const storesPlugin = fp(
  async (app: FastifyInstance, { services }: { services: Services }) => {
    app.decorate('config', services.config);
    app.decorate('clock', services.clock);
    app.decorate('database', services.database);
    app.decorate('keyRing', services.keyRing);
    app.decorate('signingKeys', services.signingKeys);
    app.decorate('users', services.users);
    app.decorate('clients', services.clients);
    app.decorate('clientCache', services.clientCache);
    app.decorate('audit', services.audit);
    app.decorate('codes', services.codes);
    app.decorate('families', services.families);
    app.decorate('refreshTokens', services.refreshTokens);
    app.decorate('sessions', services.sessions);
    app.decorate('consents', services.consents);
    app.decorate('consumedInteractions', services.consumedInteractions);
    app.decorate('secrets', services.secrets);
  },
  { name: 'idp-stores', fastify: '5.x' },
);
