import type { UserAccount } from '@idp/oidc';
import { serverOperationDeps } from '../../http/operation-deps.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { consoleMessages, type ConsoleMessages } from '../../i18n/index.js';
import { sendHtml } from '../../http/html-reply.js';
import { OperationError } from '../../operations/operation-error.js';
import {
  createUser,
  resetFactors,
  revokeUserSession,
  revokeUserSessions,
  setUserDisabled,
  unlockUser,
} from '../../operations/user-operations.js';
import { confirmPage } from '../../views/console/confirm-page.js';
import { CONSOLE_CSP, type ConsoleFrame } from '../../views/console/console-layout.js';
import { newUserPage, userPage, usersListPage } from '../../views/console/users-pages.js';
import { consoleUser, formOf } from './console-guard.js';
import { consoleNotFound, cursorPosition, listQuery, nextPageHref } from './console-pages.js';

/** Users and their sessions in the console, over the same operations as the API and CLI. */
export async function consoleUserPages(app: FastifyInstance) {
  const deps = serverOperationDeps(app);
  const send = (reply: FastifyReply, status: number, body: string) =>
    sendHtml(reply, status, body, CONSOLE_CSP);
  const subOf = (params: unknown) => (params as { sub: string }).sub;
  const findUser = (params: unknown) =>
    subOf(params).includes('\u0000') ? Promise.resolve(null) : app.users.findById(subOf(params));
  const missing = (reply: FastifyReply, frame: ConsoleFrame) =>
    consoleNotFound(reply, frame, 'users', consoleMessages(frame.locale).users.notFound);
  const back = (user: UserAccount, notice: string) =>
    `/admin/users/${encodeURIComponent(user.id)}?done=${notice}`;

  app.get('/users', async (request, reply) => {
    const { frame } = consoleUser(request);
    const query = listQuery(request.query);
    const after = cursorPosition(query.cursor, z.string());
    const fetched = await app.users.page({
      limit: query.limit + 1,
      ...(after === undefined ? {} : { after }),
      ...(query.search ? { search: query.search } : {}),
    });
    const shown = fetched.slice(0, query.limit);
    const next =
      fetched.length > query.limit
        ? nextPageHref('/admin/users', query, shown.at(-1)!.email)
        : null;
    return send(
      reply,
      200,
      usersListPage({ frame, users: shown, search: query.search ?? '', nextHref: next }),
    );
  });

  app.get('/users/new', async (request, reply) =>
    send(
      reply,
      200,
      newUserPage({
        frame: consoleUser(request).frame,
        values: { email: '', name: '' },
        problems: [],
      }),
    ),
  );

  app.post('/users/new', async (request, reply) => {
    const { frame, actor } = consoleUser(request);
    const form = formOf(request);
    const values = { email: form.one('email') ?? '', name: form.one('name') ?? '' };
    try {
      const user = await createUser(
        deps,
        {
          email: values.email,
          password: form.one('password') ?? '',
          claims: values.name ? { name: values.name } : {},
        },
        actor,
      );
      return reply.redirect(back(user, 'created'), 303);
    } catch (error) {
      if (!(error instanceof OperationError)) throw error;
      const problems =
        error.problems.length > 0
          ? [...error.problems]
          : [{ path: 'email', message: error.message }];
      return send(reply, 400, newUserPage({ frame, values, problems }));
    }
  });

  app.get('/users/:sub', async (request, reply) => {
    const { frame } = consoleUser(request);
    const user = await findUser(request.params);
    if (!user) return missing(reply, frame);
    const sessions = await app.sessions.listForUser(user.id, app.clock.now());
    const factors = {
      oneTimeCodes: (await app.oneTimeCodes.find(user.id, app.clock.now()))?.confirmed === true,
      passkeys: (await app.passkeys.listForUser(user.id)).length,
    };
    const done = (request.query as Record<string, unknown>).done;
    const notices = consoleMessages(frame.locale).users.notices;
    const notice =
      typeof done === 'string' && Object.hasOwn(notices, done) ? notices[done] : undefined;
    return send(
      reply,
      200,
      userPage({ frame, user, sessions, factors, ...(notice ? { notice } : {}) }),
    );
  });

  // Reversible or harmless: one button, no confirmation.
  for (const [action, notice] of [
    ['enable', 'enabled'],
    ['unlock', 'unlocked'],
  ] as const) {
    app.post(`/users/:sub/${action}`, async (request, reply) => {
      const { frame, actor } = consoleUser(request);
      const user = await findUser(request.params);
      if (!user) return missing(reply, frame);
      if (action === 'enable') await setUserDisabled(deps, user, false, actor);
      else await unlockUser(deps, user, actor);
      return reply.redirect(back(user, notice), 303);
    });
  }

  /** Destructive: a confirmation page first, and the box must be ticked. */
  const confirmed = (
    path: string,
    pick: (t: ConsoleMessages['users']) => {
      title: string;
      message: (email: string) => string;
      checkbox: string;
      button: string;
    },
    run: (
      user: UserAccount,
      actor: string,
      params: Record<string, string>,
    ) => Promise<string | null>,
  ) => {
    const page = (frame: ConsoleFrame, user: UserAccount, url: string, error?: string) => {
      const t = consoleMessages(frame.locale);
      const texts = pick(t.users);
      return confirmPage({
        frame,
        section: 'users',
        title: texts.title,
        message: texts.message(user.email),
        action: url,
        checkbox: texts.checkbox,
        button: texts.button,
        back: { href: `/admin/users/${encodeURIComponent(user.id)}`, text: t.common.leaveIt },
        ...(error ? { error } : {}),
      });
    };
    app.get(path, async (request, reply) => {
      const { frame } = consoleUser(request);
      const user = await findUser(request.params);
      if (!user) return missing(reply, frame);
      return send(reply, 200, page(frame, user, request.url));
    });
    app.post(path, async (request, reply) => {
      const { frame, actor } = consoleUser(request);
      const user = await findUser(request.params);
      if (!user) return missing(reply, frame);
      if (formOf(request).one('confirm') !== 'yes')
        return send(
          reply,
          400,
          page(frame, user, request.url, consoleMessages(frame.locale).common.tickTheBox),
        );
      try {
        const notice = await run(user, actor, request.params as Record<string, string>);
        return reply.redirect(back(user, notice ?? 'ended'), 303);
      } catch (error) {
        if (error instanceof OperationError)
          return consoleNotFound(
            reply,
            frame,
            'users',
            error.message,
            error.code === 'not_found' ? 404 : 409,
          );
        throw error;
      }
    });
  };

  confirmed(
    '/users/:sub/disable',
    (t) => ({
      title: t.disableTitle,
      message: t.disableMessage,
      checkbox: t.disableCheck,
      button: t.disableButton,
    }),
    async (user, actor) => {
      await setUserDisabled(deps, user, true, actor);
      return 'disabled';
    },
  );
  confirmed(
    '/users/:sub/reset-factors',
    (t) => ({
      title: t.resetTitle,
      message: t.resetMessage,
      checkbox: t.resetCheck,
      button: t.resetButton,
    }),
    async (user, actor) => {
      const removed = await resetFactors(deps, user, actor);
      return removed.oneTimeCodes || removed.passkeys > 0 ? 'factors-reset' : 'no-factors';
    },
  );
  confirmed(
    '/users/:sub/revoke-sessions',
    (t) => ({
      title: t.revokeTitle,
      message: t.revokeMessage,
      checkbox: t.revokeCheck,
      button: t.revokeButton,
    }),
    async (user, actor) => {
      await revokeUserSessions(deps, user, actor);
      return 'revoked';
    },
  );
  confirmed(
    '/users/:sub/sessions/:session_id/end',
    (t) => ({
      title: t.endTitle,
      message: t.endMessage,
      checkbox: t.endCheck,
      button: t.endButton,
    }),
    async (user, actor, params) => {
      await revokeUserSession(deps, user, params.session_id ?? '', actor);
      return 'ended';
    },
  );
}
