import { responseTypesFor } from '@idp/oidc';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { clientDocument } from '../../cli/client-document.js';
import { sendHtml } from '../../http/html-reply.js';
import {
  createClient,
  removeClient,
  rotateClientSecret,
  updateClient,
} from '../../operations/client-operations.js';
import { OperationError, type Problem } from '../../operations/operation-error.js';
import {
  clientFormPage,
  clientFormValues,
  clientsListPage,
  EMPTY_CLIENT,
  secretPage,
  type ClientFormValues,
} from '../../views/console/clients-pages.js';
import { confirmPage } from '../../views/console/confirm-page.js';
import { CONSOLE_CSP } from '../../views/console/console-layout.js';
import { consoleUser, formOf, type ConsoleForm } from './console-guard.js';
import { consoleNotFound, cursorPosition, listQuery, nextPageHref } from './console-pages.js';
import { z } from 'zod';
import { consoleMessages } from '../../i18n/index.js';

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

function valuesOf(form: ConsoleForm, clientId: string): ClientFormValues {
  return {
    client_id: clientId,
    client_name: form.one('client_name') ?? '',
    token_endpoint_auth_method: form.one('token_endpoint_auth_method') ?? '',
    grant_types: form.all('grant_types'),
    redirect_uris: form.one('redirect_uris') ?? '',
    post_logout_redirect_uris: form.one('post_logout_redirect_uris') ?? '',
    scope: form.one('scope') ?? '',
    more: form.one('more') ?? '',
  };
}

/**
 * The form as RFC 7591 metadata: the fields, then the JSON object of further members over them.
 * Problems in that JSON are named like the operations name theirs (`more` for the box itself).
 */
function metadataOf(values: ClientFormValues, create: boolean): Record<string, unknown> {
  let more: Record<string, unknown> = {};
  if (values.more.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.more);
    } catch {
      throw OperationError.invalid([{ path: 'more', message: 'is not valid JSON' }]);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw OperationError.invalid([{ path: 'more', message: 'must be a JSON object' }]);
    more = parsed as Record<string, unknown>;
  }
  const grants = values.grant_types;
  return {
    ...(create ? { client_id: values.client_id } : {}),
    ...(values.client_name.trim() === ''
      ? create
        ? {}
        : { client_name: null }
      : { client_name: values.client_name.trim() }),
    token_endpoint_auth_method: values.token_endpoint_auth_method,
    grant_types: grants,
    response_types: responseTypesFor(grants),
    redirect_uris: lines(values.redirect_uris),
    post_logout_redirect_uris: lines(values.post_logout_redirect_uris),
    scope: values.scope.trim().split(/\s+/).filter(Boolean).join(' '),
    ...more,
  };
}

/** Invalid input shown on the form with each problem's path; other refusals rethrown. */
function problemsOf(error: unknown): Problem[] {
  if (error instanceof OperationError && (error.code === 'invalid' || error.code === 'conflict'))
    return error.problems.length > 0
      ? [...error.problems]
      : [{ path: '(client)', message: error.message }];
  throw error;
}

