import { DEFAULT_LOCALE, messages, type Locale, type Messages } from '../i18n/index.js';
import type { Brand } from './branding.js';

/**
 * What every page function takes besides its own content: the reader's language and the
 * operator's brand. Routes pass `...pageContext(request)` (http/page-locale.ts); both default
 * to the built-in English, unbranded page.
 */
export interface PageContext {
  readonly locale?: Locale;
  readonly brand?: Brand;
}

/** The texts of the context's language. */
export function textsOf(context: PageContext): Messages {
  return messages(context.locale ?? DEFAULT_LOCALE);
}
