import { consoleMessages, DEFAULT_LOCALE, type Locale } from '../../i18n/index.js';
import { cspHash } from '../csp-hash.js';
import { html, type HtmlValue, type SafeHtml } from '../html.js';
import type { CspOptions } from '../layout.js';
import { STYLESHEET } from '../stylesheet.js';

/**
 * The console's stylesheet: the pages' own, widened for tables and a navigation bar. Still one
 * inline stylesheet allowed by its hash, so the console's CSP is as strict as the login page's.
 */
export const CONSOLE_STYLESHEET = html`${STYLESHEET}
body.console { display: block; padding: 0; }
.console header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; padding: 10px 20px; background: var(--card); border-bottom: 1px solid var(--border); }
.console header strong { margin-right: 8px; }
.console nav ul { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0; padding: 0; list-style: none; }
.console nav a { display: inline-block; padding: 6px 2px; text-decoration: none; font-weight: 600; }
.console nav a[aria-current=page] { text-decoration: underline; text-underline-offset: 6px; text-decoration-thickness: 3px; }
.console header .who { margin-left: auto; color: var(--muted); font-size: 0.875rem; }
.console header form { margin: 0; }
.console main { max-width: 72rem; margin: 24px auto; }
.console button { width: auto; min-height: 40px; }
.console button.secondary { background: transparent; border-color: var(--border); color: var(--text); }
.console button.danger { background: var(--alert-text); border-color: var(--alert-text); color: var(--card); }
.console table { width: 100%; border-collapse: collapse; margin: 0 0 20px; font-size: 0.9375rem; overflow-wrap: normal; }
.console td code { overflow-wrap: anywhere; }
.console .nowrap, .console .badge { white-space: nowrap; }
.console th, .console td { padding: 8px 10px; border-bottom: 1px solid var(--border); text-align: left; vertical-align: top; }
.console th { color: var(--muted); font-weight: 600; }
.console textarea { display: block; width: 100%; min-height: 6rem; padding: 10px 12px; border: 1px solid var(--border); border-radius: 8px; background: var(--field); color: inherit; font: 0.9375rem/1.4 ui-monospace, monospace; }
.console select { min-height: 40px; padding: 6px 10px; border: 1px solid var(--border); border-radius: 8px; background: var(--field); color: inherit; font: inherit; }
.console input[type=checkbox] { display: inline-block; width: auto; min-height: 0; margin-right: 8px; }
.console label.check { display: flex; align-items: center; font-weight: 400; }
.console fieldset { margin: 0 0 16px; padding: 10px 14px; border: 1px solid var(--border); border-radius: 8px; }
.console .row { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; margin: 0 0 20px; }
.console .row .field { margin: 0; }
.console .row input { min-height: 40px; }
.console .row > a, .console .row > label.check, .console .row > form.inline { display: inline-flex; align-items: center; min-height: 46px; margin: 0; }
.console .row select { min-height: 46px; }
.console h2 { margin: 28px 0 12px; }
.console td pre { margin: 0; }
.console .actions { margin-bottom: 16px; }
.console [aria-invalid=true] { border-color: var(--alert-text); border-width: 2px; }
.console .hint { color: var(--muted); font-size: 0.875rem; margin: 4px 0 0; }
.console .notice { margin: 0 0 20px; padding: 10px 14px; border: 1px solid var(--border); border-radius: 8px; background: var(--bg); }
.console code, .console .secret { font-family: ui-monospace, monospace; }
.console .secret { display: block; padding: 10px; border: 1px dashed var(--accent); border-radius: 8px; overflow-wrap: anywhere; }
.console .badge { display: inline-block; padding: 0 8px; border: 1px solid var(--border); border-radius: 999px; font-size: 0.8125rem; }
.console .inline { display: inline; }
.console pre { overflow-x: auto; padding: 10px; border: 1px solid var(--border); border-radius: 8px; font-size: 0.8125rem; }
`;

export const CONSOLE_STYLE_HASH = cspHash(CONSOLE_STYLESHEET.toString());

/** The console's CSP options (sendHtml builds the header): nothing loads, nothing runs, forms post to this server only, no framing. */
export const CONSOLE_CSP: CspOptions = { styleHash: CONSOLE_STYLE_HASH };

export const CONSOLE_SECTIONS = ['clients', 'users', 'sessions', 'signing-keys', 'audit'] as const;
export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number];

/** Who is signed in, the token every form of the page carries, and the page's language. */
export interface ConsoleFrame {
  readonly email: string;
  readonly csrf: string;
  readonly locale: Locale;
}

/** The hidden field that carries the CSRF token in every console form. */
export function csrfField(frame: Pick<ConsoleFrame, 'csrf'>): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${frame.csrf}">`;
}

/**
 * A complete console page: the navigation, a sign-out button and `body` in `<main>`, in the
 * frame's language (or `locale` on the pages before sign-in).
 */
export function consolePage(options: {
  title: string;
  section?: ConsoleSection;
  frame?: ConsoleFrame;
  locale?: Locale;
  body: HtmlValue;
}): string {
  const { title, section, frame, body } = options;
  const locale = frame?.locale ?? options.locale ?? DEFAULT_LOCALE;
  const t = consoleMessages(locale).layout;
  const nav = frame
    ? html`<nav aria-label="${t.sections}"><ul>${CONSOLE_SECTIONS.map(
        (key) =>
          html`<li><a href="/admin/${key}"${section === key ? html` aria-current="page"` : ''}>${t.nav[key]}</a></li>`,
      )}</ul></nav>
<span class="who">${t.signedInAs(frame.email)}</span>
<form method="post" action="/admin/logout">${csrfField(frame)}<button type="submit" class="secondary">${t.signOut}</button></form>`
    : '';
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t.titleSuffix}</title>
<style>${CONSOLE_STYLESHEET}</style>
</head>
<body class="console">
<header><strong>${t.console}</strong>${nav}</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`.toString();
}

/** Problems with a submitted form, each naming its field (a JSON path such as redirect_uris[1]). */
export function problemList(
  problems: readonly { path: string; message: string }[],
  locale: Locale,
): SafeHtml {
  if (problems.length === 0) return html``;
  return html`<div class="alert" role="alert"><p>${consoleMessages(locale).layout.nothingSaved}</p><ul>${problems.map(
    (p) => html`<li><code>${p.path}</code>: ${p.message}</li>`,
  )}</ul></div>`;
}

/** A date and time for people, in UTC, or a dash. */
export function when(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
