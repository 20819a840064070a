import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { buildDiscoveryDocument, CLIENT_VERIFICATION_ALGS, DEVICE_CODE_GRANT, DPOP_SIGNING_ALGORITHMS, DpopNonces, SUPPORTED_CLAIMS, SUPPORTED_SCOPES, TOKEN_EXCHANGE_GRANT, type TokenContext } from '@idp/oidc';
import type { Tracer } from '@opentelemetry/api';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { acceptFormBodiesOnly, acceptJsonBodiesOnly } from './http/body-parsers.js';
import { publicEndpointsCors } from './http/cors.js';
import { installErrorHandler, installPageErrorHandler } from './http/error-handler.js';
import { browserSecurityHeaders, strictTransportSecurity } from './http/security-headers.js';
import { requestChildLogger } from './logger.js';
import { LoginThrottle } from './interaction/login-throttle.js';
import { UserCodeThrottle } from './interaction/user-code-throttle.js';
import { httpMetrics } from './metrics/http-metrics.js';
import { countProtocolEvent, NO_METRICS, type Metrics } from './metrics/metrics.js';
import { requestSpans } from './tracing/tracing.js';
import { hashPassword } from './passwords.js';
import { RedisConnection } from './redis-connection.js';
import { requireAdminToken } from './routes/admin/admin-auth.js';
import { adminKeyRoutes } from './routes/admin/keys.js';
import { healthRoutes } from './routes/health.js';
import { consentRoute } from './routes/interaction/consent.js';
import { deviceRoutes } from './routes/interaction/device.js';
import { loginRoute } from './routes/interaction/login.js';
import { AUTHORIZE_PATH, authorizeRoute } from './routes/oauth/authorize.js';
import { TOKEN_PATH, tokenRoute } from './routes/oauth/token.js';
import { PAR_PATH, pushedAuthorizationRequestRoute } from './routes/oauth/pushed-authorization-request.js';
import { DEVICE_AUTHORIZATION_PATH, deviceAuthorizationRoute } from './routes/oauth/device-authorization.js';
import { USERINFO_PATH, userinfoRoute } from './routes/oauth/userinfo.js';
import { INTROSPECTION_PATH, introspectionRoute } from './routes/oauth/introspection.js';
import { REVOCATION_PATH, revocationRoute } from './routes/oauth/revocation.js';
import { END_SESSION_PATH, endSessionRoutes } from './routes/oauth/end-session.js';
import { discoveryRoute } from './routes/well-known/discovery.js';
import { JWKS_PATH, jwksRoute } from './routes/well-known/jwks.js';
import type { Services } from './services.js';

/**
 * Builds the HTTP application on ready services. It does not listen: `main.ts` does, and tests
 * may `inject` or listen on an ephemeral port themselves. `metrics` (off by default) counts
 * requests, tokens, logins and outages; server.ts serves them on a port of their own. `tracer`
 * (off by default) makes a span of each request.
 */
