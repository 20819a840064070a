import type { FastifyInstance } from 'fastify';
import { acceptSecondFactorForm } from '../../interaction/second-factor-form.js';
import { afterSecondFactor } from '../../interaction/second-factor-outcome.js';
import { LOGIN_CODE_PATH } from '../../interaction/second-factor-page.js';
import { signInWithCode } from '../../interaction/second-factor-sign-in.js';

interface CodeForm {
  code?: string;
  recovery_code?: string;
  interaction?: string;
  csrf?: string;
}

/**
 * The sign-in's second step (RFC 6238 codes, or a recovery code): on success the browser gets
 * a session whose `amr` is ["pwd","otp","mfa"], replacing a one-factor session after a step-up,
 * and the authorization goes on.
 */
export async function loginOneTimeCodeRoute(app: FastifyInstance) {
  app.post<{ Body: CodeForm }>(LOGIN_CODE_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const accepted = await acceptSecondFactorForm(request, reply, app, form);
    if (!accepted) return reply;
    const { client, pending } = accepted;
    const result = await signInWithCode(
      { request, reply },
      app,
      { userId: pending.userId, clientId: client.clientId },
      {
        code: typeof form.code === 'string' ? form.code : undefined,
        recoveryCode: typeof form.recovery_code === 'string' ? form.recovery_code : undefined,
      },
    );
    return afterSecondFactor({ request, reply }, app, accepted, result);
  });
}
