import { standardClaimsSchema } from '@idp/oidc';
import { serverOperationDeps } from '../../http/operation-deps.js';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createUser,
  findUserById,
  resetFactors,
  revokeUserConsent,
  revokeUserSession,
  revokeUserSessions,
  setUserDisabled,
  unlockUser,
  updateUserClaims,
} from '../../operations/user-operations.js';
import { actor } from './admin-auth.js';
import { adminBody, emptyBody, parseInput } from './admin-body.js';
import { doc, pathParams, REFUSALS } from './api-docs.js';
import {
  consentJson,
  consentSchema,
  sessionJson,
  sessionSchema,
  userJson,
  userSchema,
} from './api-json.js';
import { decodeCursor, pageOf, pageQuery, paged } from './paging.js';

const tags = ['users'];
const subParams = pathParams('sub');
const sessionParams = pathParams('sub', 'session_id');
const consentParams = pathParams('sub', 'client_id');

const createBody = z.strictObject(
  {
    email: z.string({ error: 'must be a string' }),
    password: z.string({ error: 'must be a string' }),
    claims: standardClaimsSchema.strict().default({}),
  },
  { error: 'must be a JSON object' },
);
const patchBody = z.strictObject(
  {
    claims: z
      .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
      .describe('Standard claims to change (JSON merge patch: null removes a claim)'),
  },
  { error: 'must be a JSON object' },
);
const revokedSchema = z.object({ revoked_families: z.number() });

/**
 * Users, their sessions and consents, over the same operations as `pnpm idp users ...`
 * (operations/user-operations.ts). Users are named by `sub`, which never changes.
 */
