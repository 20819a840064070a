import { DEFAULT_LOCALE } from '../i18n/index.js';
import type { Brand } from './branding.js';
import { cspHash } from './csp-hash.js';
import { html, type SafeHtml } from './html.js';
import type { PageContext } from './page-context.js';
import { STYLESHEET } from './stylesheet.js';

/** CSP hash source of the inline stylesheet every page carries (`'sha256-<base64>'`). */
export const STYLE_HASH = cspHash(STYLESHEET.toString());

/** Parts of a page; `body` goes inside the page's single `<main>`. */
export interface PageOptions extends PageContext {
  title: string;
  body: SafeHtml;
  /** Same-origin scripts to load (deferred, pinned by SRI); the page's CSP must name them. */
  scripts?: readonly { readonly path: string; readonly integrity: string }[];
  /** A wider card, for pages of several sections (the account page). */
  wide?: boolean;
}

/**
 * A complete HTML5 document around `body`: one inline stylesheet (and the brand's colours, if
 * any), no external resources but the brand's logo. `<html lang>` is the page's locale.
 */
export function page({
  title,
  body,
  locale = DEFAULT_LOCALE,
  brand = {},
  scripts = [],
  wide = false,
}: PageOptions): string {
  const fullTitle = brand.name ? `${title} · ${brand.name}` : title;
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${fullTitle}</title>
<style>${STYLESHEET}</style>
${brand.style ? html`<style>${brand.style}</style>\n` : ''}${scripts.map(
    (s) => html`<script src="${s.path}" integrity="${s.integrity}" defer></script>
`,
  )}</head>
<body>
${wide ? html`<main class="wide">` : html`<main>`}
${brandHeader(brand)}${body}
</main>
</body>
</html>
`.toString();
}

/** The product's logo and name above the page's heading; nothing without either. */
function brandHeader({ name, logoUrl }: Brand): SafeHtml | string {
  if (!name && !logoUrl) return '';
  // Beside the name the logo is decoration (empty alt); alone it needs some text alternative.
  const logo = logoUrl ? html`<img src="${logoUrl}" alt="${name ? '' : 'Logo'}">` : '';
  return html`<header class="brand">${logo}${name ? html`<span>${name}</span>` : ''}</header>\n`;
}

/** What a page may do beyond the baseline in {@link contentSecurityPolicy}. */
export interface CspOptions {
  /**
   * URLs (or origins) forms may submit to besides this server. Needed by the form_post page,
   * and by every page whose form submission ends in a redirect to the client: Chrome and Safari
   * check `form-action` against each redirect of a submission too (w3c/webappsec-csp#8), so the
   * login and consent pages must list the redirect_uri of the request they serve.
   */
  formActions?: readonly string[];
  /** CSP hash source of the one inline script allowed, e.g. `FORM_POST_SCRIPT_HASH`. */
  scriptHash?: string;
  /** http(s) URLs whose origins the page may load in iframes (front-channel logout); none by default. */
  frameSources?: readonly string[];
  /**
   * Absolute URLs of same-origin script files the page loads (the passkey ceremonies). They also
   * let the page fetch from its own origin (`connect-src 'self'`), which the ceremonies need for
   * their options.
   */
  scriptUrls?: readonly string[];
  /** The operator's brand: its colours' style hash and its logo's origin are allowed. */
  brand?: Brand;
  /** CSP hash source of the page's own inline stylesheet; `STYLE_HASH` when omitted. */
  styleHash?: string;
}

// Schemes whose "navigation" runs code or reads local data instead of reaching a client.
const FORBIDDEN_FORM_SCHEMES = new Set([
  'javascript:',
  'data:',
  'blob:',
  'filesystem:',
  'file:',
  'about:',
]);

/** A `form-action` source for a URL: its origin, or its scheme for a native app's own scheme. */
/** The origin of an http(s) URL, as a CSP source; anything else is a programming error. */
function frameSource(target: string): string {
  const url = new URL(target);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`frame-src target must be an http(s) URL, got ${url.protocol}`);
  return url.origin;
}

/** A script URL as a CSP source: an exact http(s) URL without query or fragment (CSP3 2.3.1). */
function scriptSource(target: string): string {
  const url = new URL(target);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`script URL must be http(s), got ${url.protocol}`);
  return `${url.origin}${url.pathname}`;
}

function formActionSource(target: string): string {
  const url = new URL(target);
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  if (FORBIDDEN_FORM_SCHEMES.has(url.protocol)) {
    throw new TypeError(`form-action target must not use ${url.protocol}`);
  }
  // A private-use URI scheme (RFC 8252 7.1) has no origin; the scheme is the narrowest source.
  return url.protocol;
}

/** The logo's origin when it is on another server (a path is covered by 'self'). */
function logoSource(logoUrl: string | undefined): string[] {
  if (!logoUrl || logoUrl.startsWith('/')) return [];
  const url = new URL(logoUrl);
  if (url.protocol !== 'https:')
    throw new TypeError(`logo must be an https URL, got ${url.protocol}`);
  return [url.origin];
}

/**
 * The `Content-Security-Policy` header value for a page from this module: nothing loads but the
 * inline stylesheet (and the one script whose hash is given), forms post only to this server
 * (plus `formActions`), and no site may frame the page (clickjacking on login and consent).
 * Throws a `TypeError` for a malformed hash or form target, since both come from code, not users.
 */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const {
    formActions = [],
    scriptHash,
    frameSources = [],
    scriptUrls = [],
    brand = {},
    styleHash = STYLE_HASH,
  } = options;
  if (scriptHash !== undefined && !/^'sha256-[A-Za-z0-9+/]{43}='$/.test(scriptHash)) {
    throw new TypeError(`scriptHash must be a 'sha256-<base64>' source, got ${scriptHash}`);
  }
  const formSources = [...new Set(["'self'", ...formActions.map(formActionSource)])];
  const frames = [...new Set(frameSources.map(frameSource))];
  return [
    "default-src 'none'",
    `style-src ${[styleHash, ...(brand.styleHash ? [brand.styleHash] : [])].join(' ')}`,
    ...(scriptHash || scriptUrls.length > 0
      ? [
          `script-src ${[...(scriptHash ? [scriptHash] : []), ...scriptUrls.map(scriptSource)].join(' ')}`,
        ]
      : []),
    ...(scriptUrls.length > 0 ? ["connect-src 'self'"] : []),
    `img-src ${["'self'", 'data:', ...logoSource(brand.logoUrl)].join(' ')}`,
    ...(frames.length > 0 ? [`frame-src ${frames.join(' ')}`] : []),
    `form-action ${formSources.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
