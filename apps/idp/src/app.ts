import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { Tracer } from '@opentelemetry/api';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { acceptFormBodiesOnly } from './http/body-parsers.js';
import { publicEndpointsCors } from './http/cors.js';
import { installErrorHandler, installPageErrorHandler } from './http/error-handler.js';
import { describeParameterError } from './http/parameter-schemas.js';
import { negotiatePageLocale, pagesPlugin } from './http/page-locale.js';
import { browserSecurityHeaders, strictTransportSecurity } from './http/security-headers.js';
import { requestChildLogger } from './logger.js';
import { httpMetrics } from './metrics/http-metrics.js';
import { NO_METRICS, type Metrics } from './metrics/metrics.js';
import { emailPlugin } from './plugins/email.js';
import { loginThrottlePlugin } from './plugins/login-throttle.js';
import { storesPlugin } from './plugins/stores.js';
import { adminContext } from './routes/admin/admin-context.js';
import { ADMIN_API_PREFIX, adminApiV1 } from './routes/admin/api-v1.js';
import { adminKeyRoutes } from './routes/admin/keys.js';
import { adminConsole } from './routes/console/console.js';
import { healthRoutes } from './routes/health.js';
import { consentRoute } from './routes/interaction/consent.js';
import { deviceRoutes } from './routes/interaction/device.js';
import { forgotPasswordRoutes } from './routes/account-email/forgot-password.js';
import { loginResumeRoute } from './routes/account-email/login-resume.js';
import { resetPasswordRoutes } from './routes/account-email/reset-password.js';
import { signUpRoutes } from './routes/account-email/sign-up.js';
import { verifyEmailRoutes } from './routes/account-email/verify-email.js';
import { changeEmailRoutes } from './routes/account-email/change-email.js';
import { accountRoutes } from './routes/account/index.js';
import { loginRoute } from './routes/interaction/login.js';
import { loginOneTimeCodeRoute } from './routes/interaction/login-one-time-code.js';
import { oneTimeCodesRoutes } from './routes/account/one-time-codes.js';
import { passkeyLoginRoutes } from './routes/interaction/passkey-login.js';
import { secondFactorPasskeyRoutes } from './routes/interaction/second-factor-passkey.js';
import { assetRoutes } from './routes/assets.js';
import { authorizeRoute } from './routes/oauth/authorize.js';
import { tokenRoute } from './routes/oauth/token.js';
import { pushedAuthorizationRequestRoute } from './routes/oauth/pushed-authorization-request.js';
import { deviceAuthorizationRoute } from './routes/oauth/device-authorization.js';
import { userinfoRoute } from './routes/oauth/userinfo.js';
import { introspectionRoute } from './routes/oauth/introspection.js';
import { revocationRoute } from './routes/oauth/revocation.js';
import { registrationRoutes } from './routes/oauth/registration.js';
import { endSessionRoutes } from './routes/oauth/end-session.js';
import { discoveryRoute } from './routes/well-known/discovery.js';
import { jwksRoute } from './routes/well-known/jwks.js';
import type { Services } from './services.js';
import { requestSpans } from './tracing/tracing.js';
import { withChildSpans } from './tracing/child-spans.js';

/**
 * Builds the HTTP application on ready services. It does not listen: `main.ts` does, and tests
 * may `inject` or listen on an ephemeral port themselves. The services become decorators
 * (plugins/stores.ts); each route plugin reads from them what it uses. `metrics` (off by default)
 * counts requests, tokens, logins and outages; server.ts serves them on a port of their own.
 * `tracer` (off by default) makes a span of each request.
 */
