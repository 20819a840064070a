import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseInput } from './admin-body.js';
import { doc, REFUSALS } from './api-docs.js';
import { auditEventJson, auditEventSchema } from './api-json.js';
import { decodeCursor, pageOf, paged } from './paging.js';

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

/** PostgreSQL's text cannot hold a NUL: refused here rather than failing in the query. */
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'must not contain a NUL character');

const auditQuery = z.strictObject({
  type: text(200).optional().describe('e.g. client.updated, login.failed'),
  actor: text(300).optional().describe('e.g. cli, admin-token, client:<id>'),
  user: text(300).optional().describe("the user's sub"),
  client: text(300).optional().describe('a client_id'),
  since: instant.optional().describe('events at or after this time'),
  until: instant.optional().describe('events before this time'),
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 500' })
    .int({ error: 'must be a whole number from 1 to 500' })
    .min(1, { error: 'must be a whole number from 1 to 500' })
    .max(500, { error: 'must be a whole number from 1 to 500' })
    .default(50),
  cursor: z.string().max(2000).optional(),
});

const position = z.strictObject({
  at: z.number().int().min(0).max(8.64e15),
  id: z.string().refine((id) => !id.includes('\u0000')),
});

/** The audit trail, newest first, filtered and paged. */
export async function adminAuditRoutes(app: FastifyInstance) {
  app.get(
    '/audit-events',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first: filter by type, actor, user, client and time',
        querystring: doc(auditQuery, 'input'),
        response: { 200: doc(pageOf(auditEventSchema)), ...REFUSALS },
      },
    },
    async (request) => {
      const query = parseInput(auditQuery, request.query, 'query');
      const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, position);
      const fetched = await app.audit.recent({
        limit: query.limit + 1,
        ...(query.type === undefined ? {} : { type: query.type }),
        ...(query.actor === undefined ? {} : { actor: query.actor }),
        ...(query.user === undefined ? {} : { userId: query.user }),
        ...(query.client === undefined ? {} : { clientId: query.client }),
        ...(query.since === undefined ? {} : { since: Date.parse(query.since) }),
        ...(query.until === undefined ? {} : { until: Date.parse(query.until) }),
        ...(before === undefined ? {} : { before }),
      });
      return paged(fetched, query.limit, auditEventJson, (e) => ({ at: e.at, id: e.id }));
    },
  );
}
