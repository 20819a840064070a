/** The languages the pages and e-mails are written in; the first is the default. */
export const LOCALES = ['en', 'de'] as const;

/** A language this server speaks, as a BCP 47 primary language subtag. */
export type Locale = (typeof LOCALES)[number];

/** English: what a request gets when it states no language this server speaks. */
export const DEFAULT_LOCALE: Locale = 'en';

/**
 * The supported language of a BCP 47 tag, by RFC 4647 3.4 lookup: the tag itself, then with its
 * subtags cut one by one from the end (`de-CH-1996` → `de-CH` → `de`), case-insensitively.
 */
export function supportedLocale(tag: string): Locale | undefined {
  const parts = tag.trim().toLowerCase().split('-');
  while (parts.length > 0) {
    const candidate = parts.join('-');
    if ((LOCALES as readonly string[]).includes(candidate)) return candidate as Locale;
    parts.pop();
  }
  return undefined;
}
