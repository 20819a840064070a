import {
  deviceInteractionRequest,
  normalizeUserCode,
  sha256Hex,
  userCodeProblem,
  type UserCodeProblem,
} from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfCookie, csrfToken, currentSession } from '../../http/browser-session.js';
import { sendErrorPage, sendHtml } from '../../http/html-reply.js';
import { continueAuthorization } from '../../interaction/authorization-flow.js';
import { devicePage, messagePage } from '../../views/index.js';
import { pageContext } from '../../http/page-locale.js';
import { messages, type Messages } from '../../i18n/index.js';

export const DEVICE_PATH = '/device';

/** What each problem with a real code tells the person, in plain words. */
const problems = (
  t: Messages['device'],
): Record<Exclude<UserCodeProblem, 'unknown'>, readonly [string, string]> => ({
  expired: [t.expiredTitle, t.expired],
  answered: [t.answeredTitle, t.answered],
});

/**
 * The verification page (RFC 8628 3.3): GET shows the code field (prefilled from
 * verification_uri_complete's `user_code`; nothing is decided by merely opening that link),
 * POST looks the code up and hands the device's request to the normal login and consent
 * interaction. Wrong codes are limited per address and per browser against guessing.
 */
export async function deviceRoutes(app: FastifyInstance) {
  const { clock, clientCache, deviceAuthorizations, userCodeThrottle: throttle } = app;
  app.get<{ Querystring: { user_code?: unknown } }>(DEVICE_PATH, async (request, reply) => {
    const typed =
      typeof request.query.user_code === 'string' ? request.query.user_code.slice(0, 32) : '';
    return sendHtml(
      reply,
      200,
      devicePage({
        userCode: typed,
        csrf: csrfToken(request, reply, app),
        action: DEVICE_PATH,
        ...pageContext(request),
      }),
    );
  });

  app.post<{ Body: { user_code?: unknown; csrf?: unknown } }>(
    DEVICE_PATH,
    async (request, reply) => {
      const form = request.body ?? {};
      const t = messages(request.locale).device;
      const cookie = csrfCookie(request, app);
      if (!cookie || form.csrf !== cookie) {
        return sendErrorPage(reply, 403, messages(request.locale).form.csrfTitle, t.csrf);
      }
      const session = await currentSession(request, app);
      // Per browser: its session when signed in, else its CSRF cookie (the per-address limit
      // catches a guesser who drops cookies).
      const browser = session ? `session:${session.sessionId}` : `csrf:${cookie}`;
      const wait = await throttle.retryAfter(request.ip, browser);
      if (wait !== undefined) {
        request.log.warn(
          { event: 'device.user_code_throttled', ip: request.ip, retryAfter: wait },
          'user code entries throttled',
        );
        void reply.header('retry-after', String(wait));
        return sendHtml(
          reply,
          429,
          messagePage({
            title: messages(request.locale).login.tooManyTitle,
            message: t.tooMany,
            ...pageContext(request),
          }),
        );
      }

      const typed = typeof form.user_code === 'string' ? form.user_code.slice(0, 32) : '';
      const canonical = normalizeUserCode(typed);
      const record = canonical
        ? await deviceAuthorizations.findByUserCode(sha256Hex(canonical))
        : null;
      const problem = userCodeProblem(record, clock.now());
      if (problem === 'unknown' || !record)
        return wrongCode(request, reply, typed, cookie, browser);
      if (problem) return sendErrorPage(reply, 400, ...problems(t)[problem]);

      const client = await clientCache.findById(record.clientId);
      if (!client) return sendErrorPage(reply, 400, t.clientGoneTitle, t.clientGone);
      return continueAuthorization({ request, reply }, app, {
        request: deviceInteractionRequest(record),
        client,
        session,
        afterPost: true,
        device: { deviceCodeHash: record.deviceCodeHash },
      });
    },
  );

  async function wrongCode(
    request: FastifyRequest,
    reply: FastifyReply,
    typed: string,
    csrf: string,
    browser: string,
  ): Promise<FastifyReply> {
    await throttle.recordFailure(request.ip, browser);
    request.log.info(
      { event: 'device.user_code_wrong', ip: request.ip },
      'wrong user code entered',
    );
    return sendHtml(
      reply,
      400,
      devicePage({
        userCode: typed,
        error: messages(request.locale).device.wrongCode,
        csrf,
        action: DEVICE_PATH,
        ...pageContext(request),
      }),
    );
  }
}
