import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { brandFromConfig, type Brand } from '../views/branding.js';
import type { PageContext } from '../views/page-context.js';
import { DEFAULT_LOCALE, negotiateLocale, type Locale } from '../i18n/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The operator's branding (IDP_BRAND_*), for every page. */
    readonly brand: Brand;
  }
  interface FastifyRequest {
    /**
     * The language of the pages this request gets: from `Accept-Language` for the pages people
     * navigate to (set by `negotiatePageLocale`), from `ui_locales` once an authorization or
     * logout request names it (`useUiLocales`); English elsewhere.
     */
    locale: Locale;
  }
}

/** Decorates the instance with the brand and every request with a locale (English). */
export const pagesPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('brand', brandFromConfig(app.config));
    app.decorateRequest('locale', DEFAULT_LOCALE);
  },
  { name: 'idp-pages', fastify: '5.x', dependencies: ['idp-stores'] },
);

/** onRequest hook of the pages' context: the language from `Accept-Language`. */
export const negotiatePageLocale: onRequestHookHandler = (request, _reply, done) => {
  const acceptLanguage = request.headers['accept-language'];
  if (acceptLanguage) request.locale = negotiateLocale({ acceptLanguage });
  done();
};

/**
 * The client's `ui_locales` (OIDC Core 3.1.2.1) outrank the browser's header for the rest of
 * this request; the sealed interaction carries them to the next page.
 */
export function useUiLocales(request: FastifyRequest, uiLocales: readonly string[] | undefined) {
  if (uiLocales && uiLocales.length > 0)
    request.locale = negotiateLocale({
      uiLocales,
      acceptLanguage: request.headers['accept-language'],
    });
}

/** The language and brand a route passes to a page function: `page({ ...pageContext(request) })`. */
export function pageContext(request: FastifyRequest): Required<PageContext> {
  return { locale: request.locale, brand: request.server.brand };
}

/**
 * The language a mailed link names (`ui_locales`, space-separated like OIDC Core 3.1.2.1's):
 * the page it opens, and the pages its form leads to, speak the language of the e-mail.
 */
export function useLinkLocale(request: FastifyRequest, uiLocales: unknown) {
  if (typeof uiLocales === 'string')
    useUiLocales(request, uiLocales.slice(0, 256).split(' ').filter(Boolean));
}
