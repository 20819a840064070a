import { KeyError, SIGNING_ALGORITHMS, type SigningAlgorithm } from '@idp/keys';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { consoleMessages } from '../../i18n/index.js';
import { sendHtml } from '../../http/html-reply.js';
import { confirmPage } from '../../views/console/confirm-page.js';
import { CONSOLE_CSP, type ConsoleFrame } from '../../views/console/console-layout.js';
import { keysPage } from '../../views/console/keys-page.js';
import { consoleUser, formOf } from './console-guard.js';
import { consoleNotFound } from './console-pages.js';

/**
 * Signing keys in the console (under /admin/signing-keys: /admin/keys is the older JSON key API),
 * over the same `SigningKeys` operations as the admin API and the CLI. This instance reloads its
 * key ring after each change; the others pick it up on their refresh interval.
 */
export async function consoleKeyPages(app: FastifyInstance) {
  const { signingKeys, keyRing } = app;
  const send = (reply: FastifyReply, status: number, body: string) =>
    sendHtml(reply, status, body, CONSOLE_CSP);
  const show = async (reply: FastifyReply, frame: ConsoleFrame, notice?: string, status = 200) =>
    send(
      reply,
      status,
      keysPage({
        frame,
        keys: await signingKeys.list(),
        algorithms: app.config.signingAlgorithms,
        now: app.clock.now(),
        ...(notice ? { notice } : {}),
      }),
    );
  const refused = (reply: FastifyReply, frame: ConsoleFrame, error: unknown) => {
    if (!(error instanceof KeyError)) throw error;
    return consoleNotFound(
      reply,
      frame,
      'signing-keys',
      error.message,
      error.code === 'unknown_key' ? 404 : 409,
    );
  };

  app.get('/signing-keys', async (request, reply) => {
    const done = (request.query as Record<string, unknown>).done;
    return show(
      reply,
      consoleUser(request).frame,
      typeof done === 'string' ? done.slice(0, 300) : undefined,
    );
  });

  app.post('/signing-keys/rotate', async (request, reply) => {
    const { frame, actor } = consoleUser(request);
    const form = formOf(request);
    const alg = form.one('alg') ?? 'RS256';
    if (!(SIGNING_ALGORITHMS as readonly string[]).includes(alg))
      return show(reply, frame, consoleMessages(frame.locale).keys.notAlgorithm(alg), 400);
    try {
      const result = await signingKeys.rotate({
        immediately: form.one('now') === 'yes',
        actor,
        alg: alg as SigningAlgorithm,
      });
      await keyRing.refresh();
      const notice = consoleMessages(frame.locale).keys.rotated(
        result.alg,
        result.kid,
        new Date(result.activatesAt).toISOString(),
      );
      return reply.redirect(`/admin/signing-keys?done=${encodeURIComponent(notice)}`, 303);
    } catch (error) {
      return refused(reply, frame, error);
    }
  });

  for (const action of ['retire', 'revoke'] as const) {
    const page = (frame: ConsoleFrame, kid: string, error?: string) => {
      const t = consoleMessages(frame.locale).keys;
      const texts =
        action === 'retire'
          ? {
              title: t.retireTitle,
              message: t.retireMessage,
              checkbox: t.retireCheck,
              button: t.retireButton,
            }
          : {
              title: t.revokeTitle,
              message: t.revokeMessage,
              checkbox: t.revokeCheck,
              button: t.revokeButton,
            };
      return confirmPage({
        frame,
        section: 'signing-keys',
        title: texts.title,
        message: texts.message(kid),
        action: `/admin/signing-keys/${encodeURIComponent(kid)}/${action}`,
        checkbox: texts.checkbox,
        button: texts.button,
        back: { href: '/admin/signing-keys', text: t.keepIt },
        ...(error ? { error } : {}),
      });
    };
    app.get(`/signing-keys/:kid/${action}`, async (request, reply) => {
      const { frame } = consoleUser(request);
      const { kid } = request.params as { kid: string };
      const keys = await signingKeys.list();
      if (!keys.some((k) => k.kid === kid))
        return consoleNotFound(
          reply,
          frame,
          'signing-keys',
          consoleMessages(frame.locale).keys.notFound,
        );
      return send(reply, 200, page(frame, kid));
    });
    app.post(`/signing-keys/:kid/${action}`, async (request, reply) => {
      const { frame, actor } = consoleUser(request);
      const { kid } = request.params as { kid: string };
      if (formOf(request).one('confirm') !== 'yes')
        return send(reply, 400, page(frame, kid, consoleMessages(frame.locale).common.tickTheBox));
      try {
        if (action === 'retire') await signingKeys.retire(kid, actor);
        else await signingKeys.revoke(kid, actor);
        await keyRing.refresh();
        return reply.redirect(
          `/admin/signing-keys?done=${encodeURIComponent(
            action === 'retire'
              ? consoleMessages(frame.locale).keys.retired(kid)
              : consoleMessages(frame.locale).keys.revoked(kid),
          )}`,
          303,
        );
      } catch (error) {
        return refused(reply, frame, error);
      }
    });
  }
}
