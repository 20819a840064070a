import { sha256Hex, type UserAccount } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readKnownDevice, knowsAccount } from '../../http/known-device.js';
import { sendHtml } from '../../http/html-reply.js';
import { pageContext } from '../../http/page-locale.js';
import { messages } from '../../i18n/index.js';
import type { LoginAttempt } from '../../interaction/login-throttle.js';
import { messagePage } from '../../views/index.js';

/**
 * The login throttle's say on a signed-in person typing their current password (to change the
 * password or the e-mail address), so that a borrowed session cannot be used to guess it. The
 * attempt to record a wrong password against, or undefined once a 429 page has been sent.
 */
export async function currentPasswordAttempt(
  request: FastifyRequest,
  reply: FastifyReply,
  app: Pick<FastifyInstance, 'loginThrottle' | 'audit'>,
  user: UserAccount,
): Promise<LoginAttempt | undefined> {
  const account = sha256Hex(user.email);
  const device = readKnownDevice(request);
  const attempt: LoginAttempt = {
    account,
    address: request.ip,
    ...(knowsAccount(device, account) ? { knownDevice: device!.id } : {}),
  };
  // The person is signed in here, so this source is known; `users unlock` forgives as at sign-in.
  const refusal = await app.loginThrottle.check(attempt, true, () =>
    app.audit.latestAt('login.unlocked', user.id),
  );
  if (!refusal) return attempt;
  const t = messages(request.locale).account.password;
  void reply.header('retry-after', String(refusal.retryAfterSeconds));
  sendHtml(
    reply,
    429,
    messagePage({ title: t.tooManyTitle, message: t.tooMany, ...pageContext(request) }),
  );
  return undefined;
}
