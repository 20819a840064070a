import { randomUUID } from 'node:crypto';
import { sha256Hex, type UserAccount } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { startSession } from '../../http/browser-session.js';
import { sendHtml } from '../../http/html-reply.js';
import { knowsAccount, readKnownDevice, rememberAccount } from '../../http/known-device.js';
import { continueAuthorization, LOGIN_PATH } from '../../interaction/authorization-flow.js';
import { acceptSubmittedForm } from '../../interaction/submitted-form.js';
import type { LoginAttempt, Refusal, ThrottleLimit } from '../../interaction/login-throttle.js';
import { hashPassword, verifyPassword } from '../../passwords.js';
import type { LoginOutcome } from '../../metrics/metrics.js';
import { messagePage } from '../../views/index.js';
import { pageContext } from '../../http/page-locale.js';
import { messages } from '../../i18n/index.js';

interface LoginForm {
  username?: string;
  password?: string;
  interaction?: string;
  csrf?: string;
}

/** What each throttle limit tells the person refused by it (i18n: `login.refusals`). */
const refusals = (request: FastifyRequest): Record<ThrottleLimit, string> =>
  messages(request.locale).login.refusals;

export async function loginRoute(app: FastifyInstance) {
  const { users, audit, clock, metrics, loginThrottle: throttle } = app;
  // Unknown accounts are checked against this, so that they take as long as known ones.
  const dummyPasswordHash = await hashPassword(randomUUID());

  /** Malformed posts never reach a password check; they are counted, and a flood is logged once a minute. */
  const countMalformed = async (request: FastifyRequest, reason: string) => {
    metrics.login('malformed');
    if (await throttle.recordMalformed(request.ip)) {
      request.log.warn(
        { event: 'login.malformed_flood', reason, ip: request.ip },
        'many malformed login posts from one address',
      );
    }
  };

  app.post<{ Body: LoginForm }>(LOGIN_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const accepted = await acceptSubmittedForm(request, reply, app, form);
    if (!accepted) {
      await countMalformed(request, 'form_rejected');
      return reply;
    }
    const { state, client } = accepted;
    const username = typeof form.username === 'string' ? form.username.trim().toLowerCase() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const retry = () =>
      continueAuthorization({ request, reply }, app, {
        request: state.request,
        client,
        session: undefined,
        afterPost: true,
        // Same words for an unknown account and a wrong password: no account enumeration.
        loginError: messages(request.locale).login.wrongCredentials,
        typedUsername: username,
        device: state.device,
      });
    // Nothing to check: no account lookup, so the cheap answer reveals nothing about accounts.
    if (!username || !password) {
      await countMalformed(request, 'empty_credentials');
      return retry();
    }

    const account = sha256Hex(username);
    const device = readKnownDevice(request);
    const attempt: LoginAttempt = {
      account,
      address: request.ip,
      ...(knowsAccount(device, account) ? { knownDevice: device!.id } : {}),
    };
    let user: Promise<UserAccount | null> | undefined;
    const findUser = () => (user ??= users.findByEmail(username));
    // The CLI's `users unlock` records an audit event; counts older than it no longer block.
    const unlockedAt = async () => {
      const found = await findUser();
      return found ? audit.latestAt('login.unlocked', found.id) : undefined;
    };

    const known = await throttle.isKnownSource(attempt);
    const refusal = await throttle.check(attempt, known, unlockedAt);
    if (refusal) {
      const userId = user ? (await user)?.id : undefined;
      return refuse(request, reply, { refusal, clientId: client.clientId, account, userId, known });
    }

    const found = await findUser();
    // Verify against a dummy hash for unknown accounts, so both cases take the same time.
    const passwordOk = await verifyPassword(found?.passwordHash ?? dummyPasswordHash, password);
    if (!found || found.disabled || !passwordOk) {
      const reason: LoginOutcome = !found
        ? 'unknown_account'
        : found.disabled
          ? 'disabled'
          : 'wrong_password';
      metrics.login(reason);
      await throttle.recordFailure(attempt);
      await audit.record(
        {
          type: 'login.failed',
          userId: found?.id,
          clientId: client.clientId,
          ip: request.ip,
          data: { reason },
        },
        clock.now(),
      );
      request.log.info(
        {
          event: 'login.failed',
          reason,
          clientId: client.clientId,
          ip: request.ip,
          ...(found ? { userId: found.id } : { account }),
        },
        'login failed',
      );
      return retry();
    }

    metrics.login('success');
    await throttle.recordSuccess(attempt);
    rememberAccount(reply, app, device, account);
    const session = await startSession(request, reply, app, found.id);
    await audit.record(
      { type: 'login.succeeded', userId: found.id, clientId: client.clientId, ip: request.ip },
      clock.now(),
    );
    return continueAuthorization({ request, reply }, app, {
      request: state.request,
      client,
      session,
      justAuthenticated: true,
      afterPost: true,
      device: state.device,
    });
  });

  async function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    details: {
      refusal: Refusal;
      clientId: string;
      account: string;
      userId: string | undefined;
      known: boolean;
    },
  ): Promise<FastifyReply> {
    const { refusal, clientId, account, userId, known } = details;
    metrics.login('throttled');
    await audit.record(
      {
        type: 'login.throttled',
        userId,
        clientId,
        ip: request.ip,
        data: { account, limit: refusal.limit },
      },
      clock.now(),
    );
    request.log.warn(
      {
        event: 'login.throttled',
        limit: refusal.limit,
        clientId,
        ip: request.ip,
        ...(userId ? { userId } : { account }),
        knownSource: known,
        retryAfter: refusal.retryAfterSeconds,
      },
      'login throttled',
    );
    void reply.header('retry-after', String(refusal.retryAfterSeconds));
    return sendHtml(
      reply,
      429,
      messagePage({
        title: messages(request.locale).login.tooManyTitle,
        message: refusals(request)[refusal.limit],
        ...pageContext(request),
      }),
    );
  }
}
