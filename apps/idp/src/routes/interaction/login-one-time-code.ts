import { AMR_PASSWORD_AND_CODE } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { currentSession, startSession } from '../../http/browser-session.js';
import { sendErrorPage, sendHtml } from '../../http/html-reply.js';
import { continueAuthorization } from '../../interaction/authorization-flow.js';
import { LOGIN_CODE_PATH, sendSecondFactorPage } from '../../interaction/second-factor-page.js';
import { acceptSubmittedForm } from '../../interaction/submitted-form.js';
import { checkSecondFactor } from '../../one-time-codes/second-factor-check.js';
import { messagePage } from '../../views/index.js';

interface CodeForm {
  code?: string;
  recovery_code?: string;
  interaction?: string;
  csrf?: string;
}

const WRONG_CODE =
  'That code did not work. Type the code your app shows now (each code works once), or a recovery code.';

/**
 * The sign-in's second step (RFC 6238 codes, or a recovery code): on success the browser gets
 * a session whose `amr` is ["pwd","otp","mfa"] (RFC 8176: a recovery code is a one-time
 * password too), replacing a one-factor session after a step-up, and the authorization goes on.
 */
export async function loginOneTimeCodeRoute(app: FastifyInstance) {
  const { users, audit, clock, metrics } = app;

  app.post<{ Body: CodeForm }>(LOGIN_CODE_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const accepted = await acceptSubmittedForm(request, reply, app, form);
    if (!accepted) return reply;
    const { state, client } = accepted;
    const pending = state.secondFactor;
    if (!pending)
      return sendErrorPage(
        reply,
        400,
        'This form could not be accepted',
        'Go back to the application and start signing in again.',
      );
    // A step-up completes the session it began in: not another one this browser signed in to since.
    if (pending.sessionId !== undefined) {
      const current = await currentSession(request, app);
      if (current?.sessionId !== pending.sessionId)
        return sendErrorPage(
          reply,
          400,
          'You were signed out',
          'Go back to the application and sign in again.',
        );
    }
    const user = await users.findById(pending.userId);
    if (!user || user.disabled)
      return sendErrorPage(
        reply,
        400,
        'This account cannot sign in',
        'Go back to the application and start again.',
      );

    const typed = {
      code: typeof form.code === 'string' ? form.code : undefined,
      recoveryCode: typeof form.recovery_code === 'string' ? form.recovery_code : undefined,
    };
    const result = await checkSecondFactor(app, user.id, typed, request.ip);
    if (result.kind === 'locked') {
      metrics.login('throttled');
      void reply.header('retry-after', String(result.retryAfterSeconds));
      return sendHtml(
        reply,
        429,
        messagePage({
          title: 'Too many wrong codes',
          message: `One-time codes for this account are paused after several wrong codes. Wait ${Math.ceil(result.retryAfterSeconds / 60)} minutes, then go back to the application and try again.`,
        }),
      );
    }
    if (result.kind !== 'accepted') {
      metrics.login('wrong_one_time_code');
      await audit.record(
        {
          type: 'login.failed',
          userId: user.id,
          clientId: client.clientId,
          ip: request.ip,
          data: { reason: result.kind === 'wrong' ? 'wrong_one_time_code' : 'no_second_factor' },
        },
        clock.now(),
      );
      return sendSecondFactorPage({ request, reply }, app, {
        request: state.request,
        client,
        pending,
        device: state.device,
        error: WRONG_CODE,
      });
    }

    metrics.login('success');
    const session = await startSession(request, reply, app, user.id, AMR_PASSWORD_AND_CODE);
    await audit.record(
      {
        type: 'login.succeeded',
        userId: user.id,
        clientId: client.clientId,
        ip: request.ip,
        data: { amr: session.amr, secondFactor: result.method },
      },
      clock.now(),
    );
    return continueAuthorization({ request, reply }, app, {
      request: state.request,
      client,
      session,
      // prompt=login and max_age were met by the password typed in this interaction.
      justAuthenticated: pending.sessionId === undefined,
      afterPost: true,
      device: state.device,
    });
  });
}
