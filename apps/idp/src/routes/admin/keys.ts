import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actor } from './admin-auth.js';
import { adminBody, emptyBody, parseInput, rotateBody } from './admin-body.js';
import { doc, pathParams, REFUSALS } from './api-docs.js';
import { keySchema, keyTimelineJson } from './api-json.js';

const kidParams = pathParams('kid');
const tags = ['keys'];

/**
 * The admin HTTP API for signing keys: the same operations as `pnpm idp keys ...`. After each
 * change this instance reloads at once; the others pick it up on their refresh interval.
 */
export async function adminKeyRoutes(app: FastifyInstance) {
  const { signingKeys, keyRing } = app;

  app.get(
    '/keys',
    {
      schema: {
        tags,
        summary: 'Every signing key with its timeline: published, signs, retires, leaves the JWKS',
        response: { 200: doc(z.object({ keys: z.array(keySchema) })), ...REFUSALS },
      },
    },
    async () => ({ keys: (await signingKeys.list()).map(keyTimelineJson) }),
  );

  app.post(
    '/keys/rotate',
    {
      schema: {
        tags,
        summary: 'Add a key for one algorithm (alg, RS256 by default); now: it signs at once',
        body: doc(rotateBody, 'input'),
        response: {
          201: doc(
            z.object({
              kid: z.string(),
              alg: z.string(),
              activates_at: z.iso.datetime(),
              retiring: z.array(z.string()),
            }),
          ),
          ...REFUSALS,
        },
      },
    },
    async (request, reply) => {
      const { now, alg } = adminBody(rotateBody, request.body);
      const result = await signingKeys.rotate({
        immediately: now === true,
        actor: actor(request),
        ...(alg ? { alg } : {}),
      });
      await keyRing.refresh();
      return reply.status(201).send({
        kid: result.kid,
        alg: result.alg,
        activates_at: new Date(result.activatesAt).toISOString(),
        retiring: result.retiring,
      });
    },
  );

  app.post(
    '/keys/:kid/retire',
    {
      schema: {
        tags,
        summary: 'Stop a key signing now (the active key needs a pending successor)',
        params: doc(kidParams),
        response: {
          200: doc(z.object({ kid: z.string(), successor: z.string().nullable().optional() })),
          ...REFUSALS,
        },
      },
    },
    async (request, reply) => {
      const { kid } = parseInput(kidParams, request.params, 'params');
      adminBody(emptyBody, request.body);
      const result = await signingKeys.retire(kid, actor(request));
      await keyRing.refresh();
      return reply.send(result);
    },
  );

  app.post(
    '/keys/:kid/revoke',
    {
      schema: {
        tags,
        summary: 'Remove a compromised key from the JWKS at once; its tokens stop verifying',
        params: doc(kidParams),
        response: {
          200: doc(z.object({ kid: z.string(), signing_kid: z.string().nullable().optional() })),
          ...REFUSALS,
        },
      },
    },
    async (request, reply) => {
      const { kid } = parseInput(kidParams, request.params, 'params');
      adminBody(emptyBody, request.body);
      const result = await signingKeys.revoke(kid, actor(request));
      await keyRing.refresh();
      return reply.send({ kid: result.kid, signing_kid: result.signingKid });
    },
  );
}
