import { randomBytes } from 'node:crypto';
import type { Config } from '@idp/config';
import type { Clock } from '@idp/keys';
import {
  sha256Hex,
  type EmailTokenPurpose,
  type EmailTokenUse,
  type EmailTokenStore,
  type UserAccount,
} from '@idp/oidc';
import { DEFAULT_LOCALE, type Locale } from '../i18n/index.js';
import type { Mailer } from './mailer.js';
import { mailMessage } from './messages.js';

/** Where the links in the messages lead (routes/account-email/). */
export const RESET_PASSWORD_PATH = '/password/reset';
export const VERIFY_EMAIL_PATH = '/email/verify';
export const CHANGE_EMAIL_PATH = '/email/change';
export const FORGOT_PASSWORD_PATH = '/password/forgot';
export const SIGN_UP_PATH = '/signup';
/** The query parameter of a mailed link that names the language it was written in. */
export const LINK_LOCALE_PARAMETER = 'ui_locales';

/** What sending a mailed link needs. */
export interface EmailLinkDeps {
  readonly config: Pick<
    Config,
    'issuer' | 'passwordResetTtl' | 'emailVerificationTtl' | 'brandName'
  >;
  readonly clock: Clock;
  readonly emailTokens: EmailTokenStore;
  readonly mailer: Mailer;
}

const PURPOSES = {
  password_reset: { kind: 'passwordReset', path: RESET_PASSWORD_PATH, ttl: 'passwordResetTtl' },
  email_verification: {
    kind: 'verification',
    path: VERIFY_EMAIL_PATH,
    ttl: 'emailVerificationTtl',
  },
  email_change: { kind: 'emailChange', path: CHANGE_EMAIL_PATH, ttl: 'emailVerificationTtl' },
} as const;

/**
 * Makes a single-use token for `user` (256 random bits; only its SHA-256 is stored, with the
 * address it goes to), and mails the link that carries it. Resolves once the SMTP server took
 * the message; rejects if it did not (the unused token then expires). The message is in
 * `locale` (the language of the page the person asked from; from the CLI its `--locale`, else
 * the user's `locale` claim, else English), and so is the page the link opens: the link carries
 * it as `ui_locales`, the parameter the login page takes it by (OIDC Core 3.1.2.1).
 * An `email_change` link goes to `newEmail` (lower-cased), the address it proves.
 */
export async function sendEmailLink(
  deps: EmailLinkDeps,
  purpose: EmailTokenPurpose,
  user: UserAccount,
  use: EmailTokenUse = {},
  locale: Locale = DEFAULT_LOCALE,
  newEmail?: string,
): Promise<void> {
  const { kind, path, ttl } = PURPOSES[purpose];
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const lifetime = deps.config[ttl];
  await deps.emailTokens.create(
    {
      tokenHash: sha256Hex(token),
      purpose,
      userId: user.id,
      email: user.email,
      ...(newEmail === undefined ? {} : { newEmail }),
      expiresAt: now + lifetime * 1000,
    },
    now,
    use,
  );
  const link = new URL(`${base(deps.config.issuer)}${path}`);
  link.searchParams.set('token', token);
  link.searchParams.set(LINK_LOCALE_PARAMETER, locale);
  await deps.mailer.send(
    mailMessage(kind, {
      to: newEmail ?? user.email,
      link: link.href,
      site: siteName(deps.config),
      lifetimeMinutes: Math.max(1, Math.round(lifetime / 60)),
      locale,
    }),
  );
}

/** Tells the owner of an address that it already has an account (a sign-up attempt with it). */
export async function sendAlreadyRegistered(
  deps: Pick<EmailLinkDeps, 'config' | 'mailer'>,
  email: string,
  locale?: Locale,
): Promise<void> {
  const link = new URL(`${base(deps.config.issuer)}${FORGOT_PASSWORD_PATH}`);
  await deps.mailer.send(
    mailMessage('alreadyRegistered', {
      to: email,
      link: link.href,
      site: siteName(deps.config),
      lifetimeMinutes: 0,
      ...(locale ? { locale } : {}),
    }),
  );
}

/**
 * Tells the owner of `email` that someone asked to move their account to another address: a
 * stolen session should not change the address quietly. The link leads to the account page.
 */
export async function sendEmailChangeNotice(
  deps: Pick<EmailLinkDeps, 'config' | 'mailer'>,
  email: string,
  locale?: Locale,
): Promise<void> {
  await deps.mailer.send(
    mailMessage('emailChangeNotice', {
      to: email,
      link: `${base(deps.config.issuer)}/account`,
      site: siteName(deps.config),
      lifetimeMinutes: 0,
      ...(locale ? { locale } : {}),
    }),
  );
}

/** Paths go under the issuer, as every endpoint's URL does. */
function base(issuer: string): string {
  return issuer.replace(/\/+$/, '');
}

/** The URL of this server's page at `path` (one of the paths above). */
export function pageUrl(issuer: string, path: string): string {
  return `${base(issuer)}${path}`;
}

/** What the messages call this service: the operator's product name, else the issuer's host. */
export function siteName(config: Pick<Config, 'issuer' | 'brandName'>): string {
  return config.brandName ?? new URL(config.issuer).host;
}