/** Clients in the console, over the same operations as the admin API and the CLI. */
export async function consoleClientPages(app: FastifyInstance) {
  const deps = { clients: app.clients, clock: app.clock, config: app.config };
  const refreshCache = () => app.clientCache.checkForChanges();
  const send = (reply: FastifyReply, status: number, body: string) =>
    sendHtml(reply, status, body, CONSOLE_CSP);
  const paramId = (params: unknown) => (params as { client_id: string }).client_id;

  app.get('/clients', async (request, reply) => {
    const { frame } = consoleUser(request);
    const query = listQuery(request.query);
    const after = cursorPosition(query.cursor, z.string());
    const fetched = await app.clients.page({
      limit: query.limit + 1,
      ...(after === undefined ? {} : { after }),
      ...(query.search ? { search: query.search } : {}),
    });
    const shown = fetched.slice(0, query.limit);
    const next =
      fetched.length > query.limit
        ? nextPageHref('/admin/clients', query, shown.at(-1)!.clientId)
        : null;
    const deleted = (request.query as Record<string, unknown>).deleted;
    const notice =
      typeof deleted === 'string'
        ? consoleMessages(frame.locale).clients.deleted(deleted)
        : undefined;
    return send(
      reply,
      200,
      clientsListPage({
        frame,
        clients: shown,
        search: query.search ?? '',
        nextHref: next,
        ...(notice ? { notice } : {}),
      }),
    );
  });

  app.get('/clients/new', async (request, reply) =>
    send(
      reply,
      200,
      clientFormPage({
        frame: consoleUser(request).frame,
        mode: 'create',
        values: EMPTY_CLIENT,
        problems: [],
      }),
    ),
  );

  app.post('/clients/new', async (request, reply) => {
    const { frame, actor } = consoleUser(request);
    const form = formOf(request);
    const values = valuesOf(form, (form.one('client_id') ?? '').trim());
    try {
      const { client, secret } = await createClient(deps, metadataOf(values, true), actor);
      await refreshCache();
      if (secret)
        return send(
          reply,
          201,
          secretPage({
            frame,
            clientId: client.clientId,
            secret,
            what: consoleMessages(frame.locale).clients.registeredWithSecret(client.clientId),
          }),
        );
      return reply.redirect(`/admin/clients/${encodeURIComponent(client.clientId)}?saved=1`, 303);
    } catch (error) {
      return send(
        reply,
        400,
        clientFormPage({ frame, mode: 'create', values, problems: problemsOf(error) }),
      );
    }
  });

  app.get('/clients/:client_id', async (request, reply) => {
    const { frame } = consoleUser(request);
    const client = await app.clients.findById(paramId(request.params));
    if (!client)
      return consoleNotFound(
        reply,
        frame,
        'clients',
        consoleMessages(frame.locale).clients.notFound,
      );
    const saved = (request.query as Record<string, unknown>).saved !== undefined;
    return send(
      reply,
      200,
      clientFormPage({
        frame,
        mode: 'edit',
        values: clientFormValues(client),
        problems: [],
        metadata: clientDocument(client),
        ...(saved ? { notice: consoleMessages(frame.locale).clients.saved } : {}),
      }),
    );
  });

  app.post('/clients/:client_id', async (request, reply) => {
    const { frame, actor } = consoleUser(request);
    const clientId = paramId(request.params);
    const existing = await app.clients.findById(clientId);
    if (!existing)
      return consoleNotFound(
        reply,
        frame,
        'clients',
        consoleMessages(frame.locale).clients.notFound,
      );
    const values = valuesOf(formOf(request), clientId);
    try {
      // Only what differs from the stored metadata: the audit event names the real changes.
      const stored: Record<string, unknown> = clientDocument(existing);
      const patch = Object.fromEntries(
        Object.entries(metadataOf(values, false)).filter(
          ([key, value]) => JSON.stringify(stored[key] ?? null) !== JSON.stringify(value),
        ),
      );
      const { secret } = await updateClient(deps, clientId, patch, actor);
      await refreshCache();
      if (secret)
        return send(
          reply,
          200,
          secretPage({
            frame,
            clientId,
            secret,
            what: consoleMessages(frame.locale).clients.nowWithSecret(clientId),
          }),
        );
      return reply.redirect(`/admin/clients/${encodeURIComponent(clientId)}?saved=1`, 303);
    } catch (error) {
      return send(
        reply,
        400,
        clientFormPage({
          frame,
          mode: 'edit',
          values,
          problems: problemsOf(error),
          metadata: clientDocument(existing),
        }),
      );
    }
  });

  for (const action of ['rotate-secret', 'delete'] as const) {
    const confirm = (
      frame: Parameters<typeof confirmPage>[0]['frame'],
      clientId: string,
      error?: string,
    ) => {
      const t = consoleMessages(frame.locale);
      const c = t.clients;
      const texts =
        action === 'delete'
          ? {
              title: c.deleteTitle,
              message: c.deleteMessage,
              checkbox: c.deleteCheck,
              button: c.deleteButton,
            }
          : {
              title: c.rotateTitle,
              message: c.rotateMessage,
              checkbox: c.rotateCheck,
              button: c.rotateButton,
            };
      return confirmPage({
        frame,
        section: 'clients',
        title: texts.title,
        message: texts.message(clientId),
        action: `/admin/clients/${encodeURIComponent(clientId)}/${action}`,
        checkbox: texts.checkbox,
        button: texts.button,
        back: { href: `/admin/clients/${encodeURIComponent(clientId)}`, text: t.common.keepIt },
        ...(error ? { error } : {}),
      });
    };
    app.get(`/clients/:client_id/${action}`, async (request, reply) => {
      const { frame } = consoleUser(request);
      const client = await app.clients.findById(paramId(request.params));
      if (!client)
        return consoleNotFound(
          reply,
          frame,
          'clients',
          consoleMessages(frame.locale).clients.notFound,
        );
      return send(reply, 200, confirm(frame, client.clientId));
    });
    app.post(`/clients/:client_id/${action}`, async (request, reply) => {
      const { frame, actor } = consoleUser(request);
      const clientId = paramId(request.params);
      if (formOf(request).one('confirm') !== 'yes')
        return send(
          reply,
          400,
          confirm(frame, clientId, consoleMessages(frame.locale).common.tickTheBox),
        );
      try {
        if (action === 'delete') {
          await removeClient(deps, clientId, actor);
          await refreshCache();
          return reply.redirect(`/admin/clients?deleted=${encodeURIComponent(clientId)}`, 303);
        }
        const secret = await rotateClientSecret(deps, clientId, actor);
        await refreshCache();
        return send(
          reply,
          200,
          secretPage({
            frame,
            clientId,
            secret,
            what: consoleMessages(frame.locale).clients.secretReplaced(clientId),
          }),
        );
      } catch (error) {
        if (error instanceof OperationError)
          return consoleNotFound(
            reply,
            frame,
            'clients',
            error.message,
            error.code === 'not_found' ? 404 : 409,
          );
        throw error;
      }
    });
  }
}
