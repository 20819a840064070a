import { html, type SafeHtml } from '../views/html.js';
import type { MailMessage } from './mailer.js';

/**
 * The words of every message, in one place per message so that a translation can replace them.
 * `{product}`-style values are filled in by the functions below.
 */
export const MAIL_TEXTS = {
  passwordReset: {
    subject: 'Reset your password',
    intro: 'Someone, probably you, asked to reset the password of your account',
    action: 'Choose a new password',
    expiry: (minutes: number) =>
      `The link works once, for ${formatMinutes(minutes)}. Choosing a new password signs you out everywhere.`,
    ignore: 'If you did not ask for this, ignore this message: your password stays as it is.',
  },
  verification: {
    subject: 'Confirm your e-mail address',
    intro: 'Please confirm that this address belongs to your account',
    action: 'Confirm my address',
    expiry: (minutes: number) => `The link works once, for ${formatMinutes(minutes)}.`,
    ignore: 'If you did not create an account, ignore this message.',
  },
  alreadyRegistered: {
    subject: 'You already have an account',
    intro:
      'Someone, probably you, tried to create an account with this address, which already has one',
    action: 'Reset your password',
    expiry: () => 'If you forgot your password, you can choose a new one here.',
    ignore: 'If this was not you, ignore this message: nothing was changed.',
  },
} as const;

type MailKind = keyof typeof MAIL_TEXTS;

function formatMinutes(minutes: number): string {
  return minutes % 1440 === 0
    ? `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`
    : minutes % 60 === 0
      ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}`
      : `${minutes} minutes`;
}

/** A message of `kind` to `to`, with `link` as its one action, in plain text and HTML. */
export function mailMessage(
  kind: MailKind,
  options: { to: string; link: string; site: string; lifetimeMinutes: number },
): MailMessage {
  const texts = MAIL_TEXTS[kind];
  const intro = `${texts.intro} at ${options.site}.`;
  const expiry = texts.expiry(options.lifetimeMinutes);
  const text = [intro, '', `${texts.action}:`, options.link, '', expiry, '', texts.ignore, ''].join(
    '\n',
  );
  const body: SafeHtml = html`<!doctype html>
<html lang="en">
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
