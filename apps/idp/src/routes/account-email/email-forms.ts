import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { csrfCookie } from '../../http/browser-session.js';
import { LINK_LOCALE_PARAMETER } from '../../email/email-links.js';
import { sendErrorPage, sendHtml } from '../../http/html-reply.js';
import { MIN_PASSWORD_LENGTH } from '../../passwords.js';
import { messagePage } from '../../views/index.js';
import { pageContext } from '../../http/page-locale.js';
import { DEFAULT_LOCALE, messages, type Locale } from '../../i18n/index.js';

/** Longest password accepted: enough for any passphrase, short of a hashing cost attack. */
const MAX_PASSWORD_LENGTH = 1024;

/** The words these pages share (i18n: `emailForms`). */
export const emailFormTexts = (locale: Locale) => messages(locale).emailForms;

/** The query of a mailed link's page: its token and the language it was written in. */
export interface MailedLinkQuery {
  token?: unknown;
  [LINK_LOCALE_PARAMETER]?: unknown;
}

/**
 * The form action of a page behind a mailed link, naming the page's language as the link did
 * (`ui_locales`), so the answer to the form is in that language too.
 */
export function inLinkLocale(path: string, locale: Locale): string {
  return `${path}?${LINK_LOCALE_PARAMETER}=${locale}`;
}

/** A form field as a string (a repeated or missing field is empty), cut to `max` characters. */
export function field(value: unknown, max = 320): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** The typed address, trimmed and lower-cased, or undefined if it is not one. */
export function emailAddress(value: unknown): string | undefined {
  const typed = field(value).trim().toLowerCase();
  return typed && z.email().safeParse(typed).success ? typed : undefined;
}

/** What is wrong with a new password, in plain words, or undefined (the CLI's rules). */
export function passwordProblem(
  password: string,
  confirmation: string,
  locale: Locale = DEFAULT_LOCALE,
): string | undefined {
  const t = emailFormTexts(locale);
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return t.passwordTooShort(MIN_PASSWORD_LENGTH);
  if (password.length > MAX_PASSWORD_LENGTH) return t.passwordTooLong(MAX_PASSWORD_LENGTH);
  if (password !== confirmation) return t.passwordsDiffer;
  return undefined;
}

/** Double-submit CSRF check, as on the login form: the form's token equals the signed cookie's. */
export function csrfAccepted(
  request: FastifyRequest,
  reply: FastifyReply,
  app: Pick<FastifyInstance, 'config'>,
  form: { csrf?: unknown },
): boolean {
  const cookie = csrfCookie(request, app);
  if (cookie && form.csrf === cookie) return true;
  const t = emailFormTexts(request.locale);
  void sendErrorPage(reply, 403, t.csrfTitle, t.csrf);
  return false;
}

/** The page saying that e-mail features are off (IDP_SMTP_URL unset). */
export function sendEmailUnavailable(reply: FastifyReply, backHref: string): FastifyReply {
  const t = emailFormTexts(reply.request.locale);
  return sendHtml(
    reply,
    503,
    messagePage({
      title: t.unavailableTitle,
      message: t.unavailable,
      link: { href: backHref, text: t.backToSignIn },
      ...pageContext(reply.request),
    }),
  );
}

/** 429 with Retry-After: too many requests from this network address. */
export function sendTooMany(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  void reply.header('retry-after', String(retryAfterSeconds));
  const t = emailFormTexts(reply.request.locale);
  return sendHtml(
    reply,
    429,
    messagePage({ title: t.tooManyTitle, message: t.tooMany, ...pageContext(reply.request) }),
  );
}
