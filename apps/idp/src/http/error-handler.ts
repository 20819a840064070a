import { DatabaseUnavailable } from '@idp/db';
import { OAuthError, toOAuthError } from '@idp/oidc';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { messagePage } from '../views/index.js';
import { messages } from '../i18n/index.js';
import { pageContext } from './page-locale.js';
import { sendHtml } from './html-reply.js';
import { auditProfileRefusal } from './profile-refusal-audit.js';
import { RedisUnavailable } from '../redis/redis-unavailable.js';

/**
 * One place owns the error wire format. Fastify's default handler would send `error.message`
 * verbatim, 500s included; here clients get an RFC 6749 5.2 body and operators get the log.
 */
export function installErrorHandler(app: FastifyInstance, options: OutageOptions): void {
  const retryAfter = String(options.retryAfterSeconds);
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (loggedOutage(request, error)) {
      // Nothing the request did is at fault and nothing it asked for was written or decided: it
      // may be sent again (RFC 9110 15.6.4 and 10.2.3; RFC 6749 4.1.2.1 names the error).
      const body =
        error instanceof RedisUnavailable ? SHARED_STORE_UNAVAILABLE : TEMPORARILY_UNAVAILABLE;
      return reply
        .status(503)
        .header('retry-after', retryAfter)
        .header('cache-control', 'no-store')
        .send(body.toJSON());
    }
    const oauth =
      error instanceof OAuthError
        ? error
        : fromFrameworkError(error, request.headers['content-type']);
    if (oauth.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info(
        { error: oauth.error, detail: oauth.detail ?? error.message },
        'request rejected',
      );
    }
    // FAPI 2.0 profile refusals (at /token, /par, introspection, revocation) are audited.
    if (oauth.profileRefusal) await auditProfileRefusal(app, request, oauth);
    // RFC 6749 5.2: a client that authenticated through the Authorization header gets 401 with
    // a challenge matching the scheme it used (Basic), and one that sent no credentials learns
    // that the endpoint takes Basic; one that authenticated in the form (client_secret_post, a
    // private_key_jwt assertion) used no HTTP scheme and is not invited to switch to Basic.
    if (
      oauth.error === 'invalid_client' &&
      basicChallengeFits(request.headers.authorization, request.body)
    )
      void reply.header('www-authenticate', 'Basic realm="token", charset="UTF-8"');
    // RFC 9449 8: use_dpop_nonce carries the nonce to use.
    if (oauth.headers) void reply.headers(oauth.headers);
    return reply.status(oauth.status).header('cache-control', 'no-store').send(oauth.toJSON());
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: 'not_found',
      error_description: `No route for ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}

/** Form fields that authenticate a client without an HTTP scheme (RFC 6749 2.3.1, RFC 7523 2.2). */
const FORM_CREDENTIALS = ['client_secret', 'client_assertion', 'client_assertion_type'];

/**
 * Whether a `Basic` challenge answers this request's failed client authentication: it used HTTP
 * Basic (RFC 7617), or it carried no credentials at all.
 */
function basicChallengeFits(authorization: string | undefined, body: unknown): boolean {
  if (authorization !== undefined) return /^basic(\s|$)/i.test(authorization.trimStart());
  if (typeof body !== 'object' || body === null) return true;
  return !FORM_CREDENTIALS.some((field) => field in body);
}

/** What a 503 for a database outage tells clients. */
export interface OutageOptions {
  /** Retry-After: how long a client should wait before sending the request again. */
  readonly retryAfterSeconds: number;
}

const TEMPORARILY_UNAVAILABLE = new OAuthError(
  'temporarily_unavailable',
  'The server cannot reach its database right now; retry the same request shortly.',
);

const SHARED_STORE_UNAVAILABLE = new OAuthError(
  'temporarily_unavailable',
  'The server cannot reach its shared store right now; retry the same request shortly.',
);

/**
 * For the pages people's browsers navigate to (login, consent, sign-out): a database or Redis
 * outage is a plain-words page; every other error goes on to the handler above.
 */
export function installPageErrorHandler(app: FastifyInstance, options: OutageOptions): void {
  const retryAfter = String(options.retryAfterSeconds);
  app.setErrorHandler((error, request, reply) => {
    if (!loggedOutage(request, error)) throw error;
    void reply.header('retry-after', retryAfter);
    return sendHtml(
      reply,
      503,
      messagePage({
        title: messages(request.locale).unavailable.title,
        message:
          error instanceof RedisUnavailable
            ? messages(request.locale).unavailable.sharedStoreMessage
            : messages(request.locale).unavailable.message,
        ...pageContext(request),
      }),
    );
  });
}

/**
 * Logs `error` when it is an outage (the database, or Redis, which single-use checks need) and
 * says whether it was one: outages answer 503 whatever the request was. Without Redis a `jti` or
 * a `request_uri` cannot be checked, and accepting it unchecked could accept a replay, so such a
 * request fails closed.
 */
function loggedOutage(request: FastifyRequest, error: unknown): boolean {
  if (error instanceof RedisUnavailable) {
    request.log.warn(
      { err: error, event: 'redis.refused' },
      'redis unavailable: request refused, its single-use check cannot be made',
    );
    return true;
  }
  if (error instanceof DatabaseUnavailable) {
    request.log.warn({ err: error }, 'database unavailable');
    return true;
  }
  return false;
}

/** Schema failures, unparsable bodies and oversized requests are the client's; the rest is ours. */
function fromFrameworkError(error: FastifyError, contentType: string | undefined): OAuthError {
  if (error.validation) return new OAuthError('invalid_request', error.message);
  const status = error.statusCode ?? 500;
  // RFC 6749 5.2 answers malformed requests with 400; keep 413 so clients learn the real reason.
  if (status === 415) {
    const type = contentType?.split(';')[0]?.trim().slice(0, 100) || 'untyped';
    return new OAuthError(
      'invalid_request',
      `this endpoint does not accept ${type} request bodies`,
      { status: 400 },
    );
  }
  if (status >= 400 && status < 500)
    return new OAuthError('invalid_request', error.message, { status });
  return toOAuthError(error);
}