export async function buildApp(
  services: Services,
  logger: Logger,
  options: { metrics?: Metrics; tracer?: Tracer } = {},
): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    childLoggerFactory: (parent, bindings, options) =>
      requestChildLogger(parent as Logger, bindings, options) as FastifyBaseLogger,
    trustProxy: trustProxy(config.trustProxy),
    // Small bodies only: nothing this server accepts is large (RFC 6749 forms, JSON admin calls).
    bodyLimit: 64 * 1024,
    // Fastify 5 closes idle keep-alive connections on close(), so SIGTERM drains promptly.
    forceCloseConnections: 'idle',
    // Route schemas name the parameter at fault; the error handlers answer invalid_request.
    schemaErrorFormatter: describeParameterError,
  });
  // Callback style: no promise per request on the hottest endpoints.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  // With tracing, each store call and each JWT signed is a child span of the request's span.
  const decorated = options.tracer ? withChildSpans(services, options.tracer) : services;
  await app.register(storesPlugin, {
    services: decorated,
    metrics: options.metrics ?? NO_METRICS,
  });
  // Before every route, so that its hooks see all of them; when off, not even a hook is added.
  if (app.metrics.enabled) await app.register(httpMetrics);
  if (options.tracer) await app.register(requestSpans, { tracer: options.tracer });
  // A database outage answers 503; a client may retry after about one database deadline.
  const outage = { retryAfterSeconds: config.databaseTimeout };
  installErrorHandler(app, outage);
  await app.register(strictTransportSecurity, { issuer: config.issuer });
  await app.register(loginThrottlePlugin);
  await app.register(emailPlugin);
  await app.register(pagesPlugin);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  acceptFormBodiesOnly(app);

  // `keys rotate --now` and `keys revoke` (CLI, another instance) take effect "at once": the
  // endpoints that publish, sign and verify with the keys re-read them first (throttled).
  const catchUpWithKeys = (_request: unknown, _reply: unknown, done: () => void) => {
    const catchingUp = services.keyRing.catchUp();
    if (catchingUp) void catchingUp.then(() => done());
    else done();
  };

  // Encapsulated contexts (Fastify's architecture): each gets only the hooks it needs, so the
  // hot machine-to-machine endpoints pay for neither cookie parsing nor per-request CORS work.
  // What browser apps on other origins call: CORS, no cookies.
  await app.register(async (api) => {
    api.addHook('onRequest', catchUpWithKeys);
    await api.register(publicEndpointsCors);
    await api.register(discoveryRoute);
    await api.register(jwksRoute);
    await api.register(tokenRoute);
    await api.register(pushedAuthorizationRequestRoute);
    await api.register(deviceAuthorizationRoute);
    await api.register(userinfoRoute);
    await api.register(revocationRoute);
    await api.register(registrationRoutes);
  });
  // What people's browsers navigate to: cookies (session, CSRF), helmet's headers, no CORS.
  await app.register(async (browser) => {
    installPageErrorHandler(browser, outage);
    // Pages speak the reader's language (Accept-Language; ui_locales once a request names it).
    browser.addHook('onRequest', negotiatePageLocale);
    await browser.register(browserSecurityHeaders);
    await browser.register(cookie, { secret: services.secrets.cookieSecret });
    await browser.register(authorizeRoute);
    await browser.register(loginRoute);
    await browser.register(loginOneTimeCodeRoute);
    await browser.register(oneTimeCodesRoutes);
    await browser.register(passkeyLoginRoutes);
    await browser.register(secondFactorPasskeyRoutes);
    await browser.register(assetRoutes);
    await browser.register(consentRoute);
    await browser.register(deviceRoutes);
    await browser.register(endSessionRoutes);
    // Password reset, address verification, sign-up, and the way back to the login page.
    await browser.register(loginResumeRoute);
    await browser.register(forgotPasswordRoutes);
    await browser.register(resetPasswordRoutes);
    await browser.register(verifyEmailRoutes);
    await browser.register(changeEmailRoutes);
    await browser.register(signUpRoutes);
    // The signed-in person's own account page.
    await browser.register(accountRoutes);
  });
  // Resource servers and operators.
  await app.register(async (introspection) => {
    introspection.addHook('onRequest', catchUpWithKeys);
    await introspection.register(introspectionRoute);
  });
  await app.register(healthRoutes);

  // Operators and their automation: the admin API, always on (it needs an admin's token).
  const bootstrapToken = config.adminToken;
  await app.register(adminApiV1, { prefix: ADMIN_API_PREFIX, bootstrapToken });
  // People who administer: the console, signing in through this server (routes/console).
  await app.register(adminConsole, {
    prefix: '/admin',
    outage,
    keysPathTaken: bootstrapToken !== undefined,
  });
  // The first key endpoints, under /admin/keys, kept for scripts written against them.
  if (bootstrapToken) {
    await app.register(
      async (admin) => {
        // A person's browser (no bearer token, asking for a page) goes to the console's keys page.
        admin.addHook('onRequest', async (request, reply) => {
          const wantsPage = request.headers.accept?.includes('text/html') === true;
          if (request.method === 'GET' && wantsPage && request.headers.authorization === undefined)
            return reply.redirect('/admin/signing-keys', 303);
        });
        adminContext(admin, { bootstrapToken });
        await admin.register(adminKeyRoutes);
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
  return typeof setting === 'number'
    ? (_address: string, hop: number) => hop < setting
    : setting === false
      ? false
      : [...setting];
}
