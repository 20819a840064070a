import { DEFAULT_LOCALE, messages, type Locale } from '../i18n/index.js';
import { html, type SafeHtml } from '../views/html.js';
import type { MailMessage } from './mailer.js';

/** The messages this server sends; their words are `mail` in i18n/en.ts and i18n/de.ts. */
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
