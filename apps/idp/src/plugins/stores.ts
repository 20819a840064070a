import { DpopNonces, type PushedRequestStore, type SingleUseStore } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DpopWiring } from '../http/dpop-header.js';
import { BackchannelLogout } from '../logout/backchannel-logout.js';
import type { Metrics } from '../metrics/metrics.js';
import { RedisPushedRequestStore } from '../redis/redis-pushed-request-store.js';
import { RedisSingleUseStore } from '../redis/redis-single-use-store.js';
import { RedisConnection } from '../redis-connection.js';
import type { Services } from '../services.js';

// What every route may read from the instance: the opened services (stores typed by the core's
// ports, so a route relies on their contracts only) plus the DPoP wiring and the metrics; a route
// names the members it uses (see routes/).
declare module 'fastify' {
  interface FastifyInstance extends Omit<Services, 'close'> {
    /** DPoP (RFC 9449): proof replay and, when configured, server nonces. */
    readonly dpop: DpopWiring;
    /** Counters and histograms (no-ops unless metrics are on). */
    readonly metrics: Metrics;
    /**
     * Redis, when IDP_REDIS_URL is set: the store instances share for short-lived state (the
     * login throttle's counters, `jtis`, pushed requests).
     */
    readonly redis: RedisConnection | undefined;
    /**
     * The `jti`s of client assertions (RFC 7523 3) and DPoP proofs (RFC 9449 11.1), each usable
     * once cluster-wide: in Redis when configured, otherwise the database's single-use ids.
     */
    readonly jtis: SingleUseStore;
    /** Tells the clients of ended sessions (Back-Channel Logout 1.0), off the request path. */
    readonly backchannelLogout: BackchannelLogout;
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
    // Login and consent forms stay in the database: sign-ins go on while Redis is away.
    app.decorate('singleUseIds', services.singleUseIds);
    const redis = services.config.redisUrl
      ? new RedisConnection(services.config.redisUrl, app.log, () => metrics.redisError())
      : undefined;
    if (redis) {
      app.addHook('onClose', () => redis.close());
      metrics.watchRedis(() => redis.client.status === 'ready');
    }
    app.decorate('redis', redis);
    const { jtis, pushedRequests } = shortLivedStores(services, redis);
    app.decorate('jtis', jtis);
    app.decorate('pushedRequests', pushedRequests);
    app.decorate('deviceAuthorizations', services.deviceAuthorizations);
    app.decorate('emailTokens', services.emailTokens);
    app.decorate('oneTimeCodes', services.oneTimeCodes);
    app.decorate('passkeys', services.passkeys);
    app.decorate('mailer', services.mailer);
    app.decorate('registrations', services.registrations);
    app.decorate('clientJwts', services.clientJwts);
    app.decorate('outbound', services.outbound);
    app.decorate('dpop', {
      replay: jtis,
      nonces: services.config.dpopNonce ? new DpopNonces(services.secrets.dpopNonceKey) : undefined,
    } satisfies DpopWiring);
    app.decorate('metrics', metrics);
    const backchannelLogout = new BackchannelLogout({
      issuer: services.config.issuer,
      signer: services.keyRing,
      clients: services.clientCache,
      outbound: services.outbound,
      audit: services.audit,
      clock: services.clock,
      logger: app.log,
      metrics,
      queue: services.logoutDeliveries,
    });
    app.decorate('backchannelLogout', backchannelLogout);
    app.addHook('onReady', () => backchannelLogout.start());
    app.addHook('onClose', () => backchannelLogout.close());
    app.decorate('secrets', services.secrets);
  },
  { name: 'idp-stores', fastify: '5.x' },
);

/**
 * Where the machine-to-machine hot paths keep what may be used once: in Redis when configured
 * (no database write per assertion, proof or push; a Redis outage refuses those requests), in
 * the database otherwise.
 */
function shortLivedStores(
  services: Services,
  redis: RedisConnection | undefined,
): { jtis: SingleUseStore; pushedRequests: PushedRequestStore } {
  if (!redis) return { jtis: services.singleUseIds, pushedRequests: services.pushedRequests };
  return {
    jtis: new RedisSingleUseStore(redis.client, () => services.clock.now()),
    pushedRequests: new RedisPushedRequestStore(redis.client),
  };
}
