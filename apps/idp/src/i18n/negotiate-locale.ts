import Negotiator from 'negotiator';
import { DEFAULT_LOCALE, LOCALES, supportedLocale, type Locale } from './locale.js';

/** What a request says about the language its reader wants. */
export interface LocaleSignals {
  /**
   * The `ui_locales` of the authorization or logout request (OIDC Core 3.1.2.1, RP-Initiated
   * Logout 1.0 2): the client's preference for this person, most preferred first.
   */
  readonly uiLocales?: readonly string[] | undefined;
  /** The browser's `Accept-Language` header (RFC 9110 12.5.4). */
  readonly acceptLanguage?: string | undefined;
}

/**
 * The language to answer in: the first of `ui_locales` this server speaks (the client knows its
 * user, so it wins), else the best of `Accept-Language` by q-value (negotiator, which also
 * matches `de-AT` to `de` and honours `q=0`), else English.
 */
export function negotiateLocale({ uiLocales, acceptLanguage }: LocaleSignals): Locale {
  for (const tag of uiLocales ?? []) {
    const locale = supportedLocale(tag);
    if (locale) return locale;
  }
  if (acceptLanguage) {
    const negotiator = new Negotiator({ headers: { 'accept-language': acceptLanguage } });
    const [best] = negotiator.languages([...LOCALES]);
    if (best) return best as Locale;
  }
  return DEFAULT_LOCALE;
}
