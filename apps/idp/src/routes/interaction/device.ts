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

export const DEVICE_PATH = '/device';

const WRONG_CODE = 'That code is not valid. Check the code on your device and try again.';

/** What each problem with a real code tells the person, in plain words. */
const PROBLEMS: Record<Exclude<UserCodeProblem, 'unknown'>, readonly [string, string]> = {
  expired: [
    'This code has expired',
    'Codes work for a few minutes only. Start again on your device to get a new code.',
  ],
  answered: [
    'This code was already used',
    'The device was already allowed or denied with it. Start again on your device if you need a new code.',
  ],
};

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
      devicePage({ userCode: typed, csrf: csrfToken(request, reply, app), action: DEVICE_PATH }),
    );
  });

  app.post<{ Body: { user_code?: unknown; csrf?: unknown } }>(
    DEVICE_PATH,
    async (request, reply) => {
      const form = request.body ?? {};
      const cookie = csrfCookie(request, app);
      if (!cookie || form.csrf !== cookie) {
        return sendErrorPage(
          reply,
          403,
          'This form could not be accepted',
          "It did not come from this browser's pages. Open the link shown on your device and try again.",
        );
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
            title: 'Too many attempts',
            message: 'Too many wrong codes were entered. Wait a few minutes, then try again.',
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
      if (problem) return sendErrorPage(reply, 400, ...PROBLEMS[problem]);

      const client = await clientCache.findById(record.clientId);
      if (!client)
        return sendErrorPage(
          reply,
          400,
          'This code is not valid',
          'The application that asked for it is no longer registered.',
        );
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
      devicePage({ userCode: typed, error: WRONG_CODE, csrf, action: DEVICE_PATH }),
    );
  }
}
