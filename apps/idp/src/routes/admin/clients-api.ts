import { clientMetadataSchema } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createClient,
  findClient,
  removeClient,
  rotateClientSecret,
  updateClient,
} from '../../operations/client-operations.js';
import { actor } from './admin-auth.js';
import { adminBody, emptyBody, parseInput } from './admin-body.js';
import { doc, pathParams, REFUSALS } from './api-docs.js';
import { clientJson, clientMembers, clientSchema } from './api-json.js';
import { decodeCursor, pageOf, pageQuery, paged } from './paging.js';

const tags = ['clients'];
const clientParams = pathParams('client_id');
/** Any JSON object; its members are checked as client metadata, each refusal named by path. */
const metadataObject = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });
const withSecret = z.object({
  client: clientSchema,
  client_secret: z
    .string()
    .optional()
    .describe('Only when a secret was generated: shown this once, only its hash is stored'),
});

/**
 * Clients over the same operations as `pnpm idp clients ...` (operations/client-operations.ts):
 * metadata checked as the seed file is, updates in place (consents, tokens and the secret stay).
 */
export async function adminClientRoutes(app: FastifyInstance) {
  const deps = { clients: app.clients, clock: app.clock, config: app.config };
  /**
   * A change, then this instance's client cache brought up to date, so that the caller's next
   * request here already sees it (other instances poll the change counter every second).
   */
  const change = async <T>(operation: Promise<T>): Promise<T> => {
    const result = await operation;
    await app.clientCache.checkForChanges();
    return result;
  };

  app.get(
    '/clients',
    {
      schema: {
        tags,
        summary: 'List clients by client_id, a page at a time; search in client_id and name',
        querystring: doc(pageQuery, 'input'),
        response: { 200: doc(pageOf(clientSchema)), ...REFUSALS },
      },
    },
    async (request) => {
      const query = parseInput(pageQuery, request.query, 'query');
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, z.string());
      const fetched = await app.clients.page({
        limit: query.limit + 1,
        ...(after === undefined ? {} : { after }),
        ...(query.search === undefined ? {} : { search: query.search }),
      });
      return paged(fetched, query.limit, clientJson, (client) => client.clientId);
    },
  );

  app.post(
    '/clients',
    {
      schema: {
        tags,
        summary: 'Register a client from RFC 7591 metadata (as in the seed file)',
        body: doc(clientMetadataSchema, 'input'),
        response: { 201: doc(withSecret), 409: REFUSALS[400], ...REFUSALS },
      },
    },
    async (request, reply) => {
      const metadata = adminBody(metadataObject, request.body);
      const { client, secret } = await change(createClient(deps, metadata, actor(request)));
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({ client: clientJson(client), ...(secret ? { client_secret: secret } : {}) });
    },
  );

  app.get(
    '/clients/:client_id',
    {
      schema: {
        tags,
        summary: "A client's metadata",
        params: doc(clientParams),
        response: { 200: doc(clientSchema), ...REFUSALS },
      },
    },
    async (request) => {
      const { client_id } = parseInput(clientParams, request.params, 'params');
      return clientJson(await findClient(deps, client_id));
    },
  );

  app.patch(
    '/clients/:client_id',
    {
      schema: {
        tags,
        summary:
          'Change some metadata (JSON merge patch: null restores the default); consents, tokens and secret stay',
        params: doc(clientParams),
        body: doc(clientMembers.omit({ client_id: true, client_secret: true }).partial(), 'input'),
        response: { 200: doc(withSecret), ...REFUSALS },
      },
    },
    async (request, reply) => {
      const { client_id } = parseInput(clientParams, request.params, 'params');
      const patch = adminBody(metadataObject, request.body);
      const { client, secret } = await change(updateClient(deps, client_id, patch, actor(request)));
      if (secret) void reply.header('cache-control', 'no-store');
      return { client: clientJson(client), ...(secret ? { client_secret: secret } : {}) };
    },
  );

  app.post(
    '/clients/:client_id/rotate-secret',
    {
      schema: {
        tags,
        summary: "Replace a confidential client's secret; the new one is returned once",
        params: doc(clientParams),
        response: {
          200: doc(z.object({ client_id: z.string(), client_secret: z.string() })),
          409: REFUSALS[400],
          ...REFUSALS,
        },
      },
    },
    async (request, reply) => {
      const { client_id } = parseInput(clientParams, request.params, 'params');
      adminBody(emptyBody, request.body);
      const secret = await change(rotateClientSecret(deps, client_id, actor(request)));
      return reply.header('cache-control', 'no-store').send({ client_id, client_secret: secret });
    },
  );

  app.delete(
    '/clients/:client_id',
    {
      schema: {
        tags,
        summary: 'Delete a client with its consents and tokens',
        params: doc(clientParams),
        response: { 204: { type: 'null' }, ...REFUSALS },
      },
    },
    async (request, reply) => {
      const { client_id } = parseInput(clientParams, request.params, 'params');
      await change(removeClient(deps, client_id, actor(request)));
      return reply.status(204).send();
    },
  );
}
