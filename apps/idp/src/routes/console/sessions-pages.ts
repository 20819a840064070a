import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { consoleMessages } from '../../i18n/index.js';
import { sendHtml } from '../../http/html-reply.js';
import { serverOperationDeps } from '../../http/operation-deps.js';
import { OperationError } from '../../operations/operation-error.js';
import { revokeSessionById } from '../../operations/user-operations.js';
import { confirmPage } from '../../views/console/confirm-page.js';
import { CONSOLE_CSP, when, type ConsoleFrame } from '../../views/console/console-layout.js';
import { sessionsPage, type SessionFilters } from '../../views/console/sessions-page.js';
import { encodeCursor } from '../admin/paging.js';
import { consoleUser, formOf } from './console-guard.js';
import { consoleNotFound, cursorPosition, PAGE_SIZE } from './console-pages.js';

const position = z.strictObject({ createdAt: z.number().int().min(0), id: z.string() });

/** Every live browser session of the server, newest first; each can be ended after a confirmation. */
export async function consoleSessionPages(app: FastifyInstance) {
  const deps = serverOperationDeps(app);
  const send = (reply: FastifyReply, status: number, body: string) =>
    sendHtml(reply, status, body, CONSOLE_CSP);

  app.get('/sessions', async (request, reply) => {
    const { frame } = consoleUser(request);
    const query = request.query as Record<string, unknown>;
    const text = (name: string) => {
      const value = query[name];
      return typeof value === 'string' ? value.trim().slice(0, 320).replaceAll('\u0000', '') : '';
    };
    const filters: SessionFilters = { email: text('email'), client: text('client') };
    const done = text('done');
    const t = consoleMessages(frame.locale).sessions;
    const notice = done === 'ended' ? t.ended : undefined;
    const user = filters.email ? await app.users.findByEmail(filters.email.toLowerCase()) : null;
    if (filters.email && !user)
      return send(
        reply,
        200,
        sessionsPage({
          frame,
          filters,
          sessions: [],
          nextHref: null,
          problem: t.noSuchUser,
        }),
      );
    const before = cursorPosition(text('cursor') || undefined, position);
    const fetched = await app.sessions.listLive(
      {
        limit: PAGE_SIZE + 1,
        ...(user ? { userId: user.id } : {}),
        ...(filters.client ? { clientId: filters.client } : {}),
        ...(before ? { before } : {}),
      },
      app.clock.now(),
    );
    const sessions = fetched.slice(0, PAGE_SIZE);
    const last = sessions.at(-1);
    const nextHref =
      fetched.length > PAGE_SIZE && last
        ? `/admin/sessions?${new URLSearchParams({
            ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== '')),
            cursor: encodeCursor({ createdAt: last.createdAt, id: last.id }),
          }).toString()}`
        : null;
    return send(
      reply,
      200,
      sessionsPage({ frame, filters, sessions, nextHref, ...(notice ? { notice } : {}) }),
    );
  });

  /** The live session and its owner, or null. */
  const live = async (params: unknown) => {
    const id = (params as { session_id: string }).session_id;
    const session = id.includes('\u0000') ? null : await app.sessions.find(id);
    if (!session || session.endedAt !== null || session.expiresAt <= app.clock.now()) return null;
    const user = await app.users.findById(session.userId);
    return user ? { session, user } : null;
  };
  const missing = (reply: FastifyReply, frame: ConsoleFrame) =>
    consoleNotFound(reply, frame, 'sessions', consoleMessages(frame.locale).sessions.notFound);
  const page = (
    frame: ConsoleFrame,
    found: NonNullable<Awaited<ReturnType<typeof live>>>,
    url: string,
    error?: string,
  ) => {
    const t = consoleMessages(frame.locale);
    return confirmPage({
      frame,
      section: 'sessions',
      title: t.sessions.endTitle,
      message: t.sessions.endMessage(found.user.email, when(found.session.authTime)),
      action: url,
      checkbox: t.sessions.endCheck,
      button: t.sessions.endButton,
      back: { href: '/admin/sessions', text: t.common.leaveIt },
      ...(error ? { error } : {}),
    });
  };

  app.get('/sessions/:session_id/end', async (request, reply) => {
    const { frame } = consoleUser(request);
    const found = await live(request.params);
    if (!found) return missing(reply, frame);
    return send(reply, 200, page(frame, found, request.url));
  });

  app.post('/sessions/:session_id/end', async (request, reply) => {
    const { frame, actor } = consoleUser(request);
    const found = await live(request.params);
    if (!found) return missing(reply, frame);
    if (formOf(request).one('confirm') !== 'yes')
      return send(
        reply,
        400,
        page(frame, found, request.url, consoleMessages(frame.locale).common.tickTheBox),
      );
    try {
      await revokeSessionById(deps, found.session.id, actor);
    } catch (error) {
      // Ended meanwhile (by its owner, or another administrator).
      if (error instanceof OperationError && error.code === 'not_found')
        return missing(reply, frame);
      throw error;
    }
    return reply.redirect('/admin/sessions?done=ended', 303);
  });
}
