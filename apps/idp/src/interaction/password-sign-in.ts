import { randomUUID } from 'node:crypto';
import { sha256Hex, type AuthenticatedSession, type UserAccount } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { startSession } from '../http/browser-session.js';
import { sendHtml } from '../http/html-reply.js';
import { knowsAccount, readKnownDevice, rememberAccount } from '../http/known-device.js';
import type { LoginOutcome } from '../metrics/metrics.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { messagePage } from '../views/index.js';
import { pageContext } from '../http/page-locale.js';
import { messages } from '../i18n/index.js';
import type { LoginAttempt, Refusal } from './login-throttle.js';

type SignInDeps = Pick<
  FastifyInstance,
  'users' | 'audit' | 'clock' | 'metrics' | 'loginThrottle' | 'config' | 'sessions'
>;

/** How a password sign-in ended: a new session, wrong credentials, or refused (the 429 is sent). */
export type PasswordSignIn =
  | {
      readonly outcome: 'signed_in';
      readonly user: UserAccount;
      readonly session: AuthenticatedSession;
    }
  | { readonly outcome: 'wrong' }
  | { readonly outcome: 'refused'; readonly reply: FastifyReply }
  /** The password was right and the user must give a second factor before any session starts. */
  | { readonly outcome: 'second_factor'; readonly user: UserAccount };

/**
 * Checks an email and password the way every sign-in form does (the login page of an
 * authorization, the account page's own sign-in): the throttle first (`idp users unlock`
 * forgives what it counted), then argon2id against the stored hash, or against a dummy hash
 * for an unknown account so that both take as long; failures are counted, audited and logged;
 * success starts a fresh browser session. `clientId` names the application being signed in to,
 * when there is one.
 */
export class PasswordSignInCheck {
  readonly #app: SignInDeps;
  readonly #dummyPasswordHash: Promise<string>;

  constructor(app: SignInDeps) {
    this.#app = app;
    this.#dummyPasswordHash = hashPassword(randomUUID());
  }

  async signIn(
    request: FastifyRequest,
    reply: FastifyReply,
    input: {
      username: string;
      password: string;
      clientId?: string | undefined;
      needsSecondFactor?: (user: UserAccount) => Promise<boolean>;
    },
  ): Promise<PasswordSignIn> {
    const { users, audit, clock, metrics, loginThrottle: throttle } = this.#app;
    const { username, password, clientId } = input;
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
      const sent = await this.#refuse(request, reply, {
        refusal,
        clientId,
        account,
        userId,
        known,
      });
      return { outcome: 'refused', reply: sent };
    }

    const found = await findUser();
    const passwordOk = await verifyPassword(
      found?.passwordHash ?? (await this.#dummyPasswordHash),
      password,
    );
    if (!found || found.disabled || !passwordOk) {
      const reason: LoginOutcome = !found
        ? 'unknown_account'
        : found.disabled
          ? 'disabled'
          : 'wrong_password';
      metrics.login(reason);
      await throttle.recordFailure(attempt);
      await audit.record(
        { type: 'login.failed', userId: found?.id, clientId, ip: request.ip, data: { reason } },
        clock.now(),
      );
      request.log.info(
        {
          event: 'login.failed',
          reason,
          clientId,
          ip: request.ip,
          ...(found ? { userId: found.id } : { account }),
        },
        'login failed',
      );
      return { outcome: 'wrong' };
    }

    await throttle.recordSuccess(attempt);
    rememberAccount(reply, this.#app, device, account);
    if (await input.needsSecondFactor?.(found)) return { outcome: 'second_factor', user: found };
    metrics.login('success');
    const session = await startSession(request, reply, this.#app, found.id);
    await audit.record(
      { type: 'login.succeeded', userId: found.id, clientId, ip: request.ip },
      clock.now(),
    );
    return { outcome: 'signed_in', user: found, session };
  }

  async #refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    details: {
      refusal: Refusal;
      clientId: string | undefined;
      account: string;
      userId: string | undefined;
      known: boolean;
    },
  ): Promise<FastifyReply> {
    const { refusal, clientId, account, userId, known } = details;
    const { audit, clock, metrics } = this.#app;
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
      // What each throttle limit tells the person refused by it (i18n: `login.refusals`).
      messagePage({
        title: messages(request.locale).login.tooManyTitle,
        message: messages(request.locale).login.refusals[refusal.limit],
        ...pageContext(request),
      }),
    );
  }
}
