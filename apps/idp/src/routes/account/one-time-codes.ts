import { randomUUID, timingSafeEqual } from 'node:crypto';
import {
  AMR_PASSWORD,
  AMR_PASSWORD_AND_CODE,
  sha256Hex,
  type AuthenticatedSession,
  type OneTimeCodeFactor,
  type UserAccount,
} from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { csrfCookie, csrfToken, currentSession, startSession } from '../../http/browser-session.js';
import { postSecurityNotice, type NoticeKind } from '../../email/security-notice.js';
import { sendErrorPage, sendHtml } from '../../http/html-reply.js';
import { knowsAccount, readKnownDevice } from '../../http/known-device.js';
import { pageContext } from '../../http/page-locale.js';
import { messages } from '../../i18n/index.js';
import type { LoginAttempt } from '../../interaction/login-throttle.js';
import { openFactorSecret, sealFactorSecret } from '../../one-time-codes/factor-secret.js';
import {
  newRecoveryCodes,
  normalizeRecoveryCode,
  recoveryCodeHash,
} from '../../one-time-codes/recovery-codes.js';
import { checkSecondFactor } from '../../one-time-codes/second-factor-check.js';
import { groupedSecret, matchTotp, newTotpSecret, otpauthUri } from '../../one-time-codes/totp.js';
import { hashPassword, verifyPassword } from '../../passwords.js';
import {
  confirmIdentityPage,
  enrolOneTimeCodesPage,
  messagePage,
  oneTimeCodesStatusPage,
  recoveryCodesPage,
} from '../../views/index.js';
import { opensAccount } from './account-session.js';
import { sendAccountSecondFactor } from './account-sign-in-pages.js';
import { ONE_TIME_CODES_ACTIONS, ONE_TIME_CODES_PATH } from './one-time-codes-paths.js';

/** Changing a second factor needs a sign-in at most this old (a "fresh" sign-in). */
const FRESH_SIGN_IN_MS = 10 * 60_000;
/** How long an enrolment waits for its first code. */
const ENROLMENT_TTL_MS = 15 * 60_000;

interface AccountForm {
  csrf?: string;
  code?: string;
  username?: string;
  password?: string;
}

/**
 * Whether the session may change the factor: signed in within FRESH_SIGN_IN_MS, and, once
 * one-time codes are on, with a code as well, so a stolen password alone cannot turn them off.
 */
function isFresh(session: AuthenticatedSession, factor: OneTimeCodeFactor | null, now: number) {
  if (now - session.authTime > FRESH_SIGN_IN_MS) return false;
  return !factor?.confirmed || session.amr.includes('mfa');
}

