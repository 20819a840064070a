/**
 * Pages and e-mails in the reader's language: English (the default) and German.
 *
 * - `en.ts` holds the English words and so defines the keys; `de.ts` is typed `Messages`, so a
 *   key missing in German, or one English does not have, fails `pnpm typecheck`.
 * - `negotiateLocale` picks the language: `ui_locales` of the authorization (or logout) request
 *   first, then `Accept-Language` by q-value, else English. The HTTP side (http/page-locale.ts)
 *   keeps the choice on `request.locale`; `sendHtml` sends `Content-Language` and
 *   `Vary: Accept-Language`, and `page()` writes `<html lang>`.
 *
 * A new page adds its strings like this:
 * 1. add a group for the page to `en.ts` (`account: { title: 'Your account', ... }`; a text with
 *    values is a function, `(name: string) => \`Hello ${name}\``), and the same group to `de.ts`;
 * 2. give the page function a `locale` (and `brand`) through `PageContext` (views/page-context.ts)
 *    and read `messages(locale).account` in it; pass `locale` on to `page()`;
 * 3. in the route, pass `...pageContext(request)` to the page function, and take the texts of
 *    messages built in the route (errors, notices) from `messages(request.locale)`.
 * Contract words stay English on the English page (DESIGN.md: "Forgot" in the reset link, "passkey"
 * in passkey buttons); English is what a request gets unless it asks for German.
 * @module
 */
import { consoleDe } from './console-de.js';
import { consoleEn, type ConsoleMessages } from './console-en.js';
import { de } from './de.js';
import { en, type Messages } from './en.js';
import type { Locale } from './locale.js';

export { DEFAULT_LOCALE, LOCALES, supportedLocale, type Locale } from './locale.js';
export { negotiateLocale, type LocaleSignals } from './negotiate-locale.js';
export type { Messages } from './en.js';
export type { ConsoleMessages } from './console-en.js';

const CATALOGUES: Readonly<Record<Locale, Messages>> = { en, de };

/** Every text of the pages and e-mails, in `locale`. */
export function messages(locale: Locale): Messages {
  return CATALOGUES[locale];
}

const CONSOLE_CATALOGUES: Readonly<Record<Locale, ConsoleMessages>> = {
  en: consoleEn,
  de: consoleDe,
};

/** Every text of the admin console, in `locale`. */
export function consoleMessages(locale: Locale): ConsoleMessages {
  return CONSOLE_CATALOGUES[locale];
}
