import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { csrfCookie } from '../../http/browser-session.js';
import { sendErrorPage, sendHtml } from '../../http/html-reply.js';
import { MIN_PASSWORD_LENGTH } from '../../passwords.js';
import { messagePage } from '../../views/index.js';

/** Longest password accepted: enough for any passphrase, short of a hashing cost attack. */
const MAX_PASSWORD_LENGTH = 1024;

/** The words these pages share, in one place for translation. */
export const EMAIL_FORM_TEXTS = {
  unavailableTitle: 'E-mail is not set up',
  unavailable:
    'This server cannot send e-mail, so it cannot send password-reset or confirmation links. Ask the administrator of this service for help.',
  backToSignIn: 'Back to sign in',
  csrfTitle: 'This form could not be accepted',
  csrf: "It did not come from this browser's pages. Go back and try again.",
  tooManyTitle: 'Too many attempts',
  tooMany: 'Too many requests came from your network. Wait a few minutes, then try again.',
  passwordTooShort: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`,
  passwordTooLong: `Choose a password of at most ${MAX_PASSWORD_LENGTH} characters.`,
  passwordsDiffer: 'The two passwords differ. Type the same password twice.',
  notAnEmail: 'That is not an e-mail address. Check it and try again.',
} as const;

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
export function passwordProblem(password: string, confirmation: string): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return EMAIL_FORM_TEXTS.passwordTooShort;
  if (password.length > MAX_PASSWORD_LENGTH) return EMAIL_FORM_TEXTS.passwordTooLong;
  if (password !== confirmation) return EMAIL_FORM_TEXTS.passwordsDiffer;
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
  void sendErrorPage(reply, 403, EMAIL_FORM_TEXTS.csrfTitle, EMAIL_FORM_TEXTS.csrf);
  return false;
}

/** The page saying that e-mail features are off (IDP_SMTP_URL unset). */
export function sendEmailUnavailable(reply: FastifyReply, backHref: string): FastifyReply {
  return sendHtml(
    reply,
    503,
    messagePage({
      title: EMAIL_FORM_TEXTS.unavailableTitle,
      message: EMAIL_FORM_TEXTS.unavailable,
      link: { href: backHref, text: EMAIL_FORM_TEXTS.backToSignIn },
    }),
  );
}

/** 429 with Retry-After: too many requests from this network address. */
export function sendTooMany(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  void reply.header('retry-after', String(retryAfterSeconds));
  return sendHtml(
    reply,
    429,
    messagePage({ title: EMAIL_FORM_TEXTS.tooManyTitle, message: EMAIL_FORM_TEXTS.tooMany }),
  );
}
