import cluster from 'node:cluster';
import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';
import { clientLabel } from './client-label.js';
import { registerKeyGauges, type KeySource } from './key-gauges.js';

/** How a posted login form ended. */
export const LOGIN_OUTCOMES = [
  'success',
  'wrong_password',
  'unknown_account',
  'disabled',
  'throttled',
  'malformed',
  'wrong_one_time_code',
] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];

/** How the delivery of one logout token ended (Back-Channel Logout 1.0 2.8). */
export const BACKCHANNEL_LOGOUT_OUTCOMES = ['delivered', 'rejected', 'failed'] as const;
export type BackchannelLogoutOutcome = (typeof BACKCHANNEL_LOGOUT_OUTCOMES)[number];

/** Where a database outage was met: answering a request, or in a periodic task (key ring, client cache). */
export type DatabaseErrorContext = 'request' | 'background';

/**
 * What the server counts. The calls are cheap and safe to make whether metrics are on or off
 * (IDP_METRICS_PORT): when off, `NO_METRICS` does nothing and nothing is registered.
 */
export interface Metrics {
  readonly enabled: boolean;
  /** One HTTP response: `route` is the route's pattern (`/admin/keys/:kid`), never the URL. */
  request(method: string, route: string, statusCode: number, seconds: number): void;
  tokenIssued(grantType: string, clientId: string): void;
  login(outcome: LoginOutcome): void;
  refreshTokenReused(clientId: string): void;
  authorizationCodeReplayed(clientId: string): void;
  databaseUnavailable(context: DatabaseErrorContext): void;
  /** One logout token's delivery, after its retries. */
  backchannelLogout(outcome: BackchannelLogoutOutcome): void;
  redisError(): void;
  /** Reports `idp_redis_up` from `isUp` at each scrape. */
  watchRedis(isUp: () => boolean): void;
  /** Reports the signing keys' ages and the next key transition at each scrape. */
  watchSigningKeys(source: KeySource): void;
  /** This process's metrics in the Prometheus text format. */
  scrape(): Promise<{ readonly contentType: string; readonly body: string }>;
}

/** Metrics off: every call is a no-op. */
export const NO_METRICS: Metrics = {
  enabled: false,
  request: () => {},
  tokenIssued: () => {},
  login: () => {},
  refreshTokenReused: () => {},
  authorizationCodeReplayed: () => {},
  databaseUnavailable: () => {},
  backchannelLogout: () => {},
  redisError: () => {},
  watchRedis: () => {},
  watchSigningKeys: () => {},
  scrape: () => Promise.reject(new Error('metrics are off (IDP_METRICS_PORT is unset)')),
};

/** Latency buckets in seconds: from a JWKS hit (well under 1 ms) to a slow login (argon2, a database stall). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The metrics of one server process, in a registry of its own (so tests may run several servers
 * in one process). In a cluster worker the registry is also what the primary's
 * `AggregatorRegistry` collects over IPC (see cluster-primary.ts).
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  // idp_nodejs_eventloop_lag_seconds, idp_process_cpu_seconds_total, heap sizes, GC pauses, ...
  collectDefaultMetrics({ register: registry, prefix: 'idp_' });
  if (cluster.isWorker) {
    AggregatorRegistry.setRegistries(registry);
    // Constructing one is what makes a worker answer the primary's requests for its metrics.
    new AggregatorRegistry();
  }
  const registers = [registry];
  const requests = new Counter({
    name: 'idp_http_requests_total',
    help: 'HTTP responses sent, by method, route pattern ("unmatched" for no route) and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'idp_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const tokens = new Counter({
    name: 'idp_tokens_issued_total',
    help: 'Successful token responses, by grant type and client.',
    labelNames: ['grant_type', 'client_id'] as const,
    registers,
  });
  const logins = new Counter({
    name: 'idp_logins_total',
    help: 'Posted login forms by outcome: success, wrong_password, unknown_account, disabled, throttled (refused before any password check), malformed (a rejected form or empty fields).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const reuse = new Counter({
    name: 'idp_refresh_token_reuse_detected_total',
    help: 'Rotated refresh tokens presented again outside the grace period: each revoked its token family.',
    labelNames: ['client_id'] as const,
    registers,
  });
  const replays = new Counter({
    name: 'idp_authorization_code_replays_total',
    help: 'Authorization codes presented again: each revoked what its first use issued.',
    labelNames: ['client_id'] as const,
    registers,
  });
  const databaseErrors = new Counter({
    name: 'idp_database_unavailable_total',
    help: 'Database calls that failed as unavailable or too slow (IDP_DATABASE_TIMEOUT), by context: request (answered 503) or background (key ring and client cache refreshes).',
    labelNames: ['context'] as const,
    registers,
  });
  const redisErrors = new Counter({
    name: 'idp_redis_errors_total',
    help: 'Errors reported by the Redis connection (IDP_REDIS_URL), such as failed connection attempts; login throttling counts in process meanwhile.',
    registers,
  });
  const backchannel = new Counter({
    name: 'idp_backchannel_logout_deliveries_total',
    help: 'Logout tokens POSTed to clients (Back-Channel Logout), by outcome after retries: delivered (2xx), rejected (another answer, not retried), failed (network errors, timeouts or 5xx on every attempt, or refused by the outbound rules).',
    labelNames: ['outcome'] as const,
    registers,
  });
  for (const outcome of BACKCHANNEL_LOGOUT_OUTCOMES) backchannel.inc({ outcome }, 0);
  // Present from the start, so a rate() over them begins at zero rather than at the first error.
  databaseErrors.inc({ context: 'request' }, 0);
  databaseErrors.inc({ context: 'background' }, 0);
  for (const outcome of LOGIN_OUTCOMES) logins.inc({ outcome }, 0);

  const clients = new Set<string>();
  return {
    enabled: true,
    request(method, route, statusCode, seconds) {
      const labels = { method, route, status_code: String(statusCode) };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    tokenIssued: (grantType, clientId) =>
      tokens.inc({ grant_type: grantType, client_id: clientLabel(clients, clientId) }),
    login: (outcome) => logins.inc({ outcome }),
    refreshTokenReused: (clientId) => reuse.inc({ client_id: clientLabel(clients, clientId) }),
    authorizationCodeReplayed: (clientId) =>
      replays.inc({ client_id: clientLabel(clients, clientId) }),
    databaseUnavailable: (context) => databaseErrors.inc({ context }),
    backchannelLogout: (outcome) => backchannel.inc({ outcome }),
    redisError: () => redisErrors.inc(),
    watchRedis(isUp) {
      new Gauge({
        name: 'idp_redis_up',
        help: '1 while the Redis connection is ready, 0 otherwise (across workers: the lowest).',
        registers,
        aggregator: 'min',
        collect() {
          this.set(isUp() ? 1 : 0);
        },
      });
    },
    watchSigningKeys: (source) => registerKeyGauges(registry, source),
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/**
 * Counts the protocol core's events (TokenContext `emit`): a token response, a refresh token
 * reused, an authorization code replayed. Other events are not counted.
 */
export function countProtocolEvent(
  metrics: Metrics,
  event: string,
  data: Record<string, unknown>,
): void {
  if (!metrics.enabled) return;
  const clientId = typeof data.clientId === 'string' ? data.clientId : 'unknown';
  if (event === 'grant.success' && typeof data.grantType === 'string')
    metrics.tokenIssued(data.grantType, clientId);
  else if (event === 'refresh_token.reused') metrics.refreshTokenReused(clientId);
  else if (event === 'authorization_code.replayed') metrics.authorizationCodeReplayed(clientId);
}
