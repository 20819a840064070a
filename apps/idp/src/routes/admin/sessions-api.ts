import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { serverOperationDeps } from '../../http/operation-deps.js';
import { revokeSessionById } from '../../operations/user-operations.js';
import { actor } from './admin-auth.js';
import { parseInput } from './admin-body.js';
import { doc, pathParams, REFUSALS } from './api-docs.js';
import { activeSessionJson, activeSessionSchema } from './api-json.js';
import { decodeCursor, pageOf, paged } from './paging.js';

/** PostgreSQL's text cannot hold a NUL: refused here rather than matching nothing. */
const text = z
  .string()
  .min(1)
  .max(300)
  .refine((value) => !value.includes('\u0000'), 'must not contain a NUL character');

const sessionsQuery = z.strictObject({
  user: text.optional().describe("only this user's sessions (their sub)"),
  client: text.optional().describe('only sessions this client_id took part in'),
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 200' })
    .int({ error: 'must be a whole number from 1 to 200' })
    .min(1, { error: 'must be a whole number from 1 to 200' })
    .max(200, { error: 'must be a whole number from 1 to 200' })
    .default(50),
  cursor: z.string().max(2000).optional(),
});

const position = z.strictObject({
  created_at: z.number().int().min(0).max(8.64e15),
  id: z.string().refine((id) => !id.includes('\u0000')),
});

const sessionParams = pathParams('session_id');

/** Every live browser session of the server, newest first; one can be ended from here. */
export async function adminSessionRoutes(app: FastifyInstance) {
  const deps = serverOperationDeps(app);

  app.get(
    '/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Live browser sessions of every user, newest first: filter by user and client',
        querystring: doc(sessionsQuery, 'input'),
        response: { 200: doc(pageOf(activeSessionSchema)), ...REFUSALS },
      },
    },
    async (request) => {
      const query = parseInput(sessionsQuery, request.query, 'query');
      const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, position);
      const fetched = await app.sessions.listLive(
        {
          limit: query.limit + 1,
          ...(query.user === undefined ? {} : { userId: query.user }),
          ...(query.client === undefined ? {} : { clientId: query.client }),
          ...(before === undefined
            ? {}
            : { before: { createdAt: before.created_at, id: before.id } }),
        },
        app.clock.now(),
      );
      return paged(fetched, query.limit, activeSessionJson, (s) => ({
        created_at: s.createdAt,
        id: s.id,
      }));
    },
  );

  app.delete(
    '/sessions/:session_id',
    {
      schema: {
        tags: ['sessions'],
        summary: 'End a session and the token families born in it (offline ones stay)',
        params: doc(sessionParams),
        response: { 200: doc(z.object({ revoked_families: z.number() })), ...REFUSALS },
      },
    },
    async (request) => {
      const { session_id } = parseInput(sessionParams, request.params, 'params');
      const { revokedFamilies } = await revokeSessionById(deps, session_id, actor(request));
      return { revoked_families: revokedFamilies };
    },
  );
}