export async function adminUserRoutes(app: FastifyInstance) {
  const deps = serverOperationDeps(app);
  const user = (params: unknown, schema: z.ZodType<{ sub: string }> = subParams) =>
    findUserById(deps, parseInput(schema, params, 'params').sub);

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'List users by email, a page at a time; search in the email, or by exact sub',
        querystring: doc(pageQuery, 'input'),
        response: { 200: doc(pageOf(userSchema)), ...REFUSALS },
      },
    },
    async (request) => {
      const query = parseInput(pageQuery, request.query, 'query');
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, z.string());
      const fetched = await app.users.page({
        limit: query.limit + 1,
        ...(after === undefined ? {} : { after }),
        ...(query.search === undefined ? {} : { search: query.search }),
      });
      return paged(fetched, query.limit, userJson, (u) => u.email);
    },
  );

  app.post(
    '/users',
    {
      schema: {
        tags,
        summary: 'Add a user with a password and standard claims',
        body: doc(createBody, 'input'),
        response: { 201: doc(userSchema), 409: REFUSALS[400], ...REFUSALS },
      },
    },
    async (request, reply) => {
      const body = adminBody(createBody, request.body);
      return reply.status(201).send(userJson(await createUser(deps, body, actor(request))));
    },
  );

  app.get(
    '/users/:sub',
    {
      schema: {
        tags,
        summary: 'A user',
        params: doc(subParams),
        response: { 200: doc(userSchema), ...REFUSALS },
      },
    },
    async (request) => userJson(await user(request.params)),
  );

  app.patch(
    '/users/:sub',
    {
      schema: {
        tags,
        summary: "Change a user's claims; sessions and tokens stay",
        params: doc(subParams),
        body: doc(patchBody, 'input'),
        response: { 200: doc(userSchema), ...REFUSALS },
      },
    },
    async (request) => {
      const found = await user(request.params);
      const { claims } = adminBody(patchBody, request.body);
      return userJson(await updateUserClaims(deps, found, claims, actor(request)));
    },
  );

  for (const [action, disabled, summary] of [
    ['disable', true, "Block logins and revoke the user's sessions and tokens"],
    ['enable', false, 'Allow logins again'],
  ] as const) {
    app.post(
      `/users/:sub/${action}`,
      {
        schema: {
          tags,
          summary,
          params: doc(subParams),
          response: { 200: doc(userSchema), ...REFUSALS },
        },
      },
      async (request) => {
        const found = await user(request.params);
        adminBody(emptyBody, request.body);
        return userJson(await setUserDisabled(deps, found, disabled, actor(request)));
      },
    );
  }

  app.post(
    '/users/:sub/unlock',
    {
      schema: {
        tags,
        summary: 'Forgive the failed sign-ins counted so far, on every instance',
        params: doc(subParams),
        response: { 204: { type: 'null' }, ...REFUSALS },
      },
    },
    async (request, reply) => {
      const found = await user(request.params);
      adminBody(emptyBody, request.body);
      await unlockUser(deps, found, actor(request));
      return reply.status(204).send();
    },
  );

  app.post(
    '/users/:sub/reset-factors',
    {
      schema: {
        tags,
        summary:
          'Remove every second factor (one-time codes with recovery codes, passkeys): for a lost device',
        params: doc(subParams),
        response: {
          200: doc(z.object({ one_time_codes: z.boolean(), passkeys: z.number() })),
          ...REFUSALS,
        },
      },
    },
    async (request) => {
      const found = await user(request.params);
      adminBody(emptyBody, request.body);
      const removed = await resetFactors(deps, found, actor(request));
      return { one_time_codes: removed.oneTimeCodes, passkeys: removed.passkeys };
    },
  );

  app.get(
    '/users/:sub/sessions',
    {
      schema: {
        tags,
        summary: "The user's live browser sessions, newest sign-in first",
        params: doc(subParams),
        response: { 200: doc(z.object({ sessions: z.array(sessionSchema) })), ...REFUSALS },
      },
    },
    async (request) => {
      const found = await user(request.params);
      const sessions = await app.sessions.listForUser(found.id, app.clock.now());
      return { sessions: sessions.map(sessionJson) };
    },
  );

  app.delete(
    '/users/:sub/sessions',
    {
      schema: {
        tags,
        summary: 'End every session of the user and revoke all their refresh-token families',
        params: doc(subParams),
        response: { 204: { type: 'null' }, ...REFUSALS },
      },
    },
    async (request, reply) => {
      await revokeUserSessions(deps, await user(request.params), actor(request));
      return reply.status(204).send();
    },
  );

  app.delete(
    '/users/:sub/sessions/:session_id',
    {
      schema: {
        tags,
        summary: 'End one session and the token families born in it (offline ones stay)',
        params: doc(sessionParams),
        response: { 200: doc(revokedSchema), ...REFUSALS },
      },
    },
    async (request) => {
      const { session_id } = parseInput(sessionParams, request.params, 'params');
      const found = await user(request.params, sessionParams);
      const { revokedFamilies } = await revokeUserSession(deps, found, session_id, actor(request));
      return { revoked_families: revokedFamilies };
    },
  );

  app.get(
    '/users/:sub/consents',
    {
      schema: {
        tags,
        summary: 'What the user granted each client',
        params: doc(subParams),
        response: { 200: doc(z.object({ consents: z.array(consentSchema) })), ...REFUSALS },
      },
    },
    async (request) => {
      const found = await user(request.params);
      return { consents: (await app.consents.listForUser(found.id)).map(consentJson) };
    },
  );

  app.delete(
    '/users/:sub/consents/:client_id',
    {
      schema: {
        tags,
        summary: 'Take back a consent and revoke the tokens issued under it (offline ones too)',
        params: doc(consentParams),
        response: { 200: doc(revokedSchema), ...REFUSALS },
      },
    },
    async (request) => {
      const { client_id } = parseInput(consentParams, request.params, 'params');
      const found = await user(request.params, consentParams);
      const { revokedFamilies } = await revokeUserConsent(deps, found, client_id, actor(request));
      return { revoked_families: revokedFamilies };
    },
  );
}
