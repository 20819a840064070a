import {
  AuthorizationError,
  authorizationResponseTarget,
  hintedSubject,
  MAX_REQUEST_OBJECT_LENGTH,
  validateAuthorizationRequest,
} from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { idTokenAlgorithms } from '../../id-token-algorithms.js';
import { currentSession } from '../../http/browser-session.js';
import { sendErrorPage } from '../../http/html-reply.js';
import { messages } from '../../i18n/index.js';
import { auditProfileRefusal } from '../../http/profile-refusal-audit.js';
import { parameterSchema } from '../../http/parameter-schemas.js';
import {
  continueAuthorization,
  sendAuthorizationError,
} from '../../interaction/authorization-flow.js';

export const AUTHORIZE_PATH = '/authorize';

/**
 * OIDC Core 3.1.2.1 and RFC 7636 4.3: the parameters read, each once (RFC 6749 3.1) and at most
 * 4 KiB; `resource` may repeat (RFC 8707 2). Others are ignored, as the spec requires.
 */
const AUTHORIZATION_REQUEST = parameterSchema(
  [
    'client_id',
    'redirect_uri',
    'state',
    'response_mode',
    'request_uri',
    'response_type',
    'scope',
    'code_challenge',
    'code_challenge_method',
    'nonce',
    'prompt',
    'max_age',
    'claims',
    'login_hint',
    'id_token_hint',
    'acr_values',
    'ui_locales',
  ],
  // RFC 9101: a request object carries every parameter signed, so it gets the core's larger limit.
  {
    others: 'ignored',
    maxLength: 4096,
    repeatable: ['resource'],
    longer: { request: MAX_REQUEST_OBJECT_LENGTH },
  },
);

/** The page shown when an error must not be redirected (unknown client, unregistered redirect_uri). */
export function authorizationErrorPage(
  reply: FastifyReply,
  error: AuthorizationError,
): FastifyReply {
  const t = messages(reply.request.locale);
  return sendErrorPage(
    reply,
    400,
    t.form.invalidLinkTitle,
    t.authorizeError.explain(error.error, error.description),
    t.authorizeError.detail(error.error, error.description),
  );
}

/** GET and POST /authorize (OIDC Core 3.1.2.1: both methods, same parameters). */
export async function authorizeRoute(app: FastifyInstance) {
  const { clientCache, keyRing, config, clock, clientJwts, pushedRequests } = app;
  const findClient = (id: string) => clientCache.findById(id);
  const handle = async (request: FastifyRequest, reply: FastifyReply, raw: unknown) => {
    const afterPost = request.method === 'POST';
    try {
      if (request.validationError) {
        // Refused by the schema. Whether the error may go back to the client is decided as for
        // any bad request: only to a registered client's registered redirect_uri, else a page.
        const { target } = await authorizationResponseTarget(raw, findClient);
        throw new AuthorizationError('invalid_request', request.validationError.message, target);
      }
      const { request: authorization, client } = await validateAuthorizationRequest(
        raw,
        findClient,
        {
          requestObjects: { issuer: config.issuer, now: clock.now(), clientJwts },
          signingAlgorithms: idTokenAlgorithms(app),
        },
        {
          pushedRequests,
          now: clock.now(),
          requirePushedRequests: config.requirePushedAuthorizationRequests,
        },
      );
      const session = await currentSession(request, app);
      const subject = await hintedSubject(authorization, {
        verifier: keyRing,
        issuer: config.issuer,
      });
      return await continueAuthorization({ request, reply }, app, {
        request: authorization,
        client,
        session,
        hintedSubject: subject,
        afterPost,
      });
    } catch (error) {
      if (error instanceof AuthorizationError) {
        request.log.info(
          { error: error.error, description: error.description, detail: error.detail },
          'authorization request refused',
        );
        await auditProfileRefusal(app, request, error);
        return sendAuthorizationError(reply, app, error, afterPost, authorizationErrorPage);
      }
      throw error;
    }
  };
  // Form bodies only reach here (body-parsers.ts); a schema failure is handled above.
  app.get(
    AUTHORIZE_PATH,
    { schema: { querystring: AUTHORIZATION_REQUEST }, attachValidation: true },
    (request, reply) => handle(request, reply, request.query),
  );
  app.post(
    AUTHORIZE_PATH,
    { schema: { body: AUTHORIZATION_REQUEST }, attachValidation: true },
    (request, reply) => handle(request, reply, request.body),
  );
}
