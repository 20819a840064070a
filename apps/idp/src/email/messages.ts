import { DEFAULT_LOCALE, messages, type Locale } from '../i18n/index.js';
import { html, type SafeHtml } from '../views/html.js';
import type { MailMessage } from './mailer.js';

/** The messages with a link that acts; their words are `mail` in i18n/en.ts and i18n/de.ts. */
type MailKind =
  'passwordReset' | 'verification' | 'alreadyRegistered' | 'emailChange' | 'emailChangeNotice';

/**
 * A message of `kind` to `to`, with `link` as its one action, in plain text and HTML, in
 * `locale` (the language of the page the person asked from; English by default).
 */
export function mailMessage(
  kind: MailKind,
  options: { to: string; link: string; site: string; lifetimeMinutes: number; locale?: Locale },
): MailMessage {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const words = messages(locale).mail;
  const texts = words[kind];
  const intro = words.at(texts.intro, options.site);
  const expiry = texts.expiry(words.duration(options.lifetimeMinutes));
  const text = [intro, '', `${texts.action}:`, options.link, '', expiry, '', texts.ignore, ''].join(
    '\n',
  );
  const body: SafeHtml = html`<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${texts.subject}</title></head>
<body>
<p>${intro}</p>
<p><a href="${options.link}">${texts.action}</a></p>
<p>${expiry}</p>
<p>${texts.ignore}</p>
</body>
</html>
`;
  return { to: options.to, subject: texts.subject, text, html: body.toString() };
}

/** The security notices (email/security-notice.ts); their words are `mail.notice` in i18n. */
export type NoticeKind =
  | 'emailChanged'
  | 'passwordChanged'
  | 'passwordReset'
  | 'oneTimeCodesAdded'
  | 'oneTimeCodesRemoved'
  | 'recoveryCodesReplaced'
  | 'passkeyAdded'
  | 'passkeyRemoved'
  | 'passwordSetByOperator'
  | 'factorsResetByOperator';

/**
 * A notice of `kind` to `to`, in plain text and HTML, in `locale`: what changed at `site` and
 * when (`date` and `time`, UTC), with `newEmail` (masked) for an address change; then what to
 * do if it was not the reader: choose a new password at `link` (the forgot-password page) and
 * tell the administrators, or, when the account moved to another address, tell them at once.
 */
export function noticeMessage(
  kind: NoticeKind,
  options: {
    to: string;
    site: string;
    link: string;
    date: string;
    time: string;
    locale: Locale;
    newEmail?: string;
  },
): MailMessage {
  const { locale, site, link } = options;
  const words = messages(locale).mail.notice;
  const { subject, what } = words[kind];
  const facts = what({
    site,
    date: options.date,
    time: options.time,
    address: options.newEmail ?? '',
  });
  // Once the account has moved, this address cannot reset its password: only the operator helps.
  const moved = kind === 'emailChanged';
  // An administrator's change was asked for (or not) rather than made by the reader.
  const byOperator = kind === 'passwordSetByOperator' || kind === 'factorsResetByOperator';
  const ifYou = byOperator ? words.ifYouAsked : words.ifYou;
  const ifNotYou = byOperator ? words.ifNotAsked : words.ifNotYou;
  const text = [
    facts,
    '',
    ifYou,
    '',
    ...(moved ? [words.ifNotYouMoved(site)] : [`${ifNotYou}:`, link, '', words.contact(site)]),
    '',
  ].join('\n');
  const advice: SafeHtml = moved
    ? html`<p>${words.ifNotYouMoved(site)}</p>`
    : html`<p>${ifNotYou}: <a href="${link}">${link}</a></p>
<p>${words.contact(site)}</p>`;
  const body: SafeHtml = html`<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${subject}</title></head>
<body>
<p>${facts}</p>
<p>${ifYou}</p>
${advice}
</body>
</html>
`;
  return { to: options.to, subject, text, html: body.toString() };
}
