import { KeyError } from '@idp/keys';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { signingKeyJson } from '../../signing-key-json.js';
import { adminBody, emptyBody, rotateBody } from './admin-body.js';

const ACTOR = 'admin-api';

function keyErrorReply(reply: FastifyReply, error: unknown) {
  if (!(error instanceof KeyError)) throw error;
  if (error.code === 'algorithm_not_enabled')
    return reply.status(400).send({ error: 'invalid_request', error_description: error.message });
  const status = error.code === 'unknown_key' ? 404 : 409;
  return reply.status(status).send({ error: error.code, error_description: error.message });
}

/**
 * The admin HTTP API for signing keys: the same operations as `pnpm idp keys ...`. After each
 * change this instance reloads at once; the others pick it up on their refresh interval.
 */
export async function adminKeyRoutes(app: FastifyInstance) {
  const { signingKeys, keyRing } = app;

  app.get('/keys', async () => ({ keys: (await signingKeys.list()).map(signingKeyJson) }));

  // Bodies are checked with zod, not a route schema: Fastify's Ajv coerces types ("true" became
  // true) and drops unknown members, where an admin API must refuse both.
  app.post('/keys/rotate', async (request, reply) => {
    const { now, alg } = adminBody(rotateBody, request.body);
    let result;
    try {
      result = await signingKeys.rotate({
        immediately: now === true,
        actor: ACTOR,
        ...(alg ? { alg } : {}),
      });
    } catch (error) {
      return keyErrorReply(reply, error);
    }
    await keyRing.refresh();
    return reply.status(201).send({
      kid: result.kid,
      alg: result.alg,
      activates_at: new Date(result.activatesAt).toISOString(),
      retiring: result.retiring,
    });
  });

  app.post<{ Params: { kid: string } }>('/keys/:kid/retire', async (request, reply) => {
    adminBody(emptyBody, request.body);
    try {
      const result = await signingKeys.retire(request.params.kid, ACTOR);
      await keyRing.refresh();
      return reply.send(result);
    } catch (error) {
      return keyErrorReply(reply, error);
    }
  });

  app.post<{ Params: { kid: string } }>('/keys/:kid/revoke', async (request, reply) => {
    adminBody(emptyBody, request.body);
    try {
      const result = await signingKeys.revoke(request.params.kid, ACTOR);
      await keyRing.refresh();
      return reply.send({ kid: result.kid, signing_kid: result.signingKid });
    } catch (error) {
      return keyErrorReply(reply, error);
    }
  });
}