/** Double-submit CSRF check (the signed cookie against the form), in constant time. */
function csrfMatches(request: FastifyRequest, app: FastifyInstance, form: AccountForm): boolean {
  const cookie = csrfCookie(request, app);
  if (!cookie || typeof form.csrf !== 'string') return false;
  const [a, b] = [Buffer.from(cookie), Buffer.from(form.csrf)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `/account/one-time-codes`: turn one-time codes (TOTP, RFC 6238) on with a QR code or the
 * typed key, confirmed by a first code; see and replace recovery codes; turn them off. Every
 * change needs a fresh sign-in (`confirm-identity` asks for the password, and the code when they
 * are on, or a passkey on the account sign-in's second step for a user who has passkeys only). Pages work without JavaScript; the QR code is an SVG data URL, allowed by the CSP.
 */
export async function oneTimeCodesRoutes(app: FastifyInstance) {
  const { users, oneTimeCodes, clock, audit, secrets, config, loginThrottle: throttle } = app;
  const actions = ONE_TIME_CODES_ACTIONS;
  // Unknown accounts are checked against this, so that they take as long as known ones.
  const dummyPasswordHash = await hashPassword(randomUUID());

  /** The signed-in user and factor when the session is fresh enough; otherwise the page was sent. */
  async function freshSession(request: FastifyRequest, reply: FastifyReply) {
    const now = clock.now();
    const session = await currentSession(request, app);
    const user = session ? await users.findById(session.userId) : null;
    const factor = user ? await oneTimeCodes.find(user.id, now) : null;
    if (session && user && isFresh(session, factor, now) && (await opensAccount(app, session)))
      return { session, user, factor, now };
    await sendConfirmIdentity(request, reply);
    return undefined;
  }

  /** The fresh sign-in's form, for the browser's user if it has a session. */
  async function sendConfirmIdentity(request: FastifyRequest, reply: FastifyReply, error?: string) {
    const session = await currentSession(request, app);
    const user = session ? await users.findById(session.userId) : null;
    const factor = user ? await oneTimeCodes.find(user.id, clock.now()) : null;
    return sendHtml(
      reply,
      error ? 401 : 200,
      confirmIdentityPage({
        ...(user ? { email: user.email } : {}),
        askCode: !user || factor?.confirmed === true,
        csrf: csrfToken(request, reply, app),
        actions,
        ...(error ? { error } : {}),
        ...pageContext(request),
      }),
    );
  }

  async function sendEnrolment(
    request: FastifyRequest,
    reply: FastifyReply,
    user: { id: string; email: string },
    secret: string,
    error?: string,
  ) {
    const uri = otpauthUri(new URL(config.issuer).host, user.email, secret);
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    return sendHtml(
      reply,
      error ? 400 : 200,
      enrolOneTimeCodesPage({
        qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
        secret: groupedSecret(secret),
        email: user.email,
        csrf: csrfToken(request, reply, app),
        actions,
        ...(error ? { error } : {}),
        ...pageContext(request),
      }),
    );
  }

  /** The settings' words in the reader's language (i18n `account.oneTimeCodes`). */
  const texts = (request: FastifyRequest) => messages(request.locale).account.oneTimeCodes;

  /** Tells the owner that their second factor changed (a security notice, after the response). */
  const notify = (request: FastifyRequest, user: UserAccount, kind: NoticeKind) =>
    postSecurityNotice(app, kind, { user, locale: request.locale });

  const refuseForm = (reply: FastifyReply) => {
    const t = texts(reply.request);
    return sendErrorPage(reply, 403, t.csrfTitle, t.csrf(ONE_TIME_CODES_PATH));
  };

  app.get(ONE_TIME_CODES_PATH, async (request, reply) => {
    const fresh = await freshSession(request, reply);
    if (!fresh) return reply;
    const { user, factor, now } = fresh;
    if (factor?.confirmed) {
      return sendHtml(
        reply,
        200,
        oneTimeCodesStatusPage({
          remaining: await oneTimeCodes.remainingRecoveryCodes(user.id),
          csrf: csrfToken(request, reply, app),
          actions,
          ...pageContext(request),
        }),
      );
    }
    // A new key on every visit: a key shown before and not confirmed is replaced.
    const secret = newTotpSecret();
    await oneTimeCodes.startEnrolment(
      user.id,
      sealFactorSecret(secret, secrets.oneTimeCodeKey, user.id),
      now,
      now + ENROLMENT_TTL_MS,
    );
    return sendEnrolment(request, reply, user, secret);
  });

  app.post<{ Body: AccountForm }>(actions.confirm, async (request, reply) => {
    const form = request.body ?? {};
    if (!csrfMatches(request, app, form)) return refuseForm(reply);
    const fresh = await freshSession(request, reply);
    if (!fresh) return reply;
    const { user, factor, now } = fresh;
    if (!factor || factor.confirmed) return reply.redirect(ONE_TIME_CODES_PATH, 303);
    const secret = openFactorSecret(factor.secret, secrets.oneTimeCodeKey, user.id);
    const code = typeof form.code === 'string' ? form.code.replace(/\s/g, '') : '';
    const step = await matchTotp(secret, code, now, null);
    if (step === null) return sendEnrolment(request, reply, user, secret, texts(request).wrongCode);
    const codes = newRecoveryCodes();
    const confirmed = await oneTimeCodes.confirmEnrolment(
      user.id,
      step,
      codes.map((c) => recoveryCodeHash(normalizeRecoveryCode(c)!)),
      now,
      { ip: request.ip },
    );
    if (!confirmed) return reply.redirect(ONE_TIME_CODES_PATH, 303);
    notify(request, user, 'oneTimeCodesAdded');
    return sendHtml(reply, 200, recoveryCodesPage({ codes, actions, ...pageContext(request) }));
  });

  app.post<{ Body: AccountForm }>(actions.recoveryCodes, async (request, reply) => {
    const form = request.body ?? {};
    if (!csrfMatches(request, app, form)) return refuseForm(reply);
    const fresh = await freshSession(request, reply);
    if (!fresh) return reply;
    const codes = newRecoveryCodes();
    const replaced = await oneTimeCodes.replaceRecoveryCodes(
      fresh.user.id,
      codes.map((c) => recoveryCodeHash(normalizeRecoveryCode(c)!)),
      fresh.now,
      { ip: request.ip },
    );
    if (!replaced) return reply.redirect(ONE_TIME_CODES_PATH, 303);
    notify(request, fresh.user, 'recoveryCodesReplaced');
    return sendHtml(reply, 200, recoveryCodesPage({ codes, actions, ...pageContext(request) }));
  });

  app.post<{ Body: AccountForm }>(actions.remove, async (request, reply) => {
    const form = request.body ?? {};
    if (!csrfMatches(request, app, form)) return refuseForm(reply);
    const fresh = await freshSession(request, reply);
    if (!fresh) return reply;
    const removed = await oneTimeCodes.remove(fresh.user.id, fresh.now, {
      ip: request.ip,
      reason: 'removed_by_user',
    });
    if (removed) notify(request, fresh.user, 'oneTimeCodesRemoved');
    const t = texts(request);
    return sendHtml(
      reply,
      200,
      messagePage({
        title: t.offTitle,
        message: t.off,
        link: { href: ONE_TIME_CODES_PATH, text: t.setUpAgain },
        ...pageContext(request),
      }),
    );
  });

  // The fresh sign-in: the password (throttled like the login page), and the second factor when
  // one is on. It starts a new session, then the settings page opens.
  app.post<{ Body: AccountForm }>(actions.confirmIdentity, async (request, reply) => {
    const form = request.body ?? {};
    if (!csrfMatches(request, app, form)) return refuseForm(reply);
    const session = await currentSession(request, app);
    const signedIn = session ? await users.findById(session.userId) : null;
    const username =
      signedIn?.email ??
      (typeof form.username === 'string' ? form.username.trim().toLowerCase() : '');
    const password = typeof form.password === 'string' ? form.password : '';
    const t = texts(request);
    const wrong = t.wrong;
    if (!username || !password) return sendConfirmIdentity(request, reply, wrong);

    const account = sha256Hex(username);
    const device = readKnownDevice(request);
    const attempt: LoginAttempt = {
      account,
      address: request.ip,
      ...(knowsAccount(device, account) ? { knownDevice: device!.id } : {}),
    };
    const found = await users.findByEmail(username);
    const refusal = await throttle.check(
      attempt,
      await throttle.isKnownSource(attempt),
      async () => (found ? audit.latestAt('login.unlocked', found.id) : undefined),
    );
    if (refusal) {
      void reply.header('retry-after', String(refusal.retryAfterSeconds));
      return sendHtml(
        reply,
        429,
        messagePage({ title: t.tooManyTitle, message: t.tooMany, ...pageContext(request) }),
      );
    }
    const passwordOk = await verifyPassword(found?.passwordHash ?? dummyPasswordHash, password);
    if (!found || found.disabled || !passwordOk) {
      await throttle.recordFailure(attempt);
      await audit.record(
        {
          type: 'login.failed',
          userId: found?.id,
          ip: request.ip,
          data: { reason: 'wrong_password', page: 'one_time_codes' },
        },
        clock.now(),
      );
      return sendConfirmIdentity(request, reply, wrong);
    }
    await throttle.recordSuccess(attempt);
    const factor = await oneTimeCodes.find(found.id, clock.now());
    // A passkey user without one-time codes gives a passkey too, on the account sign-in's second
    // step, which comes back here: a stolen password alone must not set up codes of its own.
    if (!factor?.confirmed && (await app.passkeys.listForUser(found.id)).length > 0)
      return sendAccountSecondFactor({ request, reply }, app, {
        returnTo: ONE_TIME_CODES_PATH,
        userId: found.id,
      });
    let amr = AMR_PASSWORD;
    if (factor?.confirmed) {
      const result = await checkSecondFactor(app, found.id, { code: form.code }, request.ip);
      if (result.kind === 'locked') {
        void reply.header('retry-after', String(result.retryAfterSeconds));
        return sendHtml(
          reply,
          429,
          messagePage({
            title: t.lockedTitle,
            message: t.locked(Math.ceil(result.retryAfterSeconds / 60)),
            ...pageContext(request),
          }),
        );
      }
      if (result.kind !== 'accepted') return sendConfirmIdentity(request, reply, wrong);
      amr = AMR_PASSWORD_AND_CODE;
    }
    await startSession(request, reply, app, found.id, amr);
    await audit.record(
      {
        type: 'login.succeeded',
        userId: found.id,
        ip: request.ip,
        data: { amr, page: 'one_time_codes' },
      },
      clock.now(),
    );
    return reply.redirect(ONE_TIME_CODES_PATH, 303);
  });
}
