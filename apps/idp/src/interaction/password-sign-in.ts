import { randomUUID } from 'node:crypto';
import { sha256Hex, type AuthenticatedSession, type UserAccount } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { startSession } from '../http/browser-session.js';
import { sendHtml } from '../http/html-reply.js';
import { knowsAccount, readKnownDevice, rememberAccount } from '../http/known-device.js';
import type { LoginOutcome } from '../metrics/metrics.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { messagePage } from '../views/index.js';
import type { LoginAttempt, Refusal, ThrottleLimit } from './login-throttle.js';

/** Same words for an unknown account and a wrong password: no account enumeration. */
export const WRONG_CREDENTIALS =
  'That email and password do not match an account. Check them and try again.';

/** What each throttle limit tells the person refused by it. */
const REFUSALS: Record<ThrottleLimit, string> = {
  account_source:
    'There have been too many failed sign-in attempts for this account from here. Wait a few minutes, then try again.',
  address:
    'Too many failed sign-in attempts came from your network. Wait a minute, then try again. Accounts you have signed in to from this browser or network before are not affected.',
  new_source:
    'This account is receiving many failed sign-in attempts, so sign-ins from new devices are slowed down. Wait a minute, then try again, or sign in from a device you have used before.',
};

type SignInDeps = Pick<
  FastifyInstance,
  'users' | 'audit' | 'clock' | 'metrics' | 'loginThrottle' | 'config' | 'sessions'
>;

/** What the page does after the check: show the form again, or go on with the new session. */
export interface SignInOutcomes {
  /** The credentials did not match (or were empty): the form again, with WRONG_CREDENTIALS. */
  readonly retry: () => FastifyReply | Promise<FastifyReply>;
  readonly succeed: (session: AuthenticatedSession) => FastifyReply | Promise<FastifyReply>;
}

/**
 * The password check behind every sign-in form: throttled per account, source and address
 * (login-throttle.ts), as slow for unknown accounts as for known ones, audited and counted. On
 * success the browser gets a new session (amr `pwd`). `clientId` names the application the
 * sign-in is for, in the audit trail and logs; none for the account page.
 */
export async function makePasswordSignIn(app: SignInDeps) {
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

  async function refuse(
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
      messagePage({ title: 'Too many attempts', message: REFUSALS[refusal.limit] }),
    );
  }

  return {
    countMalformed,
    async signIn(
      request: FastifyRequest,
      reply: FastifyReply,
      form: { username: string; password: string; clientId: string | undefined },
      outcomes: SignInOutcomes,
    ): Promise<FastifyReply> {
      const { username, password, clientId } = form;
      // Nothing to check: no account lookup, so the cheap answer reveals nothing about accounts.
      if (!username || !password) {
        await countMalformed(request, 'empty_credentials');
        return outcomes.retry();
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
        return refuse(request, reply, { refusal, clientId, account, userId, known });
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
            clientId,
            ip: request.ip,
            data: { reason },
          },
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
        return outcomes.retry();
      }

      metrics.login('success');
      await throttle.recordSuccess(attempt);
      rememberAccount(reply, app, device, account);
      const session = await startSession(request, reply, app, found.id);
      await audit.record(
        { type: 'login.succeeded', userId: found.id, clientId, ip: request.ip },
        clock.now(),
      );
      return outcomes.succeed(session);
    },
  };
}