export async function buildApp(services: Services, logger: Logger, options: { metrics?: Metrics; tracer?: Tracer } = {}): Promise<FastifyInstance> {
  const metrics = options.metrics ?? NO_METRICS;
  const { config } = services;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    childLoggerFactory: (parent, bindings, options) => requestChildLogger(parent as Logger, bindings, options) as FastifyBaseLogger,
    trustProxy: trustProxy(config.trustProxy),
    // Small bodies only: nothing this server accepts is large (RFC 6749 forms, JSON admin calls).
    bodyLimit: 64 * 1024,
    // Fastify 5 closes idle keep-alive connections on close(), so SIGTERM drains promptly.
    forceCloseConnections: 'idle',
  });
  // Callback style: no promise per request on the hottest endpoints.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  // Before every route, so that its hooks see all of them; when off, not even a hook is added.
  if (metrics.enabled) await app.register(httpMetrics, { metrics });
  if (options.tracer) await app.register(requestSpans, { tracer: options.tracer });
  // A database outage answers 503; a client may retry after about one database deadline.
  const outage = { retryAfterSeconds: config.databaseTimeout };
  installErrorHandler(app, outage);
  await app.register(strictTransportSecurity, { issuer: config.issuer });

  const redis = config.redisUrl ? new RedisConnection(config.redisUrl, logger, () => metrics.redisError()) : undefined;
  if (redis) app.addHook('onClose', () => redis.close());
  if (redis) metrics.watchRedis(() => redis.client.status === 'ready');
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  acceptFormBodiesOnly(app);

  const throttle = new LoginThrottle(
    {
      failuresPerAccount: config.loginFailuresPerAccount,
      failureWindowSeconds: config.loginFailureWindow,
      failuresPerAddressPerMinute: config.loginRateLimitPerIp,
      newSourceIntervalSeconds: config.loginNewSourceInterval,
      knownSourceSeconds: config.loginKnownSourceTtl,
    },
    redis?.client,
  );
  const dpop = { replay: services.singleUseIds, nonces: config.dpopNonce ? new DpopNonces(services.secrets.dpopNonceKey) : undefined };
  const tokenContext: TokenContext = {
    issuer: config.issuer,
    clock: services.clock,
    signer: services.keyRing,
    verifier: services.keyRing,
    codes: services.codes,
    refreshTokens: services.refreshTokens,
    deviceAuthorizations: services.deviceAuthorizations,
    families: services.families,
    audit: services.audit,
    lifetimes: {
      accessToken: config.accessTokenTtl,
      idToken: config.idTokenTtl,
      refreshTokenIdle: config.refreshTokenIdleTtl,
      refreshTokenAbsolute: config.refreshTokenAbsoluteTtl,
      refreshTokenReuseGrace: config.refreshTokenReuseGrace,
    },
    // Theft signals are warnings an operator should see; routine grants are debug noise.
    dpop,
    emit: (event, data) => {
      countProtocolEvent(metrics, event, data);
      if (event.endsWith('replayed') || event.endsWith('reused')) logger.warn({ event, ...data }, event);
      else logger.debug({ event, ...data }, event);
    },
  };

  const document = buildDiscoveryDocument(
    config.issuer,
    { jwks_uri: JWKS_PATH, authorization_endpoint: AUTHORIZE_PATH, token_endpoint: TOKEN_PATH, userinfo_endpoint: USERINFO_PATH, revocation_endpoint: REVOCATION_PATH, introspection_endpoint: INTROSPECTION_PATH, end_session_endpoint: END_SESSION_PATH, pushed_authorization_request_endpoint: PAR_PATH, device_authorization_endpoint: DEVICE_AUTHORIZATION_PATH },
    {
      scopes: SUPPORTED_SCOPES,
      claims: SUPPORTED_CLAIMS,
      grantTypes: ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT, TOKEN_EXCHANGE_GRANT],
      tokenEndpointAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
      responseModes: ['query', 'fragment', 'form_post'],
      // Exactly the algorithms this server keeps keys for (startup made sure each has one).
      idTokenSigningAlgs: config.signingAlgorithms,
      extra: {
        authorization_response_iss_parameter_supported: true,
        claims_parameter_supported: true,
        // RFC 9101 by value; request_uri only for our own PAR URIs, so not advertised here.
        request_parameter_supported: true,
        request_object_signing_alg_values_supported: CLIENT_VERIFICATION_ALGS,
        request_uri_parameter_supported: false,
        token_endpoint_auth_signing_alg_values_supported: CLIENT_VERIFICATION_ALGS,
        revocation_endpoint_auth_signing_alg_values_supported: CLIENT_VERIFICATION_ALGS,
        introspection_endpoint_auth_signing_alg_values_supported: CLIENT_VERIFICATION_ALGS,
        require_pushed_authorization_requests: config.requirePushedAuthorizationRequests,
        dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGORITHMS],
        prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
        acr_values_supported: ['0'],
        claim_types_supported: ['normal'],
        revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
        // RFC 7662 2.1: introspection needs an authenticated client; public clients may only revoke.
        introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      },
    },
  );
  const dummyPasswordHash = await hashPassword(randomUUID());

  // Encapsulated contexts (Fastify's architecture): each gets only the hooks it needs, so the
  // hot machine-to-machine endpoints pay for neither cookie parsing nor per-request CORS work.
  // What browser apps on other origins call: CORS, no cookies.
  await app.register(async (api) => {
    await api.register(publicEndpointsCors);
    await api.register(discoveryRoute, { document });
    await api.register(jwksRoute, { services });
    await api.register(tokenRoute, { services, context: tokenContext });
    await api.register(pushedAuthorizationRequestRoute, { services, dpop });
    await api.register(deviceAuthorizationRoute, { services });
    await api.register(userinfoRoute, { services, dpop });
    await api.register(revocationRoute, { services });
  });
  // What people's browsers navigate to: cookies (session, CSRF), helmet's headers, no CORS.
  await app.register(async (browser) => {
    installPageErrorHandler(browser, outage);
    await browser.register(browserSecurityHeaders);
    await browser.register(cookie, { secret: services.secrets.cookieSecret });
    await browser.register(authorizeRoute, { services });
    await browser.register(loginRoute, { services, throttle, dummyPasswordHash, metrics });
    await browser.register(consentRoute, { services });
    await browser.register(deviceRoutes, { services, throttle: new UserCodeThrottle(redis?.client) });
    await browser.register(endSessionRoutes, { services });
  });
  // Resource servers and operators.
  await app.register(introspectionRoute, { services });
  await app.register(healthRoutes, { services, redis });

  const adminToken = config.adminToken;
  if (adminToken) {
    await app.register(
      async (admin) => {
        acceptJsonBodiesOnly(admin);
        admin.addHook('preHandler', requireAdminToken(adminToken));
        await admin.register(adminKeyRoutes, { services });
      },
      { prefix: '/admin' },
    );
  }
  return app;
}

/**
 * A hop count becomes "trust the nearest N proxies" (Fastify's types take a function for it); a
 * list of proxy addresses goes to proxy-addr as it is. Never `true` (see the setting).
 */
function trustProxy(setting: false | number | readonly string[]) {
  return typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting === false ? false : [...setting];
}
