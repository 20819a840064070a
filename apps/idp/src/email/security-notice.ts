import type { Config } from '@idp/config';
import type { UserAccount } from '@idp/oidc';
import type { Clock } from '@idp/keys';
import { supportedLocale, type Locale } from '../i18n/index.js';
import { FORGOT_PASSWORD_PATH, pageUrl, siteName } from './email-links.js';
import type { MailMessage, Mailer } from './mailer.js';
import { maskEmail } from './mask-email.js';
import { noticeMessage, type NoticeKind } from './messages.js';
import type { Outbox } from './outbox.js';

export type { NoticeKind } from './messages.js';

/** What posting a notice needs: the app's config, clock, mailer (absent: no e-mail) and outbox. */
export interface NoticeDeps {
  readonly config: Pick<Config, 'issuer' | 'brandName'>;
  readonly clock: Clock;
  readonly mailer: Mailer | undefined;
  readonly outbox: Outbox;
}

/** What a notice says besides its kind: whose account, in which language, and the new address. */
export interface Notice {
  /**
   * The account: its address hears the notice, in the language of its `locale` claim (OIDC Core
   * 5.1), whoever made the change (perhaps someone else, whose browser says nothing of the owner).
   */
  readonly user: Pick<UserAccount, 'email' | 'claims'>;
  /** The language when the account names none: the request's, or the default for the CLI. */
  readonly locale: Locale;
  /** `emailChanged` only: the address it had before, which hears the notice instead. */
  readonly to?: string;
  /** `emailChanged` only: the address the account moved to, shown masked. */
  readonly newEmail?: string;
}

/**
 * Tells the account's owner, after the fact, that something which guards their account changed
 * (address, password, a second factor), as the large providers do: whoever took over a session
 * cannot make such a change quietly. Sent after the response (the outbox: a failure is logged
 * as `email.failed`, never shown), and only when SMTP is configured. It carries no token: its
 * only link is the forgot-password page. Not counted against the per-mailbox limit, since
 * otherwise anyone could use up that limit with reset requests to silence the notice; each one
 * follows an action only the account's holder, or an administrator, can take.
 */
export function postSecurityNotice(deps: NoticeDeps, kind: NoticeKind, notice: Notice): void {
  const { mailer } = deps;
  if (!mailer) return;
  const message = securityNoticeMessage(deps, kind, notice);
  deps.outbox.post(`security_notice.${kind}`, () => mailer.send(message));
}

/** The message of a security notice, as of now (for a sender without an outbox: the CLI). */
export function securityNoticeMessage(
  deps: Pick<NoticeDeps, 'config' | 'clock'>,
  kind: NoticeKind,
  notice: Notice,
): MailMessage {
  return noticeMessage(kind, {
    to: notice.to ?? notice.user.email,
    site: siteName(deps.config),
    link: pageUrl(deps.config.issuer, FORGOT_PASSWORD_PATH),
    ...noticeTime(deps.clock.now()),
    locale: accountLocale(notice.user) ?? notice.locale,
    ...(notice.newEmail === undefined ? {} : { newEmail: maskEmail(notice.newEmail) }),
  });
}

function accountLocale(user: Notice['user']): Locale | undefined {
  const { locale } = user.claims;
  return typeof locale === 'string' ? supportedLocale(locale) : undefined;
}

/** When it happened, in UTC to the minute (`2026-12-07`, `23:39 UTC`), alike in every language. */
function noticeTime(ms: number): { date: string; time: string } {
  const iso = new Date(ms).toISOString();
  return { date: iso.slice(0, 10), time: `${iso.slice(11, 16)} UTC` };
}
