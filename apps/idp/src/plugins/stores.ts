import type { Config } from '@idp/config';
import type { Database } from '@idp/db';
import type { Clock, KeyRing, SigningKeys } from '@idp/keys';
import {
  DpopNonces,
  type AuditLog,
  type AuthorizationCodeStore,
  type BrowserSessionStore,
  type ClientJwtVerifier,
  type ClientStore,
  type ConsentStore,
  type DeviceAuthorizationStore,
  type PushedRequestStore,
  type RefreshTokenStore,
  type SingleUseStore,
  type TokenFamilyStore,
  type UserStore,
} from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ClientCache } from '../client-cache.js';
import type { DerivedSecrets } from '../derived-secrets.js';
import type { DpopWiring } from '../http/dpop-header.js';
import type { Metrics } from '../metrics/metrics.js';
import type { OutboundPolicy } from '../outbound/outbound-http.js';
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
    /** Ids used once only: accepted login and consent forms, DPoP proofs, client assertions. */
    readonly singleUseIds: SingleUseStore;
    /** Pushed authorization requests (RFC 9126), by request_uri hash. */
    readonly pushedRequests: PushedRequestStore;
    /** RFC 8628 device authorizations, by the hashes of their codes. */
    readonly deviceAuthorizations: DeviceAuthorizationStore;
    /** Verifies what clients sign (assertions, request objects) with their registered keys. */
    readonly clientJwts: ClientJwtVerifier;
    /** Limits of the server's own requests to URLs clients chose (jwks_uri). */
    readonly outbound: OutboundPolicy;
    /** DPoP (RFC 9449): proof replay and, when configured, server nonces. */
    readonly dpop: DpopWiring;
    /** Counters and histograms (no-ops unless metrics are on). */
    readonly metrics: Metrics;
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
  async (app: FastifyInstance, { services, metrics }: { services: Services; metrics: Metrics }) => {
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
    app.decorate('singleUseIds', services.singleUseIds);
    app.decorate('pushedRequests', services.pushedRequests);
    app.decorate('deviceAuthorizations', services.deviceAuthorizations);
    app.decorate('clientJwts', services.clientJwts);
    app.decorate('outbound', services.outbound);
    app.decorate('dpop', {
      replay: services.singleUseIds,
      nonces: services.config.dpopNonce ? new DpopNonces(services.secrets.dpopNonceKey) : undefined,
    } satisfies DpopWiring);
    app.decorate('metrics', metrics);
    app.decorate('secrets', services.secrets);
  },
  { name: 'idp-stores', fastify: '5.x' },
);
